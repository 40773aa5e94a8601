"""A private PostgreSQL cluster for a fault test: its own data directory and port, so that the
test may restart it under load without touching the database the rest of the run uses."""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.servers import free_port

BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), Path("/usr/bin"))


def _as_postgres(*args: str) -> list[str]:
    # initdb and the server refuse to run as root, which CI and this machine are.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


class PrivateCluster:
    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="scrimverse-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> "PrivateCluster":
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
        if not self.data.exists():
            init = [str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
            subprocess.run(_as_postgres(*init), check=True, capture_output=True)
        self._ctl("start", "-w", "-t", "30", "-o", f"-p {self.port} -k {self.dir} -c fsync=off")
        return self

    def restart(self) -> None:
        """A fast restart: every session is cut, as a crash or a failover would."""
        self._ctl("restart", "-m", "fast", "-w", "-t", "30",
                  "-o", f"-p {self.port} -k {self.dir} -c fsync=off")  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "immediate", "-w")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _ctl(self, *args: str) -> None:
        command = [str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args]
        done = subprocess.run(_as_postgres(*command), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl {args[0]} failed: {done.stderr}{self.log_tail()}")

    def log_tail(self) -> str:
        return self.log.read_text()[-2000:] if self.log.exists() else ""

    def wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            command = [str(BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)]
            ready = subprocess.run(command, capture_output=True)
            if ready.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"postgres did not come up: {self.log_tail()}")
