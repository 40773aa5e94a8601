"""core/observability/metrics.py in multiprocess mode (PROMETHEUS_MULTIPROC_DIR): what several
server processes count is summed in one scrape; the connection gauges count live processes
only, once the files of a dead one are reaped; counters keep what a dead process counted. And
the Grafana dashboard in docs/grafana/ queries every metric, and no metric that does not exist."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.metrics import MetricWrapperBase

from core.observability import metrics
from core.observability.metrics import exposition, reap_dead_processes
from tests.support.metrics import AUTH, TOKEN, parse, value
from tests.support.processes import ROOT, SETUP, start_python

# A server process: Django starts (settings make the directory), sockets open, a broadcast goes
# out; then it exits, or (with STAY appended) waits for a line on stdin.
A_SERVER = (
    SETUP
    + """
import sys
from core.observability import metrics
metrics.WS_ROOM.inc(3)
metrics.WS_HOST.inc()
metrics.ROOMS.inc()
metrics.EVENTS_PUBLISHED.inc(2)
metrics.FANOUT_SECONDS.observe(0.004)
print("counted", flush=True)
"""
)
STAY = "sys.stdin.readline()\n"


@pytest.mark.django_db
def test_several_processes_are_summed_and_dead_ones_reaped(
    tmp_path: Path, client: Any, settings: Any, monkeypatch: Any
) -> None:
    directory = tmp_path / "metrics"  # not there yet: the settings create it
    staying = start_python(A_SERVER + STAY, PROMETHEUS_MULTIPROC_DIR=str(directory))
    leaving = start_python(A_SERVER, PROMETHEUS_MULTIPROC_DIR=str(directory))
    try:
        assert leaving.wait(60) == 0, leaving.stderr.read()
        assert staying.stdout.readline().strip() == "counted", staying.stderr.read()
        both = parse(exposition(str(directory))[0].decode())
        assert value(both, "scrimverse_ws_connections", kind="room") == 6
        assert value(both, "scrimverse_rooms") == 2

        assert reap_dead_processes(str(directory)) == [leaving.pid]
        settings.METRICS_TOKEN = TOKEN
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
        response = client.get("/metrics", headers=AUTH)
        assert response.status_code == 200
        live = parse(response.content.decode())
        assert value(live, "scrimverse_ws_connections", kind="room") == 3
        assert value(live, "scrimverse_ws_connections", kind="host") == 1
        assert value(live, "scrimverse_rooms") == 1
        # Counters and histograms keep what the dead process counted.
        assert value(live, "scrimverse_events_published_total") == 4
        assert value(live, "scrimverse_broadcast_fanout_seconds_count") == 2
        assert value(live, "scrimverse_broadcast_fanout_seconds_bucket", le="0.005") == 2
    finally:
        staying.kill()
        staying.wait()


SUFFIXES = {"counter": ("_total",), "gauge": ("",), "histogram": ("_bucket", "_count", "_sum")}


def test_the_grafana_dashboard_shows_every_metric_and_only_real_ones() -> None:
    defined = [
        family
        for metric in vars(metrics).values()
        if isinstance(metric, MetricWrapperBase)
        for family in metric.describe()
    ]
    samples = {f"{f.name}{suffix}" for f in defined for suffix in SUFFIXES[f.type]}
    dashboard = json.loads((ROOT / "docs/grafana/scrimverse.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    named = {name for expr in exprs for name in re.findall(r"scrimverse_\w+", expr)}
    assert named - samples == set()  # no panel queries a metric that does not exist
    shown = {f.name for f in defined if any(f"{f.name}{s}" in named for s in SUFFIXES[f.type])}
    assert {f.name for f in defined} - shown == set()  # every metric is on a panel
