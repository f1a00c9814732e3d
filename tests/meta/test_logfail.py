"""The suite's own discipline: undeclared WARNING log records and Qt warnings fail a test."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = 'pytest_plugins = ["tests.helpers.logfail"]\n'


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[2]))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nqt_log_level_fail = WARNING\n")
    return pytester


def test_an_undeclared_warning_record_fails_the_test(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import logging

        def test_it():
            logging.getLogger("messenger.core.x").warning("the disk is full")
        """
    )
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*unexpected WARNING+ log records*", "*the disk is full*"])


def test_a_warning_in_teardown_errors_the_test(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import logging, pytest

        @pytest.fixture
        def noisy():
            yield
            logging.getLogger("x").error("left a mess")

        def test_it(noisy):
            pass
        """
    )
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)


def test_declared_records_pass_and_others_still_fail(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import logging, pytest

        @pytest.mark.expected_log("messenger.core", r"connection to .* failed")
        def test_marked():
            logging.getLogger("messenger.core.transport").warning("connection to A failed")

        def test_scoped(expected_log):
            with expected_log("messenger.app", "resuming") as records:
                logging.getLogger("messenger.app.flow").warning("resuming b failed")
            assert len(records) == 1

        def test_scoped_but_absent(expected_log):
            with expected_log("messenger.app", "resuming"):
                pass

        @pytest.mark.expected_log("messenger.core", r"connection to .* failed")
        def test_other_logger_is_not_covered():
            logging.getLogger("messenger.corex").warning("connection to A failed")

        @pytest.mark.expected_log("messenger.core", r"connection to .* failed")
        def test_other_message_is_not_covered():
            logging.getLogger("messenger.core").warning("the disk is full")
        """
    )
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(["*expected a WARNING+ record of messenger.app*"])


def test_a_qt_warning_fails_the_test_unless_declared(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest
        from PySide6.QtCore import qWarning

        def test_undeclared(qapp):
            qWarning("QWidget::setLayout: bad layout")

        @pytest.mark.qt_log_ignore(r"bad layout")
        def test_declared(qapp):
            qWarning("QWidget::setLayout: bad layout")
        """
    )
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
