"""Refusals in the user's language: a typed error, or its nearest family, has a sentence of its
own, translated when shown; only an error no sentence covers shows the server's words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from messenger.protocol import errors
from messenger.ui.i18n import install_language
from messenger.viewmodels.refusals import refusal_text
from tests.ui.qt_loop import qt_app


@pytest.fixture
def chinese() -> Iterator[None]:
    assert install_language(qt_app(), "zh_CN")
    yield
    install_language(qt_app(), "en")


def test_a_group_refusal_is_told_in_the_users_language_not_the_servers(chinese: None) -> None:
    refused = errors.GroupActionForbidden("Work groups do not allow handle application")
    assert refusal_text(refused) == "此类群组不允许该操作。"


def test_an_error_without_a_sentence_of_its_own_gets_its_familys() -> None:
    class NewKindOfNotFound(errors.NotFound):
        code = 99999

    assert refusal_text(NewKindOfNotFound("gone")) == "It no longer exists."
    assert refusal_text(errors.UploadOffsetMismatch("x")) == "That did not work: x"
