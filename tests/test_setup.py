"""The test set-up itself: the cache the settings chose, and separate Redis databases per pytest-xdist worker."""
import os

from django.conf import settings


def test_cache_backend_and_per_worker_redis_database():
    cache = settings.CACHES["default"]
    url = os.environ.get("REDIS_URL")
    if not url:
        assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
        return
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    base = int(url.rsplit("/", 1)[1])
    # Django's Redis cache clears with FLUSHDB: each worker needs a database of its own.
    assert cache["LOCATION"].endswith(f"/{base - int(worker[2:])}")
