"""Token buckets with a fake clock: bursts, refill, retry hints, group priorities."""

from __future__ import annotations

import pytest

from messenger.protocol import errors
from messenger.protocol.models import Priority
from messenger.server.services.ratelimit import RateLimiter, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock: Clock, **kw: float) -> RateLimiter:
    settings = {"user_rate": 2.0, "user_burst": 3, "group_rate": 4.0, "group_burst": 8}
    settings.update(kw)
    return RateLimiter(clock=clock, **settings)  # type: ignore[arg-type]


def test_a_sender_gets_the_burst_then_the_rate() -> None:
    clock = Clock()
    rl = limiter(clock)
    for _ in range(3):
        rl.check_sender("alice")
    with pytest.raises(errors.RateLimited) as caught:
        rl.check_sender("alice")
    assert caught.value.retry_after_ms == 500  # one token at 2 per second
    assert caught.value.details["scope"] == "sender"
    clock.now += 0.25
    with pytest.raises(errors.RateLimited) as caught:
        rl.check_sender("alice")
    assert caught.value.retry_after_ms == 250, "the hint shrinks as time passes"
    clock.now += 0.25
    rl.check_sender("alice")
    with pytest.raises(errors.RateLimited):
        rl.check_sender("alice")


def test_a_refused_message_costs_nothing() -> None:
    clock = Clock()
    rl = limiter(clock)
    for _ in range(3):
        rl.check_sender("alice")
    for _ in range(10):
        with pytest.raises(errors.RateLimited):
            rl.check_sender("alice")
    clock.now += 0.5
    rl.check_sender("alice")  # refusals did not dig a hole


def test_buckets_refill_to_the_burst_and_no_further() -> None:
    clock = Clock()
    rl = limiter(clock)
    clock.now += 3600
    for _ in range(3):
        rl.check_sender("alice")
    with pytest.raises(errors.RateLimited):
        rl.check_sender("alice")


def test_senders_are_independent() -> None:
    clock = Clock()
    rl = limiter(clock)
    for _ in range(3):
        rl.check_sender("alice")
    with pytest.raises(errors.RateLimited):
        rl.check_sender("alice")
    for _ in range(3):
        rl.check_sender("bob")


def test_a_group_has_its_own_budget() -> None:
    clock = Clock()
    rl = limiter(clock)
    for _ in range(8):
        rl.check_group("team", Priority.NORMAL)
    with pytest.raises(errors.RateLimited) as caught:
        rl.check_group("team", Priority.NORMAL)
    assert caught.value.details["scope"] == "group"
    assert caught.value.retry_after_ms == 250
    rl.check_group("other", Priority.NORMAL)


def test_high_priority_has_a_larger_separate_budget() -> None:
    clock = Clock()
    rl = limiter(clock)
    for _ in range(8):
        rl.check_group("team", Priority.NORMAL)
    for _ in range(16):  # twice the burst, untouched by the normal traffic
        rl.check_group("team", Priority.HIGH)
    with pytest.raises(errors.RateLimited) as caught:
        rl.check_group("team", Priority.HIGH)
    assert caught.value.retry_after_ms == 125  # twice the rate


def test_low_priorities_give_way_first() -> None:
    clock = Clock()
    rl = limiter(clock)
    # low may use the shared budget only while more than half of it is left
    for _ in range(4):
        rl.check_group("team", Priority.LOW)
    with pytest.raises(errors.RateLimited):
        rl.check_group("team", Priority.LOW)
    # lowest only while more than three quarters are left: nothing now
    with pytest.raises(errors.RateLimited):
        rl.check_group("team", Priority.LOWEST)
    # normal messages still get the rest
    for _ in range(4):
        rl.check_group("team", Priority.NORMAL)
    with pytest.raises(errors.RateLimited):
        rl.check_group("team", Priority.NORMAL)

    fresh = limiter(clock)
    for _ in range(2):  # 8 → 6 tokens: three quarters of the budget stay for the others
        fresh.check_group("g", Priority.LOWEST)
    with pytest.raises(errors.RateLimited):
        fresh.check_group("g", Priority.LOWEST)
    for _ in range(2):
        fresh.check_group("g", Priority.LOW)
    with pytest.raises(errors.RateLimited):
        fresh.check_group("g", Priority.LOW)


def test_the_bucket_math() -> None:
    bucket = TokenBucket(rate=10, capacity=2, now=0.0)
    assert bucket.take(0.0) == 0.0
    assert bucket.take(0.0) == 0.0
    assert bucket.take(0.0) == pytest.approx(0.1)
    assert bucket.take(0.05) == pytest.approx(0.05)
    assert bucket.take(0.1) == 0.0
