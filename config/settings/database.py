from .env import VAR_DIR, env

__all__ = ["DATABASES"]

# No DATABASE_URL: SQLite in var/ so a newcomer needs nothing installed.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI every request may run on a different thread, so per-thread persistent
    # connections (CONN_MAX_AGE) leak; psycopg's pool shares a bounded set instead.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The pool checks a connection before lending it: after a PostgreSQL restart no request gets
    # one of the dead ones (those in flight at the restart fail with 503; the rest carry on).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
else:
    # SQLite: wait for a writer instead of failing at once, and take the write lock at BEGIN
    # so that select_for_update-style sections serialise instead of deadlocking.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    # Tests on a file, not in memory: an in-memory test database is ONE connection shared by
    # every thread (live_server, concurrent webhooks), which SQLite cannot use concurrently.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
