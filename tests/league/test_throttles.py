"""The one rate-limit counter behind the API's throttles and the pages'."""

import pytest
from django.test import override_settings
from django.utils import translation

from league.throttles import Limit, Throttled, parse_rate


def test_rates_read_as_count_and_period():
    assert parse_rate("10/hour") == (10, 3600)
    assert parse_rate("3/day") == (3, 86400)
    assert parse_rate("20/m") == (20, 60)


@override_settings(THROTTLE_RATES={"demo": "2/hour"})
def test_a_limit_counts_per_key_and_says_when_to_come_back():
    Limit("demo").spend("alice")
    Limit("demo").spend("alice")
    with pytest.raises(Throttled) as caught:
        Limit("demo").spend("alice")
    assert 1 <= caught.value.wait <= 3600
    Limit("demo").spend("bob")
    with pytest.raises(Throttled):
        Limit("demo").refuse_if_spent("alice")
    Limit("demo").refuse_if_spent("bob")


def test_the_message_names_the_wait_in_the_viewers_language():
    assert str(Throttled(30).detail) == "Too many attempts. Try again in 30 seconds."
    assert str(Throttled(61).detail) == "Too many attempts. Try again in 2 minutes."
    assert str(Throttled(3600).detail) == "Too many attempts. Try again in 1 hour."
    assert Throttled(0.2).wait == 1
    with translation.override("zh-hans"):
        assert str(Throttled(120).detail) == "尝试次数过多，请 2 分钟后再试。"
