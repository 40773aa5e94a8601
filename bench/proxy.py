"""nginx in front of N server processes, configured by deploy/nginx.conf (what the compose stack
runs), for bench.twoproc: round robin, websocket upgrade, no sticky sessions. Debian's nginx,
unprivileged from the run's temporary directory, one worker (the proxy's own cost stays on one
core, as a proxy host's would be its own), with enough connections for the largest size."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

from bench.common import ROOT, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOYED_UPSTREAM = "    server web:8000 max_fails=1 fail_timeout=2s;\n"

CONF = """
daemon off;
worker_processes 1;
worker_rlimit_nofile 65536;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 50000; }}
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


class Proxy:
    def __init__(self, upstreams: list[int], tmp: Path) -> None:
        self.port = free_port()
        self.prefix = tmp / f"nginx-{self.port}"
        self.upstreams = upstreams
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def conf(self) -> str:
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        if DEPLOYED_UPSTREAM not in site:
            raise SystemExit("deploy/nginx.conf's upstream line changed: update bench/proxy.py")
        servers = "".join(
            DEPLOYED_UPSTREAM.replace("web:8000", f"127.0.0.1:{p}") for p in self.upstreams
        )
        site = site.replace(DEPLOYED_UPSTREAM, servers)
        site = site.replace("listen 8000;", f"listen 127.0.0.1:{self.port} backlog=4096;")
        return CONF.format(prefix=self.prefix, site=site)

    def start(self) -> "Proxy":
        self.prefix.mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(self.conf())
        log = self.prefix / "stderr.log"
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"nginx exited:\n{log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise SystemExit("nginx did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
