"""Media transfers over loopback: a file up through the real client core and server, and down
again by the peer, in MB/s; plus the sender-side preparation of a 24-megapixel photo (hash,
upright size, thumbnail), which is what stands between a drop and its painted bubble, and the
longest stall of the event loop meanwhile (what a GUI thread would feel). Beside the wall-clock
rates, the CPU seconds each side spent (this process: both clients; the server's process, read
from /proc on Linux): on a shared machine they vary far less with the load than MB/s do.

Then many small files one after another (a 4 KB file each: uploaded, sent, downloaded), where
the server's media index, not the bytes, is most of the work: files per second each way and the
server's CPU milliseconds per file.

    .venv/bin/python -m benchmarks.media [--mb 100] [--files 300] [--quick] [--server-code DIR]
        [--postgres]

(``--server-code``: run the server from another copy of the code, for a before/after;
``--postgres``: the server on a throw-away PostgreSQL cluster on loopback instead of SQLite.)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from pathlib import Path

from PIL import Image

from benchmarks.server import KEY, SDK_APP_ID, Server
from messenger.core import MessageState
from messenger.core.client import Client
from messenger.core.events import MessagesAdded, MessageUpdated
from messenger.core.transfers.local import file_facts, image_facts
from messenger.protocol.usersig import generate_usersig
from tests.helpers.postgres import PostgresCluster


class StallMeter:
    """The longest gap between ticks of a 5 ms timer on the loop."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.005)
            last = now

    def __enter__(self) -> StallMeter:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of this process, or of process ``pid`` (Linux; else NaN)."""
    if pid is None:
        return time.process_time()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def signed_in(url: str, folder: Path, user_id: str) -> Client:
    client = Client(url, folder / user_id)
    await client.start()
    await client.login(user_id, generate_usersig(SDK_APP_ID, KEY, user_id, 86400))
    return client


async def transfer(url: str, folder: Path, size_mb: int, server_pid: int) -> None:
    alice = await signed_in(url, folder, "alice")
    bob = await signed_in(url, folder, "bob")
    path = folder / "big.bin"
    path.write_bytes(os.urandom(size_mb << 20))
    arrived: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    sent: asyncio.Future[object] = asyncio.get_running_loop().create_future()

    def on_bob(event: object) -> None:
        if isinstance(event, MessagesAdded) and not arrived.done():
            arrived.set_result(event.messages[-1])

    def on_alice(event: object) -> None:
        if (
            isinstance(event, MessageUpdated)
            and event.message.state is MessageState.SENT
            and not sent.done()
        ):
            sent.set_result(event.message)

    bob.subscribe(on_bob)
    alice.subscribe(on_alice)
    with StallMeter() as up_stall:
        cpu = cpu_seconds(), cpu_seconds(server_pid)
        started = time.perf_counter()
        await alice.send_file("C2Cbob", path)
        await sent
        up = time.perf_counter() - started
        up_cpu = cpu_seconds() - cpu[0], cpu_seconds(server_pid) - cpu[1]
    message = await arrived
    with StallMeter() as down_stall:
        cpu = cpu_seconds(), cpu_seconds(server_pid)
        started = time.perf_counter()
        got = await bob.download(message)  # type: ignore[arg-type]
        down = time.perf_counter() - started
        down_cpu = cpu_seconds() - cpu[0], cpu_seconds(server_pid) - cpu[1]
    assert got.stat().st_size == size_mb << 20
    print(f"upload   {size_mb} MB: {up:6.2f} s  {size_mb / up:7.1f} MB/s  (hash, upload, send)")
    print(f"download {size_mb} MB: {down:6.2f} s  {size_mb / down:7.1f} MB/s")
    print(
        f"CPU seconds, client / server: upload {up_cpu[0]:.2f} / {up_cpu[1]:.2f}, "
        f"download {down_cpu[0]:.2f} / {down_cpu[1]:.2f}"
    )
    print(
        f"longest event-loop stall: upload {up_stall.longest * 1000:.1f} ms, "
        f"download {down_stall.longest * 1000:.1f} ms"
    )
    await alice.aclose()
    await bob.aclose()


async def small_files(url: str, folder: Path, count: int, server_pid: int) -> None:
    alice = await signed_in(url, folder, "alice-small")
    bob = await signed_in(url, folder, "bob-small")
    paths = []
    for i in range(count):
        path = folder / f"note{i}.txt"
        path.write_bytes(os.urandom(4096))
        paths.append(path)
    received: asyncio.Queue[object] = asyncio.Queue()
    sent: asyncio.Queue[object] = asyncio.Queue()

    def on_bob(event: object) -> None:
        if isinstance(event, MessagesAdded):
            for message in event.messages:
                received.put_nowait(message)

    def on_alice(event: object) -> None:
        if isinstance(event, MessageUpdated) and event.message.state is MessageState.SENT:
            sent.put_nowait(event.message)

    bob.subscribe(on_bob)
    alice.subscribe(on_alice)
    cpu = cpu_seconds(server_pid)
    started = time.perf_counter()
    for path in paths:  # one at a time: each file's index work is on the critical path
        await alice.send_file("C2Cbob-small", path)
        await sent.get()
    up = time.perf_counter() - started
    up_cpu = cpu_seconds(server_pid) - cpu
    messages = [await received.get() for _ in range(count)]
    cpu = cpu_seconds(server_pid)
    started = time.perf_counter()
    for message in messages:
        await bob.download(message)  # type: ignore[arg-type]
    down = time.perf_counter() - started
    down_cpu = cpu_seconds(server_pid) - cpu
    print(
        f"{count} small files (4 KB) one at a time: up {count / up:6.1f} files/s "
        f"(server CPU {up_cpu / count * 1000:.2f} ms/file), down {count / down:6.1f} files/s "
        f"(server CPU {down_cpu / count * 1000:.2f} ms/file)"
    )
    await alice.aclose()
    await bob.aclose()


async def photo(folder: Path) -> None:
    path = folder / "photo24mp.jpg"
    # Noise over a gradient: a photo-like file size (several MB), not a tiny flat JPEG.
    noise = Image.effect_noise((6000, 4000), 40)
    shade = Image.radial_gradient("L").resize((6000, 4000))
    Image.merge("RGB", (noise, shade, Image.blend(noise, shade, 0.5))).save(path, quality=90)
    with StallMeter() as stall:
        started = time.perf_counter()
        await asyncio.to_thread(file_facts, path)
        await asyncio.to_thread(image_facts, path, folder / "thumb.jpg")
        took = time.perf_counter() - started
    print(
        f"24-MP photo ({path.stat().st_size / 1e6:.1f} MB) hashed, measured and thumbnailed "
        f"before its bubble: {took * 1000:.0f} ms (longest loop stall {stall.longest * 1000:.1f} ms)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--server-code", type=Path, default=None)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    size = 10 if args.quick else args.mb
    files = 100 if args.quick else args.files
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        database: list[str] = []
        if args.postgres:
            cluster = stack.enter_context(PostgresCluster.start(durable=True))
            database = ["--database", cluster.fresh_schema()]
        (folder / "server").mkdir()
        server = Server(folder / "server", "NORMAL", *database, code_root=args.server_code)
        try:
            await transfer(server.url, folder, size, server.proc.pid)
            await small_files(server.url, folder, files, server.proc.pid)
        finally:
            server.stop()
        await photo(folder)


if __name__ == "__main__":
    asyncio.run(main())
