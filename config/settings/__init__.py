"""Settings: one module per integration, each reading the environment (django-environ).

With nothing set, everything runs on one machine: SQLite, local-memory cache, the in-memory
channel layer, eager Celery, console/file email, local media, the local PhonePe sandbox.
Setting DATABASE_URL, REDIS_URL, USE_S3, PHONEPE_ENV, ... switches each to the real thing.
"""

from .base import *  # noqa: F403
from .cache import *  # noqa: F403
from .celery import *  # noqa: F403
from .channels import *  # noqa: F403
from .database import *  # noqa: F403
from .email import *  # noqa: F403
from .jwt import *  # noqa: F403
from .logging import *  # noqa: F403
from .observability import *  # noqa: F403
from .phonepe import *  # noqa: F403
from .security import *  # noqa: F403
from .social_auth import *  # noqa: F403
from .storage import *  # noqa: F403
from .tournaments import *  # noqa: F403
from .webhooks import *  # noqa: F403
