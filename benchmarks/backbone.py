"""Backbone benchmark: C2C throughput, send-to-receive latency, and catching up 10,000 messages.

    python -m benchmarks.backbone [--quick]

Starts a real ``messenger-server`` (SQLite, default durability) in a temporary folder, drives it
with the raw-WebSocket load generator in separate processes, and prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from benchmarks import client_sync
from benchmarks.loadgen import PairSpec, run_load
from benchmarks.server import KEY, SDK_APP_ID, Server
from messenger.protocol import frames
from messenger.protocol.models import SendRequest
from messenger.protocol.usersig import generate_usersig


def login(http: httpx.Client, user_id: str) -> str:
    sig = generate_usersig(SDK_APP_ID, KEY, user_id, 86400)
    r = http.post(
        "/v1/auth/login", json={"user_id": user_id, "user_sig": sig, "device_id": uuid.uuid4().hex}
    )
    r.raise_for_status()
    return str(r.json()["session_token"])


def percentile(values: list[int], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] / 1000.0


def make_pairs(server: Server, count: int, tag: str) -> list[PairSpec]:
    pairs = []
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for i in range(count):
            s, r = f"{tag}s{i}", f"{tag}r{i}"
            pairs.append(PairSpec(login(http, s), login(http, r), r))
    return pairs


def throughput(server: Server, pairs: int, per_pair: int, processes: int) -> None:
    specs = make_pairs(server, pairs, "t")
    res = run_load(server.ws_url, specs, per_pair=per_pair, rate=0, window=64, processes=processes)
    elapsed = (res.last_receive_ns - res.first_send_ns) / 1e9
    print(
        f"C2C throughput: {res.received} messages in {elapsed:.2f} s = "
        f"{res.received / elapsed:,.0f} msg/s end to end "
        f"({pairs} pairs, {processes} load processes, errors {res.errors})"
    )
    print(
        f"  latency under max load: p50 {percentile(res.latencies_us, 0.5):.1f} ms, "
        f"p99 {percentile(res.latencies_us, 0.99):.1f} ms"
    )


def latency(server: Server, rate: int, seconds: float, pairs: int, processes: int) -> None:
    specs = make_pairs(server, pairs, f"l{rate}")
    per_pair = max(1, int(rate * seconds / pairs))
    res = run_load(
        server.ws_url, specs, per_pair=per_pair, rate=rate, window=1000, processes=processes
    )
    lat = res.latencies_us
    print(
        f"Latency at {rate:,} msg/s offered ({res.received} messages): "
        f"p50 {percentile(lat, 0.5):.2f} ms, p99 {percentile(lat, 0.99):.2f} ms, "
        f"max {max(lat) / 1000:.1f} ms, mean {statistics.mean(lat) / 1000:.2f} ms"
    )


async def _fill_offline(server: Server, target: str, conversations: int, per_conv: int) -> None:
    from websockets.asyncio.client import connect

    with httpx.Client(base_url=server.url, timeout=30) as http:
        tokens = [login(http, f"peer{i}") for i in range(conversations)]

    async def blast(token: str) -> None:
        ws = await connect(server.ws_url, max_size=2**24)
        await ws.send(frames.encode(frames.Hello(token=token)).decode())
        acks = 0
        for i in range(per_conv):
            msg = SendRequest(
                client_msg_id=uuid.uuid4().hex, body={"text": f"message {i} 你好世界"}
            )
            await ws.send(
                frames.encode(frames.Send(id=i, conversation_id="C2C" + target, msg=msg)).decode()
            )
        while acks < per_conv:
            frame = frames.decode_server_frame(await ws.recv())
            if isinstance(frame, (frames.Ack, frames.ErrorFrame)):
                acks += 1
        await ws.close()

    await asyncio.gather(*(blast(t) for t in tokens))


async def _raw_catch_up(server: Server, token: str) -> tuple[int, float]:
    from websockets.asyncio.client import connect

    started = time.perf_counter()
    ws = await connect(server.ws_url, max_size=2**24)
    await ws.send(frames.encode(frames.Hello(token=token, since=0)).decode())
    count = 0
    while True:
        frame = frames.decode_server_frame(await ws.recv())
        if isinstance(frame, frames.Changes):
            count += sum(isinstance(c, frames.MessageChange) for c in frame.changes)
        elif isinstance(frame, frames.Synced):
            break
    elapsed = time.perf_counter() - started
    await ws.close()
    return count, elapsed


def sync(server: Server, conversations: int, per_conv: int) -> None:
    target = "syncer"
    with httpx.Client(base_url=server.url, timeout=30) as http:
        token = login(http, target)
    asyncio.run(_fill_offline(server, target, conversations, per_conv))
    count, elapsed = asyncio.run(_raw_catch_up(server, token))
    print(
        f"Sync {count:,} missed messages in {conversations} conversations "
        f"(server catch-up over the WebSocket, decoded): {elapsed:.2f} s"
    )
    # The same through the real client core: catch-up into its store, and a new device.
    client_sync.measure(
        server.url,
        sdk_app_id=SDK_APP_ID,
        secret_key=KEY,
        conversations=conversations,
        per_conversation=per_conv,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small runs for CI")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--synchronous", default="FULL", choices=["FULL", "NORMAL"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp), args.synchronous)
        try:
            print(
                f"messenger-server on {server.url}, SQLite synchronous={args.synchronous}, "
                f"{os.cpu_count()} CPUs"
            )
            if args.quick:
                throughput(server, pairs=8, per_pair=250, processes=args.processes)
                latency(server, rate=500, seconds=2, pairs=10, processes=args.processes)
                sync(server, conversations=10, per_conv=100)
            else:
                throughput(server, pairs=32, per_pair=2000, processes=args.processes)
                latency(server, rate=1000, seconds=10, pairs=50, processes=args.processes)
                sync(server, conversations=100, per_conv=100)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
