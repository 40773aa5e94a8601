"""Files: public images (avatars, logos, banners and their variants) and private files (host
identity documents), on local disk or on any S3-compatible server (docs/quality.md)."""

from pathlib import Path

from .env import VAR_DIR, env

__all__ = [
    "AWS_STORAGE_BUCKET_NAME",
    "EXPORT_LINK_HOURS",
    "IMAGE_VARIANTS",
    "MAX_UPLOAD_BYTES",
    "MEDIA_ORPHAN_GRACE_SECONDS",
    "MEDIA_ROOT",
    "MEDIA_URL",
    "PRIVATE_MEDIA_ROOT",
    "PRIVATE_URL_SECONDS",
    "STORAGES",
]

MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files on local disk: outside MEDIA_ROOT, so nothing serves them at a /media/ URL.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# How long a link to a private file works (an S3 presigned URL, or this server's signed link).
PRIVATE_URL_SECONDS = env.int("PRIVATE_URL_SECONDS", default=300)
# How long the emailed link to an account's data export works (its archive is deleted after).
EXPORT_LINK_HOURS = env.int("EXPORT_LINK_HOURS", default=24)
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# Files no row refers to are removed by `manage.py media_orphans --delete` once this old (an
# upload whose row is still being written is not an orphan yet).
MEDIA_ORPHAN_GRACE_SECONDS = env.int("MEDIA_ORPHAN_GRACE_SECONDS", default=24 * 3600)
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")

# Sizes the product shows: (fit, sizes). "square" fits the image in an N x N box (avatars and
# logos: 64 and 256 for pages and clients, 96 for the live page and the overlay's rows);
# "width" makes it N pixels wide (banners). Never enlarged.
IMAGE_VARIANTS = {
    "avatar": ("square", (64, 256)),
    "logo": ("square", (64, 96, 256)),
    "banner": ("width", (640, 1280)),
}

_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def s3_storages(
    *,
    bucket: str,
    private_bucket: str = "",
    endpoint_url: str | None = None,
    region: str | None = None,
    default_acl: str | None = "public-read",
    private_location: str = "private",
    private_url_seconds: int = 300,
) -> dict:
    """STORAGES on an S3-compatible server: public-read images, private documents (their own
    bucket, or the public bucket's `private_location` prefix with a private ACL) that are
    reached only by presigned URLs. Credentials: the standard AWS_* variables (boto3's own)."""
    common = {
        "endpoint_url": endpoint_url,
        "region_name": region,
        "file_overwrite": False,
        # SigV4 presigned URLs (X-Amz-Expires): what every region and S3-compatible server takes.
        "signature_version": "s3v4",
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": bucket,
                "querystring_auth": False,
                "default_acl": default_acl,
                # A stored name never gets new content (uuids, content hashes): cache for ever.
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket or bucket,
                # In its own bucket a prefix does no harm; in the public one it keeps them apart.
                "location": private_location,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": private_url_seconds,
            },
        },
        "staticfiles": _static,
    }


if env.bool("USE_S3", default=False):
    STORAGES = s3_storages(
        bucket=AWS_STORAGE_BUCKET_NAME,
        private_bucket=env.str("AWS_PRIVATE_BUCKET_NAME", default=""),
        endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        region=env.str("AWS_S3_REGION_NAME", default="") or None,
        # Empty where the bucket's own policy makes objects public (ACLs disabled).
        default_acl=env.str("AWS_DEFAULT_ACL", default="public-read") or None,
        private_location=env.str("AWS_PRIVATE_LOCATION", default="private"),
        private_url_seconds=PRIVATE_URL_SECONDS,
    )
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.media.storage.PrivateFileSystemStorage"},
        "staticfiles": _static,
    }
