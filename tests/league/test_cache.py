"""The shared cache on Redis (league/cache.py) and the per-process cache
(league/local_cache.py)."""

import threading

import pytest
from django.core.cache import caches

from league import local_cache
from league.cache import RedisCache


@pytest.fixture
def redis_cache():
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        pytest.skip(f"needs CACHE_URL=rediscache://... (CI always sets it), not {type(cache)}")
    return cache


def test_the_redis_cache_keeps_one_client_and_serves_many_threads(redis_cache):
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)
    failures = []

    def reader_writer(n: int) -> None:
        for i in range(50):
            redis_cache.set(f"thread-{n}-{i}", {"n": n, "i": i})
            if redis_cache.get(f"thread-{n}-{i}") != {"n": n, "i": i}:
                failures.append((n, i))

    threads = [threading.Thread(target=reader_writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_the_local_cache_computes_once_then_forgets_on_request(settings):
    settings.LOCAL_CACHE_SECONDS = 60
    calls = []
    assert local_cache.remembered("k", lambda: calls.append(1) or "first") == "first"
    assert local_cache.remembered("k", lambda: calls.append(1) or "second") == "first"
    local_cache.forget_all()
    assert local_cache.remembered("k", lambda: calls.append(1) or "third") == "third"
    assert len(calls) == 2


def test_the_local_cache_computes_again_once_its_time_is_up(settings):
    settings.LOCAL_CACHE_SECONDS = 0
    assert local_cache.remembered("k", lambda: "first") == "first"
    assert local_cache.remembered("k", lambda: "second") == "second"


def test_a_shared_value_is_kept_near_for_a_few_seconds(settings):
    settings.LOCAL_CACHE_SECONDS = 60
    caches["default"].set("board:7:page", ["row"])
    assert local_cache.shared_get_many(["board:7:page", "board:7:none"]) == {
        "board:7:page": ["row"]
    }
    caches["default"].delete("board:7:page")
    assert local_cache.shared_get_many(["board:7:page"]) == {"board:7:page": ["row"]}
    local_cache.forget_all()
    assert local_cache.shared_get_many(["board:7:page"]) == {}


def test_near_copies_are_bounded(settings, monkeypatch):
    settings.LOCAL_CACHE_SECONDS = 60
    monkeypatch.setattr(local_cache, "NEAR_ENTRIES", 10)
    caches["default"].set_many({f"k{i}": i for i in range(30)})
    for i in range(30):
        assert local_cache.shared_get_many([f"k{i}"]) == {f"k{i}": i}
        assert len(local_cache._near) <= 10
