"""The server's side of proof of possession (``protocol.possession``): challenges signed with the
server's key, so nothing is kept between the question and the answer, and the check of an
answer against the stored file."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from messenger.protocol.models import PossessionChallenge, PossessionProof
from messenger.protocol.possession import PROOF_BYTES, possession_digest

CHALLENGE_MS = 60_000  # time to answer


def _sig(
    key: bytes,
    user: str,
    sha256: str,
    size: int,
    nonce: str,
    offset: int,
    length: int,
    expires: int,
) -> str:
    parts = ("possession", user, sha256, str(size), nonce, str(offset), str(length), str(expires))
    return hmac.new(key, "\n".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def challenge(key: bytes, user: str, sha256: str, size: int, now_ms: int) -> PossessionChallenge:
    """A question about a random range of the file (the whole file when it is small)."""
    length = min(size, PROOF_BYTES)
    offset = secrets.randbelow(size - length + 1)
    nonce = secrets.token_hex(16)
    expires = now_ms + CHALLENGE_MS
    return PossessionChallenge(
        nonce=nonce,
        offset=offset,
        length=length,
        expires=expires,
        sig=_sig(key, user, sha256, size, nonce, offset, length, expires),
    )


def proven(
    key: bytes, user: str, sha256: str, size: int, proof: PossessionProof, path: Path, now_ms: int
) -> bool:
    """Whether ``proof`` answers a challenge this server gave ``user`` for this file, in time."""
    asked = proof.challenge
    expected = _sig(key, user, sha256, size, asked.nonce, asked.offset, asked.length, asked.expires)
    if not hmac.compare_digest(expected, asked.sig) or asked.expires < now_ms:
        return False
    with path.open("rb") as f:
        f.seek(asked.offset)
        data = f.read(asked.length)
    return hmac.compare_digest(possession_digest(asked.nonce, data), proof.digest)
