"""The schema migration runner, shared by every database backend.

A backend keeps its migrations in a package of its own (``sqlite/migrations/``,
``postgres/migrations/``): one module per step, named ``v0001_what_it_does.py``, each with an
``upgrade(conn)`` function. Both backends number their steps alike, so "schema N" means the same
tables on either (a step that has nothing to do on one backend is a module that does nothing).

``upgrade`` runs every step newer than the database's, each in its own transaction together with
the new schema number, so a step that fails leaves the database at the step before. A database
written by a newer server (a schema number this code does not know) is refused with
``SchemaTooNew`` before anything is touched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Generic, Protocol, TypeVar

from messenger.protocol.errors import SchemaTooNew

log = logging.getLogger(__name__)

C = TypeVar("C")
_NAME = re.compile(r"v(\d{4})_(\w+)$")


@dataclass(frozen=True, slots=True)
class Migration(Generic[C]):
    version: int
    name: str
    upgrade: Callable[[C], None]


def collect(*modules: ModuleType) -> tuple[Migration[C], ...]:
    """The steps of a backend from its modules (listed, not discovered, so that bundlers see
    them); their numbers must run 1, 2, 3 ... without gaps or repeats."""
    steps: list[Migration[C]] = []
    for module in modules:
        match = _NAME.match(module.__name__.rsplit(".", 1)[-1])
        if match is None:
            raise ValueError(f"a migration module is named vNNNN_what: {module.__name__}")
        steps.append(Migration(int(match[1]), match[2], module.upgrade))
    steps.sort(key=lambda m: m.version)
    numbers = [m.version for m in steps]
    if numbers != list(range(1, len(steps) + 1)):
        raise ValueError(f"migration numbers must run 1..N without gaps: {numbers}")
    return tuple(steps)


class SchemaTarget(Protocol[C]):
    """One backend's database, as the runner sees it."""

    conn: C

    def begin(self) -> None:
        """Start a transaction that excludes every other migrating server."""

    def current(self) -> int:
        """The schema number of the database (0: empty), read inside the transaction."""

    def stamp(self, version: int) -> None:
        """Record the schema number, inside the transaction."""

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


@dataclass(frozen=True, slots=True)
class UpgradeReport:
    before: int
    after: int

    @property
    def applied(self) -> int:
        return self.after - self.before


def upgrade(target: SchemaTarget[C], migrations: Sequence[Migration[C]]) -> UpgradeReport:
    """Bring the database to the newest step, one transaction per step."""
    known = len(migrations)
    target.begin()
    try:
        before = target.current()
    finally:
        target.rollback()
    if before > known:
        raise SchemaTooNew(
            f"the database has schema {before}, this server knows schema {known} at most: "
            "it was written by a newer server; run that version (or newer) instead",
            database=before,
            known=known,
        )
    version = before
    for step in migrations[before:]:
        target.begin()
        try:
            now = target.current()  # another server may have migrated meanwhile
            if now >= step.version:
                target.rollback()
                version = now
                continue
            step.upgrade(target.conn)
            target.stamp(step.version)
            target.commit()
        except BaseException:
            target.rollback()
            raise
        version = step.version
        log.info("database schema upgraded to %d (%s)", step.version, step.name)
    return UpgradeReport(before, max(version, before))
