"""Proof of possession for uploads: a caller who announces a file the server already has must
show they hold its bytes, not just its SHA-256 (which is no secret: it travels in every message
that names the file). The server asks for the hash of a random nonce and a random range of the
file; both sides compute the answer with ``possession_digest``."""

from __future__ import annotations

import hashlib

PROOF_BYTES = 64 * 1024  # the longest range asked for


def possession_digest(nonce: str, data: bytes) -> str:
    """The hex SHA-256 of ``nonce`` (UTF-8) followed by ``data`` (the asked range)."""
    digest = hashlib.sha256(nonce.encode("utf-8"))
    digest.update(data)
    return digest.hexdigest()
