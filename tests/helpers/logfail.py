"""Tests fail on WARNING (or worse) log records they did not declare.

A warning in the log is something a user or an operator would be told about; a test that
triggers one without saying so hides a defect. Every record of level WARNING and above,
from any logger, in a test's setup, call or teardown, fails that phase unless the test
declared it, narrowly, by logger and message pattern:

- ``@pytest.mark.expected_log("messenger.core.transport.realtime", r"connection to .* failed")``
  allows matching records anywhere in the test (the logger or one of its children; the
  pattern is searched in the formatted message);
- ``with expected_log("messenger.app.flow", r"resuming .* failed"):`` (the ``expected_log``
  fixture) allows them inside the block only, and fails if none came.

Qt's own warnings fail tests through pytest-qt (``qt_log_level_fail`` in pyproject.toml;
declare one with ``@pytest.mark.qt_log_ignore(r"pattern")``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Allowance:
    logger: str
    pattern: re.Pattern[str]

    def allows(self, record: logging.LogRecord) -> bool:
        named = record.name == self.logger or record.name.startswith(self.logger + ".")
        return named and self.pattern.search(record.getMessage()) is not None


class FailingHandler(logging.Handler):
    """Collects the WARNING+ records no allowance covers."""

    def __init__(self, standing: list[Allowance]) -> None:
        super().__init__(logging.WARNING)
        self.standing = standing
        self.scoped: list[tuple[Allowance, list[logging.LogRecord]]] = []
        self.unexpected: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        for allowance, seen in self.scoped:
            if allowance.allows(record):
                seen.append(record)
                return
        if not any(allowance.allows(record) for allowance in self.standing):
            self.unexpected.append(record)


_KEY = pytest.StashKey[FailingHandler]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "expected_log(logger, pattern): this test may log WARNING+ records of that logger "
        "whose message matches the pattern (tests/helpers/logfail.py)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    standing = [
        Allowance(mark.args[0], re.compile(mark.args[1]))
        for mark in item.iter_markers("expected_log")
    ]
    handler = FailingHandler(standing=standing)
    item.stash[_KEY] = handler
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        return (yield)
    finally:
        root.removeHandler(handler)
        del item.stash[_KEY]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    handler = item.stash.get(_KEY, None)
    if handler is None or not handler.unexpected:
        return report
    records, handler.unexpected = handler.unexpected, []
    lines = "\n".join(
        f"    {r.levelname} {r.name}: {r.getMessage()}  ({r.pathname}:{r.lineno})" for r in records
    )
    text = (
        f"unexpected WARNING+ log records in {call.when} (declare an expected one with "
        f"@pytest.mark.expected_log(logger, pattern) or the expected_log fixture):\n{lines}"
    )
    if report.passed:
        report.outcome = "failed"
        report.longrepr = text
    else:
        report.sections.append(("unexpected log records", text))
    return report


ExpectLog = Callable[[str, str], AbstractContextManager[list[logging.LogRecord]]]


@pytest.fixture
def expected_log(request: pytest.FixtureRequest) -> ExpectLog:
    """``with expected_log(logger, pattern) as records:`` allows (and requires) such records
    inside the block."""
    handler = request.node.stash[_KEY]

    @contextmanager
    def expect(logger: str, pattern: str) -> Iterator[list[logging.LogRecord]]:
        seen: list[logging.LogRecord] = []
        entry = (Allowance(logger, re.compile(pattern)), seen)
        handler.scoped.append(entry)
        try:
            yield seen
        finally:
            handler.scoped.remove(entry)
        assert seen, f"expected a WARNING+ record of {logger} matching {pattern!r}; none came"

    return expect
