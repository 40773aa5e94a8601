"""A real nginx (Debian's package) in front of server processes on loopback, configured as
deploy/nginx.conf configures the compose stack's: round-robin over the upstreams, websocket
upgrade, long read timeouts, no sticky sessions. It runs unprivileged from a temporary prefix
(its pid file, logs and temp paths there), one worker, in the foreground.

Each response names the upstream that served it in `X-Served-By` (the upgrade's 101 too), so a
test can tell which process holds a socket."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.support.servers import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONF = """
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{site}
}}
"""


def site(upstreams: list[int], port: int) -> str:
    """The server block: deploy/nginx.conf's, with loopback upstreams and port."""
    text = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    deployed = "    server web:8000 max_fails=1 fail_timeout=2s;\n"
    assert deployed in text, "deploy/nginx.conf's upstream line changed: update this helper"
    servers = "".join(deployed.replace("web:8000", f"127.0.0.1:{p}") for p in upstreams)
    text = text.replace(deployed, servers)
    text = text.replace("listen 8000;", f"listen 127.0.0.1:{port};")
    # Test-only: which process served each response (production does not tell the world).
    assert "        proxy_buffering off;\n" in text, "update this helper with deploy/nginx.conf"
    return text.replace(
        "        proxy_buffering off;\n",
        "        proxy_buffering off;\n        add_header X-Served-By $upstream_addr always;\n",
    )


class NginxProxy:
    def __init__(self, upstreams: list[int], prefix: Path) -> None:
        self.port = free_port()
        self.prefix = prefix
        self.upstreams = upstreams
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> "NginxProxy":
        self.prefix.mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(CONF.format(prefix=self.prefix, site=site(self.upstreams, self.port)))
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=(self.prefix / "stderr.log").open("w"),
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.prefix / 'stderr.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None
