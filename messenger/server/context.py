"""The server's composition: every service built once per app, from the configuration."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from messenger.server.bus.base import LocalBus, NodeBus
from messenger.server.bus.listener import NodeListener
from messenger.server.bus.redis_bus import RedisBus
from messenger.server.config import ServerConfig
from messenger.server.hub import Hub
from messenger.server.media.service import MediaService
from messenger.server.metrics import Metrics
from messenger.server.services.admission import Admission
from messenger.server.services.auth import AuthService
from messenger.server.services.avatars import AvatarStore
from messenger.server.services.blocks import BlockIndex
from messenger.server.services.bundles import Bundles
from messenger.server.services.callbacks import Callbacks
from messenger.server.services.conversations import ConversationService
from messenger.server.services.directory import Directory
from messenger.server.services.fanout import Fanout
from messenger.server.services.friends import FriendService
from messenger.server.services.groups import GroupService
from messenger.server.services.messaging import MessagingService
from messenger.server.services.notices import SystemNotices
from messenger.server.services.operations import MessageOperations
from messenger.server.services.people_push import PeoplePush
from messenger.server.services.presence import PresenceService
from messenger.server.services.profiles import ProfileService
from messenger.server.services.ratelimit import RateLimiter
from messenger.server.services.receipts import ReadReceipts
from messenger.server.storage.base import Storage
from messenger.server.storage.postgres.storage import PostgresStorage
from messenger.server.storage.sqlite.storage import SqliteStorage


async def _database_head(storage: Storage) -> int:
    """The version counter as the database has it now (not this node's view of it)."""
    return (await storage.feed("", 2**62, 1)).next_version


@dataclass(slots=True)
class ServerContext:
    config: ServerConfig
    storage: Storage
    hub: Hub
    metrics: Metrics
    auth: AuthService
    directory: Directory
    messaging: MessagingService
    conversations: ConversationService
    receipts: ReadReceipts
    groups: GroupService
    profiles: ProfileService
    friends: FriendService
    presence: PresenceService
    avatars: AvatarStore
    media: MediaService
    admission: Admission
    callbacks: Callbacks
    notices: SystemNotices
    listener: NodeListener
    operations: MessageOperations
    bundles: Bundles
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def build(cls, config: ServerConfig, storage: Storage | None = None) -> ServerContext:
        metrics = Metrics()
        if storage is None and config.uses_postgres:
            storage = PostgresStorage(
                config.database, readers=config.database_pool, on_batch=metrics.observe_batch
            )
        elif storage is None:
            storage = SqliteStorage(
                config.database_path,
                synchronous=config.sqlite_synchronous.upper(),
                on_batch=metrics.observe_batch,
            )
        bus: NodeBus = RedisBus(config.redis_url) if config.redis_url else LocalBus()
        hub = Hub(bus)
        callbacks = Callbacks(
            url=config.callback_url,
            secret=config.callback_secret,
            sdk_app_id=config.sdk_app_id,
            timeout_ms=config.callback_timeout_ms,
            on_failure=config.callback_on_failure,
            events=config.callback_events,
            on_outcome=metrics.callback_outcome,
        )
        hub.on_count_changed = metrics.connections.set
        directory = Directory(storage)
        fanout = Fanout(hub)
        limits = config.limits
        blocks = BlockIndex(storage.people)
        people_push = PeoplePush(fanout, blocks)
        avatars = AvatarStore(config.avatars_dir, limits.avatar_bytes)
        presence = PresenceService(storage=storage.people, hub=hub, blocks=blocks)
        presence.attach()
        receipts = ReadReceipts(storage=storage, directory=directory, fanout=fanout, limits=limits)
        limiter = RateLimiter(
            user_rate=config.user_msg_rate,
            user_burst=config.user_msg_burst,
            group_rate=config.group_msg_rate,
            group_burst=config.group_msg_burst,
            shared=bus if bus.shared else None,
        )
        media = MediaService(
            config.media_dir,
            storage.media,
            limits,
            secret=hashlib.sha256(b"media-links\n" + config.secret_key.encode()).digest(),
            max_pixels=config.media_max_pixels,
            orphan_ms=config.media_orphan_ms,
            link_ms=config.media_link_ms,
        )
        bundles = Bundles(storage=storage, limits=limits)
        messaging = MessagingService(
            storage=storage,
            directory=directory,
            fanout=fanout,
            limiter=limiter,
            limits=limits,
            receipts=receipts,
            on_sent=metrics.message_stored,
            blocks=blocks,
            media=media,
            callbacks=callbacks,
            bundles=bundles,
        )
        media.visible = messaging.visible_message
        bundles.visible = messaging.visible_message
        media.in_bundle = bundles.body_with
        groups = GroupService(
            storage=storage,
            directory=directory,
            fanout=fanout,
            limits=limits,
            app_admins=config.admin_users,
            group_custom_keys=config.group_custom_keys,
            member_custom_keys=config.member_custom_keys,
            callbacks=callbacks,
            avatar_exists=avatars.exists,
        )

        async def group_pin(user_id: str, group_id: str, message_id: str, pin: bool) -> list[str]:
            return list((await groups.pin(user_id, group_id, message_id, pin)).pinned)

        operations = MessageOperations(
            storage=storage,
            directory=directory,
            fanout=fanout,
            limits=limits,
            group_pin=group_pin,
        )
        admission = Admission(config, bus)
        auth = AuthService(config, storage, hub, admission)
        directory.on_invalidate = bus.invalidate
        blocks.on_invalidate = bus.invalidate
        listener = NodeListener(
            hub=hub,
            auth=auth,
            directory=directory,
            blocks=blocks,
            head=lambda: _database_head(storage),
        )
        bus.attach(listener)
        database = getattr(storage, "db", None)
        if bus.shared and database is not None:
            database.on_versions = hub.committed  # (announced to the other nodes)
        return cls(
            config=config,
            storage=storage,
            hub=hub,
            metrics=metrics,
            auth=auth,
            directory=directory,
            messaging=messaging,
            conversations=ConversationService(
                storage=storage, directory=directory, fanout=fanout, receipts=receipts
            ),
            receipts=receipts,
            profiles=ProfileService(
                storage=storage.people,
                push=people_push,
                avatars=avatars,
                limits=limits,
                custom_keys=config.profile_custom_keys,
            ),
            friends=FriendService(
                storage=storage.people, push=people_push, limits=limits, callbacks=callbacks
            ),
            presence=presence,
            avatars=avatars,
            groups=groups,
            media=media,
            admission=admission,
            callbacks=callbacks,
            listener=listener,
            notices=SystemNotices(
                storage=storage, directory=directory, fanout=fanout, limits=limits
            ),
            operations=operations,
            bundles=bundles,
        )
