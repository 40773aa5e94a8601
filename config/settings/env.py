"""The one place that reads the process environment (and an optional .env file)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's .env is read if present; real deployments set variables directly.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Where runtime files live on the embedded setup (SQLite, media, emails); ignored by git.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
REDIS_URL = env.str("REDIS_URL", default="")
# Only for DEBUG; long and random-looking so that local checks pass, never used in production.
DEV_SECRET_KEY = "dev-only-0f8e2c7a9b4d61e3a5c8f7b2d9e4a1c6-not-for-production-use"  # noqa: S105 - debug only
VAR_DIR.mkdir(parents=True, exist_ok=True)
