"""The peer benchmark's measuring logic (``benchmarks/peers``): its arithmetic and its parsers.

The benchmark itself (``make bench-peers-quick``) takes about two minutes and installs Synapse, so
it is not part of the suite; what turns stamps into figures is, because a benchmark whose
arithmetic is wrong is worse than none.
"""

from __future__ import annotations

import asyncio
import math
import struct
import zlib
from typing import Any

import pytest

from benchmarks.peers import report
from benchmarks.peers.stats import (
    FanoutResult,
    LoadPoint,
    Tally,
    bytes_per_connection,
    cpu_seconds,
    parse_stamp,
    percentile,
    ratio,
    rss_bytes,
    saturated,
)
from benchmarks.peers.wire import WsClient, parse_frames, parse_response, ws_frame

MS = 1_000_000  # ns


# -- arithmetic -------------------------------------------------------------------------------------------
def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.99) == 7
    assert percentile(list(reversed(values)), 0.5) == 50  # order does not matter
    assert math.isnan(percentile([], 0.5))


def test_a_stamp_is_the_leading_number_of_a_text() -> None:
    assert parse_stamp("123456789 c2c") == 123456789
    assert parse_stamp("123 fan 4") == 123
    assert parse_stamp("hello 123") is None
    assert parse_stamp("") is None


def test_tallies_merge_into_one_run() -> None:
    a, b = Tally(), Tally()
    a.sent_at(1_000 * MS)
    a.sent_at(1_001 * MS)
    a.received_at(1_000 * MS, 1_002 * MS)  # 2 ms
    a.received_at(1_001 * MS, 1_005 * MS)  # 4 ms
    b.sent_at(999 * MS)
    b.received_at(999 * MS, 1_010 * MS)  # 11 ms
    b.errors = 1
    total = Tally.merge([a, b])
    assert (total.sent, total.received, total.errors) == (3, 3, 1)
    assert sorted(total.latencies_us) == [2_000, 4_000, 11_000]
    assert total.first_send_ns == 999 * MS
    assert total.last_send_ns == 1_001 * MS
    assert total.first_receive_ns == 1_002 * MS
    assert total.last_receive_ns == 1_010 * MS


def _tally(n: int, interval_ms: float, latency_ms: float) -> Tally:
    """``n`` messages sent ``interval_ms`` apart, each received ``latency_ms`` later."""
    t = Tally()
    for i in range(n):
        sent = int(1_000 * MS + i * interval_ms * MS)
        t.sent_at(sent)
        t.received_at(sent, sent + int(latency_ms * MS))
    return t


def test_a_load_point_from_a_run_that_kept_up() -> None:
    tally = _tally(1001, 1.0, 2.0)  # 1,000 msg/s for 1 s, 2 ms each
    tally.cpu_seconds = 0.25
    point = LoadPoint.of("ours", 1000, tally, wall_seconds=1.0, server_cpu_s=0.5)
    assert point.p50_ms == pytest.approx(2.0)
    assert point.p99_ms == pytest.approx(2.0)
    assert point.send_rate == pytest.approx(1000, rel=1e-3)
    assert point.delivery_rate == pytest.approx(1000, rel=1e-3)
    assert point.throughput == pytest.approx(1001 / 1.002, rel=1e-3)  # first send → last receive
    assert point.server_cpu == pytest.approx(0.5)
    assert point.generator_cpu == pytest.approx(0.25)
    assert point.server_us_per_message == pytest.approx(0.5 / 1001 * 1e6)
    assert not point.saturated()
    assert point.as_dict()["saturated"] is False


def test_saturation_is_falling_behind_not_latency_alone() -> None:
    # kept up, but with a long constant latency: not saturated
    slow = LoadPoint.of("x", 100, _tally(101, 10.0, 800.0), 1.0, 0.1)
    assert not slow.saturated()
    # the server delivered at half the offered rate: the latency grows through the run
    behind = Tally()
    for i in range(101):
        sent = 1_000 * MS + i * 10 * MS  # offered 100 msg/s
        behind.sent_at(sent)
        behind.received_at(sent, 1_000 * MS + i * 20 * MS + MS)  # delivered 50 msg/s
    assert LoadPoint.of("x", 100, behind, 2.0, 1.0).saturated()
    # lost messages, a closed-loop run, a generator held back by its window
    assert saturated(100, sent=10, received=9, send_rate=100, delivery_rate=100)
    assert saturated(0, sent=10, received=10, send_rate=100, delivery_rate=100)
    assert saturated(100, sent=10, received=10, send_rate=80, delivery_rate=100)


def complete(result: FanoutResult) -> bool:
    return result.complete


def test_fanout_counts_until_the_last_member() -> None:
    result = FanoutResult("ours", members=4, online=3)
    sent = 1_000 * MS
    result.add(sent, [sent + 5 * MS, sent + 10 * MS, sent + 30 * MS])
    result.add(sent, [sent + 1 * MS, sent + 2 * MS, sent + 3 * MS])
    assert result.to_all_ms == [30.0, 3.0]
    assert result.to_half_ms == [10.0, 2.0]
    assert result.max_all_ms == 30.0
    assert complete(result)
    result.add(sent, [sent + MS, sent + MS])  # one member never got the third message
    assert not complete(result)
    assert math.isinf(result.max_all_ms)
    assert result.delivered == [3, 3, 2]


def test_memory_and_cpu_from_proc() -> None:
    status = "Name:\tpython\nVmPeak:\t  999 kB\nVmRSS:\t  2048 kB\nThreads:\t3\n"
    assert rss_bytes(status) == 2048 * 1024
    with pytest.raises(ValueError, match="VmRSS"):
        rss_bytes("Name:\tx\n")
    # pid (comm with ) and spaces) state ppid ... utime=field 14, stime=field 15
    fields = ["S", "1"] + ["0"] * 9 + ["250", "50"] + ["0"] * 10
    stat = "4242 (python -m x) y) " + " ".join(fields)
    assert cpu_seconds(stat) == pytest.approx(3.0)
    assert bytes_per_connection(100, 1100, 10) == 100
    assert bytes_per_connection(1100, 100, 10) == 0  # memory returned: not negative
    assert math.isnan(bytes_per_connection(0, 1, 0))
    assert ratio(500.0, 5.0) == 100
    assert math.isnan(ratio(1.0, 0.0))


def test_targets_are_judged_from_the_figures() -> None:
    results: dict[str, Any] = {
        "c2c": {
            "ours": {
                "max": {"throughput": 10_000.0},
                "sweep": [{"offered": 1000, "p50_ms": 1.0, "p99_ms": 4.0}],
            },
            "synapse": {"max": {"throughput": 80.0}, "sweep": []},
        },
        "fanout": {
            "ours": [{"members": 1000, "p50_all_ms": 40.0, "max_all_ms": 120.0, "complete": True}]
        },
        "idle": {
            "connections": 10_000,
            "rss_before": 0,
            "rss_after": 300 * 2**20,
            "bytes_per_connection": 300 * 2**20 / 10_000,
        },
    }
    met = {name: ok for name, _, _, ok in report.targets(results)}
    assert met["C2C throughput ≥ 100× Synapse's"] is True  # 125×
    assert met["p99 ≤ 20 ms at 1,000 msg/s"] is True
    assert met["1,000-member group: all online members have it within 100 ms"] is False  # max 120
    assert met["10,000 idle connections in ≤ 1 GB"] is True
    results["idle"]["connections"] = 1000  # a quick run holds too few to judge
    assert {n: ok for n, _, _, ok in report.targets(results)}[
        "10,000 idle connections in ≤ 1 GB"
    ] is None


# -- parsers ------------------------------------------------------------------------------------------------
def _server_frame(opcode: int, payload: bytes, fin: bool = True, rsv1: bool = False) -> bytes:
    first = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    if n < 126:
        return struct.pack("!BB", first, n) + payload
    if n < 65536:
        return struct.pack("!BBH", first, 126, n) + payload
    return struct.pack("!BBQ", first, 127, n) + payload


def test_frames_are_parsed_whole_and_only_whole() -> None:
    big = b"x" * 70_000
    data = _server_frame(1, b"hello") + _server_frame(1, b"y" * 300) + _server_frame(2, big)
    frames, used = parse_frames(bytearray(data))
    assert [(fin, op, len(p)) for fin, op, p in frames] == [
        (True, 1, 5),
        (True, 1, 300),
        (True, 2, 70_000),
    ]
    assert used == len(data)
    frames, used = parse_frames(bytearray(data[:-1]))  # the last frame is not complete yet
    assert len(frames) == 2
    assert used == len(data) - len(_server_frame(2, big))


def test_client_frames_are_masked_and_parse_back() -> None:
    frame = ws_frame(1, b"a text")
    assert frame[1] & 0x80  # masked, as a client must
    ((fin, opcode, payload),), used = parse_frames(bytearray(frame))
    assert (fin, opcode, payload, used) == (True, 1, b"a text", len(frame))


def test_http_responses_with_length_or_chunks() -> None:
    plain = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello"
    assert parse_response(bytearray(plain + b"HTTP/1.1")) == (200, b"hello", len(plain))
    assert parse_response(bytearray(plain[:-1])) is None
    chunked = (
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4\r\nwiki\r\n6;ext=1\r\npedia!\r\n0\r\n\r\n"
    )
    assert parse_response(bytearray(chunked)) == (404, b"wikipedia!", len(chunked))
    assert parse_response(bytearray(chunked[:-2])) is None


async def test_the_websocket_client_stamps_inflates_and_reassembles() -> None:
    """Fed like a socket: the handshake, a plain, a compressed and a fragmented message."""
    ws = WsClient()
    got: list[tuple[bytes, int]] = []

    class Transport:
        written: list[bytes] = []  # noqa: RUF012 - a test double

        def write(self, data: bytes) -> None:
            self.written.append(data)

        def is_closing(self) -> bool:
            return False

        def close(self) -> None:
            pass

    ws.transport = Transport()  # type: ignore[assignment]
    ws.data_received(
        b"HTTP/1.1 101 Switching Protocols\r\n"
        b"Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n"
    )
    await asyncio.wait_for(ws._handshake, 1)
    ws.on_text = lambda payload, now: got.append((payload, now))
    deflater = zlib.compressobj(1, zlib.DEFLATED, -12)
    squeezed = (deflater.compress(b"squeezed " * 50) + deflater.flush(zlib.Z_SYNC_FLUSH))[:-4]
    ws.data_received(
        _server_frame(1, b"plain")
        + _server_frame(1, squeezed, rsv1=True)
        + _server_frame(1, b"frag", fin=False)
        + _server_frame(0, b"mented")
        + _server_frame(9, b"ping!")
    )
    assert [p for p, _ in got] == [b"plain", b"squeezed " * 50, b"fragmented"]
    assert len({now for _, now in got}) == 1  # one stamp: when the bytes arrived
    assert Transport.written[-1] == ws_frame(0xA, b"ping!")  # a ping is answered
