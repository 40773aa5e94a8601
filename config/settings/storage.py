from pathlib import Path

from .env import VAR_DIR, env

__all__ = ["AWS_STORAGE_BUCKET_NAME", "MAX_UPLOAD_BYTES", "MEDIA_ROOT", "MEDIA_URL", "STORAGES"]

MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")

_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
if env.bool("USE_S3", default=False):
    # Credentials and region come from the standard AWS_* variables (boto3 reads them).
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
                "region_name": env.str("AWS_S3_REGION_NAME", default=None),
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
        "staticfiles": _static,
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": _static,
    }
