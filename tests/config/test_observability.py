"""config/settings/logging.py and observability.py, each in a fresh process started with the
setting: LOG_FORMAT=json writes one JSON object per line with the request id, plain shows the id
too, a wrong format refuses to start; Sentry is off by default and on with SENTRY_DSN."""

import json

from tests.support.processes import SETUP, run_python

LOG_A_REQUEST = (
    SETUP
    + """
import logging
from core.observability import logs
logs.bind_request_id("req-7")
log = logging.getLogger("scrimverse.check")
log.warning("paid %s", 100)
try:
    1 / 0
except ZeroDivisionError:
    log.exception("broke")
"""
)


def test_json_logs_carry_the_request_id() -> None:
    done = run_python(LOG_A_REQUEST, LOG_FORMAT="json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    mine = [line for line in lines if line["logger"] == "scrimverse.check"]
    assert [(line["level"], line["message"]) for line in mine] == [
        ("WARNING", "paid 100"),
        ("ERROR", "broke"),
    ]
    assert {line["request_id"] for line in mine} == {"req-7"}
    assert "ZeroDivisionError" in mine[1]["exc"]
    assert mine[0]["time"].endswith("+00:00")


def test_plain_logs_show_the_request_id_and_a_bad_format_refuses_to_start() -> None:
    done = run_python(LOG_A_REQUEST)
    assert " WARNING [req-7] scrimverse.check paid 100" in done.stderr
    refused = run_python(SETUP, LOG_FORMAT="xml")
    assert refused.returncode != 0 and "LOG_FORMAT must be plain or json" in refused.stderr


SENTRY_STATE = SETUP + "import sentry_sdk; c = sentry_sdk.get_client(); print(c.is_active(), c.dsn)"


def test_sentry_is_off_by_default_and_on_with_a_dsn() -> None:
    off = run_python(SENTRY_STATE, SENTRY_DSN="")
    assert off.stdout.split()[0] == "False", off.stderr
    dsn = "http://public@127.0.0.1:9/1"  # nothing listens: the check never sends
    on = run_python(SENTRY_STATE + "; print(c.options['send_default_pii'])", SENTRY_DSN=dsn)
    assert on.stdout.split() == ["True", dsn, "False"], on.stderr
