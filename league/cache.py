"""The shared cache on Redis: Django's backend, with one redis-py client per
server kept for the life of the process.

Django builds a new ``redis.Redis`` for every cache call, and building one
(its table of response callbacks) cost more CPU than the GET it sends: every
upload and every leaderboard read pays it. A redis-py client is safe to share
between threads: each command takes a connection from the server's pool.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
