"""A load generator of its own: raw WebSockets, several processes, no client core.

Each worker process owns some sender/receiver pairs. Senders put a monotonic timestamp in each
message; receivers record send-to-receive latency. Clocks agree across processes
(``time.monotonic_ns`` is system-wide on Linux and macOS).
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import time
import uuid
from dataclasses import dataclass, field

from websockets.asyncio.client import connect

from messenger.protocol import frames
from messenger.protocol.models import SendRequest


@dataclass
class PairSpec:
    sender_token: str
    receiver_token: str
    receiver_id: str
    # the nodes' WebSocket URLs when sender and receiver are on different nodes ("": the run's)
    sender_url: str = ""
    receiver_url: str = ""


@dataclass
class WorkerResult:
    sent: int = 0
    received: int = 0
    errors: int = 0
    latencies_us: list[int] = field(default_factory=list)
    first_send_ns: int = 0
    last_receive_ns: int = 0


async def _open(url: str, token: str):
    ws = await connect(url, max_size=2**24, compression=None)
    await ws.send(frames.encode(frames.Hello(token=token, since=None)).decode())
    while True:
        frame = frames.decode_server_frame(await ws.recv())
        if isinstance(frame, frames.Synced):
            return ws
        if isinstance(frame, frames.ErrorFrame):
            raise RuntimeError(frame.error.message)


async def _run_pairs(
    url: str,
    pairs: list[PairSpec],
    per_pair: int,
    rate_per_pair: float,
    window: int,
    start_at: float,
    phase: float,
    stride: float,
) -> WorkerResult:
    result = WorkerResult()
    senders = [await _open(p.sender_url or url, p.sender_token) for p in pairs]
    receivers = [await _open(p.receiver_url or url, p.receiver_token) for p in pairs]

    async def receive(ws) -> None:
        got = 0
        while got < per_pair:
            frame = frames.decode_server_frame(await ws.recv())
            if isinstance(frame, frames.Changes):
                now = time.monotonic_ns()
                for ch in frame.changes:
                    if isinstance(ch, frames.MessageChange):
                        sent_ns = int(ch.message.body["text"].split(" ", 1)[0])
                        result.latencies_us.append((now - sent_ns) // 1000)
                        got += 1
                        result.received += 1
                        result.last_receive_ns = now

    async def send(ws, spec: PairSpec, index: int) -> None:
        conv = "C2C" + spec.receiver_id
        credit = asyncio.Semaphore(window)
        acked = 0

        async def read_acks() -> None:
            nonlocal acked
            while acked < per_pair:
                frame = frames.decode_server_frame(await ws.recv())
                if isinstance(frame, frames.Ack):
                    acked += 1
                    credit.release()
                elif isinstance(frame, frames.ErrorFrame):
                    result.errors += 1
                    acked += 1
                    credit.release()

        reader = asyncio.create_task(read_acks())
        interval = 1.0 / rate_per_pair if rate_per_pair > 0 else 0.0
        # spread the pairs' schedules evenly over one interval: a uniform offered load, not bursts
        offset = interval * (phase + index * stride) if interval else 0.0
        delay = start_at + offset - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        t0 = time.monotonic()
        for i in range(per_pair):
            if interval:
                target = t0 + i * interval
                wait = target - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            await credit.acquire()
            now_ns = time.monotonic_ns()
            if not result.first_send_ns:
                result.first_send_ns = now_ns
            msg = SendRequest(client_msg_id=uuid.uuid4().hex, body={"text": f"{now_ns} hello"})
            await ws.send(
                frames.encode(frames.Send(id=i + 1, conversation_id=conv, msg=msg)).decode()
            )
            result.sent += 1
        await reader

    await asyncio.gather(
        *(receive(ws) for ws in receivers),
        *(send(ws, spec, i) for i, (ws, spec) in enumerate(zip(senders, pairs, strict=True))),
    )
    for ws in senders + receivers:
        await ws.close()
    return result


def _worker(
    url: str,
    pairs: list[PairSpec],
    per_pair: int,
    rate_per_pair: float,
    window: int,
    start_at: float,
    phase: float,
    stride: float,
    out: mp.Queue,
) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    out.put(
        asyncio.run(
            _run_pairs(url, pairs, per_pair, rate_per_pair, window, start_at, phase, stride)
        )
    )


def run_load(
    ws_url: str, pairs: list[PairSpec], *, per_pair: int, rate: float, window: int, processes: int
) -> WorkerResult:
    """Drive ``pairs`` from ``processes`` workers; ``rate`` is the total offered msg/s (0 = max)."""
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    chunks = [pairs[i::processes] for i in range(processes)]
    chunks = [c for c in chunks if c]
    rate_per_pair = rate / len(pairs) if rate else 0.0
    start_at = time.time() + 1.5 + 0.3 * len(chunks)
    # worker k takes pairs k, k+n, k+2n…: pair j's phase is j/len(pairs) of an interval
    n = len(chunks)
    procs = [
        ctx.Process(
            target=_worker,
            args=(
                ws_url,
                c,
                per_pair,
                rate_per_pair,
                window,
                start_at,
                k / len(pairs),
                n / len(pairs),
                out,
            ),
        )
        for k, c in enumerate(chunks)
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    total = WorkerResult()
    for r in results:
        total.sent += r.sent
        total.received += r.received
        total.errors += r.errors
        total.latencies_us.extend(r.latencies_us)
        if r.first_send_ns and (not total.first_send_ns or r.first_send_ns < total.first_send_ns):
            total.first_send_ns = r.first_send_ns
        total.last_receive_ns = max(total.last_receive_ns, r.last_receive_ns)
    return total
