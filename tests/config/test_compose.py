"""docker-compose.yml as deployed (no Docker engine here, so the file is checked as data): several
web processes, none published, behind the nginx proxy whose whole configuration is
deploy/nginx.conf; every file the stack mounts or builds from exists; and that configuration
upgrades websockets and is valid nginx (Debian's nginx parses it with `-t`)."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.proxy import CONF, NGINX, site

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_several_web_processes_behind_the_proxy() -> None:
    services = compose()["services"]
    web, proxy = services["web"], services["proxy"]
    assert web["deploy"]["replicas"] >= 2
    assert "ports" not in web  # the proxy is the only way in
    assert web["expose"] == ["8000"]
    assert proxy["image"].split(":")[0] == "nginx"  # the official image
    assert proxy["ports"] == ["8000:8000"]
    assert "web" in proxy["depends_on"]
    # The production server line: the lean protocol, the proxy's headers trusted.
    command = web["command"]
    assert "realtime.wsprotocol:LeanWebSocketProtocol" in command
    assert command[command.index("--forwarded-allow-ips") + 1] == "*"
    assert web["environment"]["NUM_PROXIES"] == "1"


def test_every_file_the_stack_uses_exists() -> None:
    data = compose()
    for name, service in data["services"].items():
        if "build" in service:
            assert (ROOT / service["build"] / "Dockerfile").is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).is_file(), (name, source)
            else:
                assert source in data["volumes"], (name, source)
        for dependency in service.get("depends_on", {}):
            assert dependency in data["services"], (name, dependency)


def test_the_proxy_upgrades_websockets_and_keeps_them() -> None:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for line in (
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_read_timeout 1h;",
        "server web:8000",
    ):
        assert line in text, line
    directives = [
        line.split()[0] for line in text.splitlines() if line.strip()[:1] not in ("", "#")
    ]
    assert not {"ip_hash", "hash", "sticky"} & set(directives)  # no sticky sessions


@pytest.mark.skipif(shutil.which(NGINX) is None, reason="needs nginx (apt-get install nginx)")
def test_the_proxy_configuration_is_valid_nginx(tmp_path: Path) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text(CONF.format(prefix=tmp_path, site=site([8001, 8002], 8000)))
    done = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
