from __future__ import annotations

import logging
import random

import pytest

from messenger.core.backoff import Backoff
from messenger.core.events import EventBus, SyncCompleted, TotalUnreadChanged


def test_delays_stay_within_a_doubling_ceiling_up_to_the_cap() -> None:
    backoff = Backoff(base=0.5, cap=30.0, rng=random.Random(7))
    ceilings = []
    for _ in range(12):
        ceiling = backoff.ceiling()
        delay = backoff.next_delay()
        assert 0 <= delay <= ceiling
        ceilings.append(ceiling)
    assert ceilings[:7] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    assert set(ceilings[6:]) == {30.0}


def test_delays_are_jittered_not_fixed() -> None:
    backoff = Backoff(base=1.0, cap=1.0, rng=random.Random(1))
    delays = {round(backoff.next_delay(), 6) for _ in range(50)}
    assert len(delays) > 40
    assert min(delays) < 0.2 and max(delays) > 0.8


def test_reset_starts_again_from_the_base() -> None:
    backoff = Backoff(base=0.5, cap=30.0)
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert backoff.ceiling() == 0.5


@pytest.mark.expected_log("messenger.core.events", r"failed on SyncCompleted")
def test_a_failing_handler_is_logged_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = EventBus()
    seen: list[object] = []

    def broken(event: object) -> None:
        raise RuntimeError("boom")

    bus.subscribe(broken)
    bus.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        bus.publish(SyncCompleted(3))
    assert seen == [SyncCompleted(3)]
    assert "boom" in caplog.text


def test_unsubscribe_stops_delivery() -> None:
    bus = EventBus()
    seen: list[object] = []
    unsubscribe = bus.subscribe(seen.append)
    bus.publish(TotalUnreadChanged(1))
    unsubscribe()
    unsubscribe()  # twice is harmless
    bus.publish(TotalUnreadChanged(2))
    assert seen == [TotalUnreadChanged(1)]
