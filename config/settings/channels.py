from .env import REDIS_URL, env

__all__ = ["CHANNEL_LAYERS", "REALTIME_ALLOWED_ORIGINS"]

if REDIS_URL:
    # The pub/sub layer: one subscription per group per process (see docs/fanout.md).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Origins allowed to open websockets from a browser (handshakes without Origin are allowed).
REALTIME_ALLOWED_ORIGINS = env.list(
    "REALTIME_ALLOWED_ORIGINS", default=["http://localhost:8000", "http://127.0.0.1:8000"]
)
