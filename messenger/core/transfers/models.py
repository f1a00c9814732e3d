"""What a transfer is and where it stands."""

from __future__ import annotations

import enum

import msgspec


class Direction(enum.StrEnum):
    UP = "up"
    DOWN = "down"


class TransferState(enum.StrEnum):
    QUEUED = "queued"  # waiting for a free slot (or for the connection)
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"  # refused for good (``error`` says why)
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (TransferState.DONE, TransferState.FAILED, TransferState.CANCELLED)


class Transfer(msgspec.Struct, frozen=True, kw_only=True):
    """One upload or download. Uploads belong to a held message (``client_msg_id``) that is
    sent when the upload completes."""

    transfer_id: str
    direction: Direction
    media_id: str  # the file's SHA-256
    size: int
    path: str  # the local file: read for uploads, written for downloads
    kind: str = ""  # uploads: the message kind the file is for
    conversation_id: str = ""
    client_msg_id: str = ""  # uploads: the held message
    message_id: str = ""  # downloads: the message the file is seen through
    variant: str = ""  # downloads: "", "small", "large"
    state: TransferState = TransferState.QUEUED
    done: int = 0  # bytes transferred (confirmed by the server for uploads)
    speed: float = 0.0  # bytes per second, smoothed
    error: str = ""
    created: int = 0

    @property
    def seconds_left(self) -> float | None:
        """Time left at the current speed (None while it is unknown)."""
        if self.speed <= 0:
            return None
        return max(0.0, (self.size - self.done) / self.speed)

    @property
    def fraction(self) -> float:
        return self.done / self.size if self.size else 1.0
