"""Seeds a dashboards database for tests/e2e/test_dashboards.py (run with manage.py's settings):
tests/support/dashboards.seed plus a staff account, and a session of the host's. Prints JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from tests.factories import PASSWORD, UserFactory  # noqa: E402
from tests.support.dashboards import seed  # noqa: E402


def main() -> None:
    site = seed()
    staff = UserFactory(username="e2e_staff", is_staff=True)
    # The host signs in by the session the page reads (as the login view would store it).
    session = SessionStore()
    session[SESSION_KEY] = str(site.host_a.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = site.host_a.get_session_auth_hash()
    session.create()
    print(
        json.dumps({"staff": staff.username, "password": PASSWORD, "session": session.session_key})
    )


if __name__ == "__main__":
    main()
