"""Flask-Caching's Redis cache, made optional in fact: when Redis stops answering, the site goes on
with each worker's own memory cache (what the site uses without Redis) and logs a warning, instead of
failing every page that reads a cache.

After a failure Redis is left alone for ``RETRY_SECONDS``, so a Redis that is down (or a host that
swallows packets, bounded by ``REDIS_SOCKET_TIMEOUT_SECONDS``) costs one
failed attempt per worker in that time, not one per request. Entries written to the memory cache
meanwhile are only this worker's; they expire as usual.
"""
import logging
import threading
import time

from cachelib import SimpleCache
from flask_caching.backends.rediscache import RedisCache

log = logging.getLogger(__name__)

RETRY_SECONDS = 10.0


class RedisCacheWithFallback(RedisCache):
    """``CACHE_TYPE = "activity_hub.cache_backend.RedisCacheWithFallback"``."""

    def __init__(self, *args, fallback_threshold=2000, **kwargs):
        super().__init__(*args, **kwargs)
        self._fallback = SimpleCache(threshold=fallback_threshold, default_timeout=self.default_timeout)
        self._down_until = 0.0
        self._lock = threading.Lock()

    @classmethod
    def factory(cls, app, config, args, kwargs):
        kwargs["fallback_threshold"] = config.get("CACHE_THRESHOLD", 2000)
        timeout = config.get("REDIS_SOCKET_TIMEOUT_SECONDS", 0.5)
        options = {"socket_connect_timeout": timeout, "socket_timeout": timeout, **(config.get("CACHE_OPTIONS") or {})}
        config["CACHE_OPTIONS"] = options  # read (and removed) by RedisCache.factory for redis.from_url
        for name in options:
            kwargs.pop(name, None)
        return super().factory(app, config, args, kwargs)

    def _call(self, name, *args, **kwargs):
        import redis

        if time.monotonic() < self._down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except redis.RedisError as error:
            with self._lock:
                first = time.monotonic() >= self._down_until
                self._down_until = time.monotonic() + RETRY_SECONDS
            if first:
                log.warning("Redis is not answering (%s); caching in this worker's memory for %ss",
                            error, RETRY_SECONDS)
            return getattr(self._fallback, name)(*args, **kwargs)

    def get(self, key):
        return self._call("get", key)

    def get_many(self, *keys):
        return self._call("get_many", *keys)

    def set(self, key, value, timeout=None):
        return self._call("set", key, value, timeout)

    def add(self, key, value, timeout=None):
        return self._call("add", key, value, timeout)

    def set_many(self, mapping, timeout=None):
        return self._call("set_many", mapping, timeout)

    def delete(self, key):
        return self._call("delete", key)

    def delete_many(self, *keys):
        return self._call("delete_many", *keys)

    def has(self, key):
        return self._call("has", key)

    def clear(self):
        return self._call("clear")

    def inc(self, key, delta=1):
        return self._call("inc", key, delta)

    def dec(self, key, delta=1):
        return self._call("dec", key, delta)
