"""The transfer service: runs uploads and downloads, at most ``parallel`` at a time, with
progress (bytes, speed, time left), pause, resume and cancel.

An upload asks the server where the file stands (``begin_upload``: a file the server has is
done after answering its proof-of-possession challenge, an unfinished one continues from its stored offset) and streams the rest. A
dropped connection or a server error is retried after a backoff, from the server's offset; a
refusal (too large, not an image ...) ends it. Uploads are kept in a journal, so after a
restart they continue where the server says they stopped. When an upload completes, its held
message is released to the outbox; when it fails or is cancelled, the message fails.

A download writes to a partial file and continues it with a ``Range`` request; the finished
file goes into the media cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import BinaryIO

import msgspec

from messenger.core.backoff import Backoff
from messenger.core.events import EventBus, TransferChanged
from messenger.core.transfers.cache import MediaCache
from messenger.core.transfers.journal import TransferJournal
from messenger.core.transfers.models import Direction, Transfer, TransferState
from messenger.core.transport.rest import RestStreams, RestTransport
from messenger.protocol import errors
from messenger.protocol.api import DownloadQuery
from messenger.protocol.models import (
    MediaInfo,
    PossessionChallenge,
    PossessionProof,
    UploadRequest,
    UploadStatus,
)
from messenger.protocol.possession import PROOF_BYTES, possession_digest

log = logging.getLogger(__name__)

CHUNK = 1 << 20
PROGRESS_EVERY = 0.1  # seconds between progress events of one transfer
RETRYABLE = (errors.NetworkError, errors.RequestTimeout, errors.ServerError, errors.RateLimited)

Uploaded = Callable[[Transfer, MediaInfo], Awaitable[None]]
Failed = Callable[[Transfer, errors.MessengerError], Awaitable[None]]


class _Meter:
    """Smoothed speed and throttled progress events of one running transfer."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last_event = 0.0
        self.last_bytes = 0
        self.last_time = self.started
        self.speed = 0.0

    def update(self, done: int) -> bool:
        now = time.monotonic()
        elapsed = now - self.last_time
        if elapsed < PROGRESS_EVERY:
            return False
        rate = (done - self.last_bytes) / elapsed
        self.speed = rate if self.speed == 0 else 0.7 * self.speed + 0.3 * rate
        self.last_bytes, self.last_time = done, now
        return True


class TransferService:
    def __init__(
        self,
        rest: RestTransport,
        journal: TransferJournal,
        cache: MediaCache,
        bus: EventBus,
        *,
        backoff: Backoff,
        parallel: int = 3,
    ) -> None:
        self.cache = cache
        self._streams = RestStreams(rest)
        self._rest = rest
        self._journal = journal
        self._bus = bus
        self._backoff = backoff
        self._slots = asyncio.Semaphore(parallel)
        self._transfers: dict[str, Transfer] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._downloads: dict[tuple[str, str], asyncio.Future[Path]] = {}
        self.on_uploaded: Uploaded | None = None
        self.on_failed: Failed | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Take up the unfinished uploads of the journal (paused ones stay paused)."""
        for transfer in self._journal.load():
            if transfer.state.finished or transfer.direction is not Direction.UP:
                self._journal.delete(transfer.transfer_id)
                continue
            if transfer.state is TransferState.RUNNING:
                transfer = msgspec.structs.replace(transfer, state=TransferState.QUEUED)
            self._transfers[transfer.transfer_id] = transfer
            if transfer.state is TransferState.QUEUED:
                self._launch(transfer)

    def unfinished_uploads(self) -> set[str]:
        """The held messages (client_msg_id) whose uploads the journal says are not complete
        (asked before ``start``)."""
        return {
            t.client_msg_id
            for t in self._journal.load()
            if t.direction is Direction.UP and not t.state.finished and t.client_msg_id
        }

    async def aclose(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._journal.close()

    # -- queries -----------------------------------------------------------------------------------
    def transfers(self) -> list[Transfer]:
        return list(self._transfers.values())

    def get(self, transfer_id: str) -> Transfer | None:
        return self._transfers.get(transfer_id)

    def for_message(self, client_msg_id: str) -> Transfer | None:
        return next((t for t in self._transfers.values() if t.client_msg_id == client_msg_id), None)

    # -- control -----------------------------------------------------------------------------------
    def upload(
        self,
        path: Path,
        *,
        media_id: str,
        size: int,
        kind: str,
        conversation_id: str,
        client_msg_id: str,
    ) -> Transfer:
        transfer = Transfer(
            transfer_id=uuid.uuid4().hex,
            direction=Direction.UP,
            media_id=media_id,
            size=size,
            path=str(path),
            kind=kind,
            conversation_id=conversation_id,
            client_msg_id=client_msg_id,
            created=int(time.time() * 1000),
        )
        self._set(transfer)
        self._launch(transfer)
        return transfer

    async def upload_now(self, path: Path, *, media_id: str, size: int, kind: str) -> MediaInfo:
        """Upload a small file at once, outside the queue and the journal (a video's preview
        frame, sent with its message); typed errors as they come."""
        request = UploadRequest(kind=kind, size=size, sha256=media_id)
        status: UploadStatus = await self._rest.call("begin_upload", body=request)
        if status.challenge is not None:
            asked = status.challenge
            data = await asyncio.to_thread(_read_range, path, asked)
            proof = PossessionProof(challenge=asked, digest=possession_digest(asked.nonce, data))
            status = await self._rest.call(
                "begin_upload", body=msgspec.structs.replace(request, proof=proof)
            )
        if not status.complete:
            data = await asyncio.to_thread(path.read_bytes)

            async def whole() -> AsyncIterator[bytes]:
                yield data[status.offset :]

            status = await self._streams.upload(status.upload_id, status.offset, whole())
        if not status.complete or status.media is None:
            raise errors.UploadIncomplete("the upload did not complete", offset=status.offset)
        return status.media

    def pause(self, transfer_id: str) -> None:
        transfer = self._transfers.get(transfer_id)
        if transfer is None or transfer.state.finished:
            return
        self._stop_task(transfer_id)
        self._set(msgspec.structs.replace(transfer, state=TransferState.PAUSED, speed=0.0))

    def resume(self, transfer_id: str) -> None:
        transfer = self._transfers.get(transfer_id)
        if transfer is None or transfer.state is not TransferState.PAUSED:
            return
        transfer = msgspec.structs.replace(transfer, state=TransferState.QUEUED)
        self._set(transfer)
        self._launch(transfer)

    async def cancel(self, transfer_id: str) -> None:
        transfer = self._transfers.get(transfer_id)
        if transfer is None or transfer.state.finished:
            return
        self._stop_task(transfer_id)
        cancelled = msgspec.structs.replace(transfer, state=TransferState.CANCELLED, speed=0.0)
        self._finish(cancelled)
        if transfer.direction is Direction.UP and self.on_failed is not None:
            await self.on_failed(cancelled, errors.ClientError("the upload was cancelled"))

    # -- downloads -----------------------------------------------------------------------------------
    async def download(
        self, media_id: str, conversation_id: str, message_id: str, size: int, variant: str = ""
    ) -> Path:
        """The file (or thumbnail) from the cache, else downloaded into it; several callers of
        the same file share one download."""
        cached = self.cache.get(media_id, variant)
        if cached is not None:
            return cached
        key = (media_id, variant)
        pending = self._downloads.get(key)
        if pending is None:
            pending = asyncio.get_running_loop().create_future()
            self._downloads[key] = pending
            transfer = Transfer(
                transfer_id=uuid.uuid4().hex,
                direction=Direction.DOWN,
                media_id=media_id,
                size=size,
                path=str(self.cache.partial(media_id, variant)),
                conversation_id=conversation_id,
                message_id=message_id,
                variant=variant,
                created=int(time.time() * 1000),
            )
            self._transfers[transfer.transfer_id] = transfer
            self._launch(transfer)
        return await asyncio.shield(pending)

    # -- running -------------------------------------------------------------------------------------
    def _launch(self, transfer: Transfer) -> None:
        run = self._run_upload if transfer.direction is Direction.UP else self._run_download
        task = asyncio.create_task(
            run(transfer.transfer_id), name=f"transfer-{transfer.transfer_id}"
        )
        self._tasks[transfer.transfer_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(transfer.transfer_id, None))

    def _stop_task(self, transfer_id: str) -> None:
        task = self._tasks.pop(transfer_id, None)
        if task is not None:
            task.cancel()

    def _set(self, transfer: Transfer, *, persist: bool = True) -> Transfer:
        self._transfers[transfer.transfer_id] = transfer
        if persist and transfer.direction is Direction.UP:
            self._journal.save(transfer)
        self._bus.publish(TransferChanged(transfer))
        return transfer

    def _finish(self, transfer: Transfer) -> None:
        self._transfers[transfer.transfer_id] = transfer
        self._journal.delete(transfer.transfer_id)
        self._bus.publish(TransferChanged(transfer))
        if transfer.state.finished:
            self._transfers.pop(transfer.transfer_id, None)

    async def _run_upload(self, transfer_id: str) -> None:
        async with self._slots:
            transfer = self._transfers[transfer_id]
            # How far it is comes from the server (``begin_upload``), not from what was read.
            transfer = self._set(
                msgspec.structs.replace(transfer, state=TransferState.RUNNING, done=0)
            )
            while True:
                try:
                    media = await self._upload_once(transfer_id)
                except RETRYABLE as exc:
                    delay = (
                        exc.retry_after_ms / 1000
                        if isinstance(exc, errors.RateLimited)
                        else self._backoff.next_delay()
                    )
                    log.info("upload %s interrupted (%r); again in %.1f s", transfer_id, exc, delay)
                    await asyncio.sleep(delay)
                    continue
                except errors.MessengerError as exc:
                    await self._fail(transfer_id, exc)
                    return
                except OSError as exc:  # the local file went away
                    await self._fail(
                        transfer_id, errors.ClientError(f"cannot read the file: {exc}")
                    )
                    return
                if media is None:
                    continue  # the connection ended early: ask where it stands
                self._backoff.reset()
                done = msgspec.structs.replace(
                    self._transfers[transfer_id],
                    state=TransferState.DONE,
                    done=transfer.size,
                    speed=0.0,
                )
                self._finish(done)
                if self.on_uploaded is not None:
                    await self.on_uploaded(done, media)
                return

    async def _upload_once(self, transfer_id: str) -> MediaInfo | None:
        transfer = self._transfers[transfer_id]
        request = UploadRequest(kind=transfer.kind, size=transfer.size, sha256=transfer.media_id)
        status: UploadStatus = await self._rest.call("begin_upload", body=request)
        if status.challenge is not None:  # the server has the file: show that I do too
            asked = status.challenge
            data = await asyncio.to_thread(_read_range, Path(transfer.path), asked)
            proof = PossessionProof(challenge=asked, digest=possession_digest(asked.nonce, data))
            request = msgspec.structs.replace(request, proof=proof)
            status = await self._rest.call("begin_upload", body=request)
        if status.complete:
            return status.media
        self._set(msgspec.structs.replace(transfer, done=status.offset))
        meter = _Meter()
        meter.last_bytes = status.offset
        status = await self._streams.upload(
            status.upload_id, status.offset, self._read(transfer_id, status.offset, meter)
        )
        self._set(msgspec.structs.replace(self._transfers[transfer_id], done=status.offset))
        return status.media if status.complete else None

    async def _read(self, transfer_id: str, offset: int, meter: _Meter) -> AsyncIterator[bytes]:
        transfer = self._transfers[transfer_id]
        sent = offset
        f = await asyncio.to_thread(_open_at, Path(transfer.path), offset)
        try:
            while block := await asyncio.to_thread(f.read, CHUNK):  # disk reads off the loop
                yield block
                sent += len(block)
                if meter.update(sent):
                    self._progress(transfer_id, sent, meter)
        finally:
            f.close()

    def _progress(self, transfer_id: str, done: int, meter: _Meter) -> None:
        current = self._transfers.get(transfer_id)
        if current is not None:
            self._set(msgspec.structs.replace(current, done=done, speed=meter.speed), persist=False)

    async def _fail(self, transfer_id: str, error: errors.MessengerError) -> None:
        transfer = self._transfers[transfer_id]
        failed = msgspec.structs.replace(
            transfer, state=TransferState.FAILED, error=error.message, speed=0.0
        )
        self._finish(failed)
        if failed.direction is Direction.UP and self.on_failed is not None:
            await self.on_failed(failed, error)

    async def _run_download(self, transfer_id: str) -> None:
        transfer = self._transfers[transfer_id]
        key = (transfer.media_id, transfer.variant)
        future = self._downloads[key]
        try:
            async with self._slots:
                self._set(msgspec.structs.replace(transfer, state=TransferState.RUNNING))
                path = await self._download_retrying(transfer_id)
        except asyncio.CancelledError:
            if not future.done():
                future.set_exception(errors.ClientError("the download was cancelled"))
            raise
        except errors.MessengerError as exc:
            self._finish(
                msgspec.structs.replace(transfer, state=TransferState.FAILED, error=exc.message)
            )
            if not future.done():
                future.set_exception(exc)
        else:
            self._finish(
                msgspec.structs.replace(
                    self._transfers[transfer_id], state=TransferState.DONE, done=transfer.size
                )
            )
            if not future.done():
                future.set_result(path)
        finally:
            self._downloads.pop(key, None)

    async def _download_retrying(self, transfer_id: str) -> Path:
        transfer = self._transfers[transfer_id]
        partial = Path(transfer.path)
        query = DownloadQuery(
            conversation_id=transfer.conversation_id,
            message_id=transfer.message_id,
            variant=transfer.variant,
        )
        for attempt in range(8):
            sink = await asyncio.to_thread(_Sink, partial)
            try:
                if transfer.size and sink.size >= transfer.size:
                    break  # all there (a crash before it was moved into the cache)
                meter = _Meter()
                meter.last_bytes = sink.size

                def write(chunk: bytes, sink: _Sink = sink, meter: _Meter = meter) -> None:
                    sink.write(chunk)
                    if meter.update(sink.size):
                        self._progress(transfer_id, sink.size, meter)

                await self._streams.download(
                    transfer.media_id, query, sink.size, write, restart=sink.restart
                )
            except RETRYABLE:
                if attempt == 7:
                    raise
                await asyncio.sleep(self._backoff.next_delay())
                continue
            finally:
                sink.close()
            break
        return self.cache.commit(partial, transfer.media_id, transfer.variant)


def _read_range(path: Path, asked: PossessionChallenge) -> bytes:
    """The bytes a possession challenge asks about (never more than ``PROOF_BYTES``)."""
    with path.open("rb") as f:
        f.seek(asked.offset)
        return f.read(min(asked.length, PROOF_BYTES))


def _open_at(path: Path, offset: int) -> BinaryIO:
    f = path.open("rb")
    f.seek(offset)
    return f


class _Sink:
    """The partial file of a download: appended to, or started again."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("ab")
        self.size = self._file.tell()

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self.size += len(chunk)

    def restart(self) -> None:
        self._file.truncate(0)
        self._file.seek(0)
        self.size = 0

    def close(self) -> None:
        self._file.close()
