"""The version horizon: a node delivers changes in version order across nodes, and gives up on
a range that never comes (its devices then catch up from the database)."""

from __future__ import annotations

from messenger.server.bus.horizon import VersionHorizon


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_change_waits_for_every_lower_version_then_all_go_in_order() -> None:
    horizon = VersionHorizon()
    horizon.start_at(10)
    out: list[int] = []
    horizon.hold_or_run(9, lambda: out.append(9))  # covered already: at once
    horizon.hold_or_run(15, lambda: out.append(15))  # this node's batch 15–15
    horizon.committed(15, 15)
    assert out == [9]  # 11–14 (another node's batch) are not known yet
    horizon.hold_or_run(12, lambda: out.append(12))  # the other node's push arrives late
    horizon.hold_or_run(14, lambda: out.append(14))
    horizon.committed(11, 14)
    assert out == [9, 12, 14, 15]
    assert horizon.covered == 15


def test_a_range_that_never_comes_is_given_up_after_the_stall_time() -> None:
    clock = Clock()
    horizon = VersionHorizon(stall_seconds=2.0, clock=clock)
    horizon.start_at(5)
    stalls: list[int] = []
    horizon.on_stall = lambda: stalls.append(horizon.covered)
    out: list[int] = []
    horizon.hold_or_run(8, lambda: out.append(8))
    horizon.committed(8, 8)  # 6–7: their node died before announcing them
    clock.now = 1.0
    horizon.check()
    assert (out, stalls) == ([], [])
    clock.now = 2.5
    horizon.check()
    assert stalls == [5]  # devices were told to reconnect and catch up
    assert horizon.covered == 8 and out == []  # (the held frame went with the resync)
    horizon.hold_or_run(9, lambda: out.append(9))
    horizon.committed(9, 9)
    assert out == [9]
