"""Accounts and device sessions: UserSig checks, password accounts, the device policy, kicks."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from messenger.protocol import frames, usersig
from messenger.protocol.errors import (
    AccountBanned,
    BadCredentials,
    InvalidParameter,
    PermissionDenied,
    SessionInvalid,
    SessionRevoked,
    UserNotFound,
    UserSigExpired,
)
from messenger.protocol.ids import check_user_id
from messenger.protocol.models import (
    KickReason,
    LoginRequest,
    LoginResponse,
    PasswordLoginRequest,
    Profile,
    RefreshResponse,
    RegisterRequest,
    UserSigResponse,
)
from messenger.server.config import ServerConfig
from messenger.server.hub import Hub
from messenger.server.services import passwords
from messenger.server.services.admission import Admission
from messenger.server.services.lru import Lru
from messenger.server.storage.base import Storage
from messenger.server.storage.records import NewSession, SessionRecord

log = logging.getLogger(__name__)

_MAX_DEVICE_ID = 64
_REVOKED_MEMORY = 50_000


@dataclass(frozen=True, slots=True)
class Session:
    """An authenticated device."""

    token_hash: str
    user_id: str
    device_id: str
    expires_at: int


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now_ms() -> int:
    return int(time.time() * 1000)


class AuthService:
    def __init__(
        self,
        config: ServerConfig,
        storage: Storage,
        hub: Hub,
        admission: Admission,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._config = config
        self._storage = storage
        self._hub = hub
        self._admission = admission  # (failed passwords per user ID)
        self._clock = clock
        self._sessions: Lru[str, Session] = Lru(200_000)  # a miss reads the database
        self._revoked: dict[str, str] = {}

    # -- UserSig -------------------------------------------------------------------------------------
    def issue_usersig(self, user_id: str, expire: int | None = None) -> str:
        check_user_id(user_id)
        return usersig.generate_usersig(
            self._config.sdk_app_id,
            self._config.secret_key,
            user_id,
            expire if expire is not None else self._config.password_usersig_expire,
        )

    def verify_usersig(self, user_id: str, sig: str) -> usersig.UserSigInfo:
        return usersig.verify_usersig(
            sig,
            sdk_app_id=self._config.sdk_app_id,
            secret_key=self._config.secret_key,
            user_id=user_id,
            now=self._clock(),
        )

    # -- password accounts -----------------------------------------------------------------------------
    async def register(self, req: RegisterRequest) -> Profile:
        check_user_id(req.user_id)
        if req.user_id in self._config.admin_users:
            raise PermissionDenied("this user ID is reserved for the server's administrators")
        profile, _ = await self.add_user(req.user_id, req.nickname, req.password)
        return profile

    async def add_user(
        self, user_id: str, nickname: str, password: str | None, *, exist_ok: bool = False
    ) -> tuple[Profile, bool]:
        """Create an account (with a password, or for UserSigs only); returns it and whether it
        is new. With ``exist_ok`` an existing account is left as it is."""
        check_user_id(user_id)
        if len(nickname.encode("utf-8")) > 64:
            raise InvalidParameter("nickname is longer than 64 bytes", field="nickname")
        hashed = None
        if password is not None:
            if user_id in self._config.admin_users:
                raise InvalidParameter(
                    "administrators sign in with UserSigs, not passwords", field="password"
                )
            if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
                raise InvalidParameter(
                    f"a password has {passwords.MIN_LENGTH}–{passwords.MAX_LENGTH} characters",
                    field="password",
                )
            hashed = await asyncio.to_thread(passwords.hash_password, password)
        user, created = await self._storage.create_user(
            user_id, nickname, hashed, exist_ok=exist_ok
        )
        return Profile(user_id=user.user_id, nickname=user.nickname), created

    def authenticate_admin(self, authorization: str | None) -> str:
        """Check ``Authorization: UserSig <identifier>:<usersig>`` for one of ``admin_users``
        (TIM's REST API model: the operator's backend signs as its administrator identifier);
        returns the identifier."""
        scheme, _, credentials = (authorization or "").strip().partition(" ")
        identifier, _, sig = credentials.strip().partition(":")
        if scheme.lower() != "usersig" or not identifier or not sig:
            raise SessionInvalid("administrator credentials required: UserSig <identifier>:<sig>")
        if identifier not in self._config.admin_users:
            raise PermissionDenied(f"{identifier!r} is not an administrator of this server")
        self.verify_usersig(identifier, sig)
        return identifier

    async def password_usersig(self, req: PasswordLoginRequest) -> UserSigResponse:
        check_user_id(req.user_id)
        await self._admission.check_password(req.user_id)
        user = await self._storage.get_user(req.user_id)
        ok = False
        if (
            user is not None
            and user.password_hash
            and len(req.password) <= passwords.MAX_LENGTH
            and req.user_id not in self._config.admin_users  # never a UserSig of theirs
        ):
            ok = await asyncio.to_thread(
                passwords.verify_password, req.password, user.password_hash
            )
        if not ok or user is None:
            await self._admission.password_failed(req.user_id)
            raise BadCredentials("wrong user ID or password")
        if user.banned:
            raise AccountBanned("this account is banned")
        expire = self._config.password_usersig_expire
        sig = self.issue_usersig(req.user_id, expire)
        return UserSigResponse(
            user_id=req.user_id, user_sig=sig, expires_at=int(self._clock() + expire) * 1000
        )

    # -- sessions ----------------------------------------------------------------------------------------
    async def login(self, req: LoginRequest) -> LoginResponse:
        check_user_id(req.user_id)
        if not req.device_id or len(req.device_id) > _MAX_DEVICE_ID:
            raise InvalidParameter("device_id must be 1–64 characters", field="device_id")
        info = self.verify_usersig(req.user_id, req.user_sig)
        user, _ = await self._storage.create_user(req.user_id, req.user_id, None, exist_ok=True)
        if user.banned:
            raise AccountBanned("this account is banned")
        token = secrets.token_urlsafe(32)
        record = SessionRecord(
            token_hash=hash_token(token),
            user_id=req.user_id,
            device_id=req.device_id,
            device_name=req.device_name[:128],
            platform=req.platform[:64],
            created=_now_ms(),
            expires_at=info.expires_at_ms,
        )
        outcome = await self._storage.open_session(
            record,
            device_limit=self._config.device_limit,
            policy=self._config.device_policy,
            on_commit=self._session_opened,
        )
        return LoginResponse(
            session_token=token,
            user_id=req.user_id,
            device_id=req.device_id,
            expires_at=record.expires_at,
            server_time=_now_ms(),
            sdk_app_id=self._config.sdk_app_id,
            limits=self._config.limits,
            kicked_devices=[s.device_id for s in outcome.kicked],
        )

    def _session_opened(self, outcome: NewSession) -> None:
        s = outcome.session
        self._sessions[s.token_hash] = Session(s.token_hash, s.user_id, s.device_id, s.expires_at)
        for old in outcome.replaced:
            self._forget(old.token_hash, "replaced")
            self._hub.close_session_quietly(old.token_hash, old.user_id)
        for old in outcome.kicked:
            self._forget(old.token_hash, KickReason.OTHER_DEVICE)
            self._hub.kick(
                old.token_hash,
                old.user_id,
                KickReason.OTHER_DEVICE,
                "this account signed in on another device",
            )

    def forget(self, token_hash: str, reason: str) -> None:
        """The session ended on another node: refuse it here too."""
        self._forget(token_hash, reason)

    def _forget(self, token_hash: str, reason: str) -> None:
        self._sessions.pop(token_hash, None)
        if len(self._revoked) >= _REVOKED_MEMORY:
            self._revoked.clear()
        self._revoked[token_hash] = reason

    async def authenticate(self, token: str | None) -> Session:
        if not token or len(token) > 256:
            raise SessionInvalid("sign in first")
        token_hash = hash_token(token)
        session = self._sessions.get(token_hash)
        if session is None:
            reason = self._revoked.get(token_hash)
            if reason is not None:
                raise SessionRevoked(f"this session has ended ({reason})", reason=reason)
            record = await self._storage.get_session(token_hash)
            if record is None:
                raise SessionInvalid("unknown session; sign in again")
            if record.revoked_reason is not None:
                self._revoked[token_hash] = record.revoked_reason
                raise SessionRevoked(
                    f"this session has ended ({record.revoked_reason})",
                    reason=record.revoked_reason,
                )
            session = Session(token_hash, record.user_id, record.device_id, record.expires_at)
            self._sessions[token_hash] = session
        if self._clock() * 1000 >= session.expires_at:
            raise UserSigExpired("the UserSig of this session has expired; sign in again")
        return session

    async def refresh(self, session: Session, sig: str) -> RefreshResponse:
        info = self.verify_usersig(session.user_id, sig)
        expires_at = max(info.expires_at_ms, session.expires_at)
        await self._storage.extend_session(session.token_hash, expires_at)
        renewed = Session(session.token_hash, session.user_id, session.device_id, expires_at)
        self._sessions[session.token_hash] = renewed
        for conn in self._hub.connections_of(session.user_id):
            if conn.token_hash == session.token_hash:
                conn.expires_at = expires_at
                conn.expiry_notified = False
        return RefreshResponse(expires_at=expires_at)

    async def logout(self, session: Session) -> None:
        await self._storage.revoke_session(
            session.token_hash, KickReason.LOGGED_OUT, on_commit=lambda _: None
        )
        self._forget(session.token_hash, KickReason.LOGGED_OUT)
        self._hub.kick(
            session.token_hash, session.user_id, KickReason.LOGGED_OUT, "this device signed out"
        )

    async def set_banned(self, user_id: str, banned: bool) -> None:
        def kick_all(ended: list[SessionRecord]) -> None:
            for s in ended:
                self._forget(s.token_hash, KickReason.BANNED)
                self._hub.kick(
                    s.token_hash, s.user_id, KickReason.BANNED, "this account was banned"
                )

        await self._storage.set_banned(user_id, banned, on_commit=kick_all)

    async def expire_sessions(self) -> None:
        """Warn devices whose UserSig ends soon; kick those whose UserSig has ended."""
        now = int(self._clock() * 1000)
        notice = self._config.expiry_notice_ms
        for conn in self._hub.all_connections():
            if now >= conn.expires_at:
                self._forget(conn.token_hash, KickReason.USERSIG_EXPIRED)
                await self._storage.revoke_session(conn.token_hash, KickReason.USERSIG_EXPIRED)
                self._hub.kick(
                    conn.token_hash,
                    conn.user_id,
                    KickReason.USERSIG_EXPIRED,
                    "your UserSig has expired; sign in again",
                )
            elif now >= conn.expires_at - notice and not conn.expiry_notified:
                conn.expiry_notified = True
                text = frames.encode(frames.Expiring(expires_at=conn.expires_at)).decode()
                conn.push(0, text)

    async def profile(self, user_id: str) -> Profile:
        user = await self._storage.get_user(user_id)
        if user is None:
            raise UserNotFound(f"no user {user_id!r}", user_id=user_id)
        return Profile(user_id=user.user_id, nickname=user.nickname)
