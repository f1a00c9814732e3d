"""The typed error tree on the wire: every class survives the round trip."""

from __future__ import annotations

import re

import msgspec
import pytest

from messenger.protocol import errors
from messenger.protocol.errors import ERRORS_BY_NAME, MessengerError, error_from_wire
from messenger.protocol.models import ErrorBody

ALL = sorted(ERRORS_BY_NAME.values(), key=lambda c: c.name)

STATUS_OF_FAMILY = {
    errors.InvalidRequest: 400,
    errors.AuthError: 401,
    errors.PermissionDenied: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.RateLimited: 429,
    errors.ServerError: 500,
}


def test_names_are_unique_and_snake_case() -> None:
    classes: list[type[MessengerError]] = [MessengerError, *errors._all_subclasses(MessengerError)]
    names = [c.name for c in classes]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name


@pytest.mark.parametrize("cls", ALL, ids=[c.name for c in ALL])
def test_every_error_round_trips(cls: type[MessengerError]) -> None:
    original = cls("something went wrong: 出错了", limit=5, field="x", nested={"a": [1, 2]})
    raw = msgspec.json.encode(original.to_wire())
    body = msgspec.json.decode(raw, type=ErrorBody)  # the wire form is an ErrorBody
    assert (body.code, body.name) == (cls.code, cls.name)
    back = error_from_wire(msgspec.json.decode(raw))
    assert type(back) is cls
    assert (back.code, back.message, back.details) == (
        cls.code,
        "something went wrong: 出错了",
        {"limit": 5, "field": "x", "nested": {"a": [1, 2]}},
    )
    assert str(back) == back.message


@pytest.mark.parametrize("cls", ALL, ids=[c.name for c in ALL])
def test_http_status_follows_the_family(cls: type[MessengerError]) -> None:
    if cls in (errors.PayloadTooLarge, errors.MessageTooLarge, errors.FileTooLarge):
        assert cls.http_status == 413
    elif cls is errors.UnsupportedMedia:
        assert cls.http_status == 415
    elif cls is errors.AccountBanned:
        assert cls.http_status == 403
    elif cls is errors.RequestTooSlow:
        assert cls.http_status == 408
    elif cls is errors.CallbackUnavailable:
        assert cls.http_status == 503  # a dependency is down: try again later
    else:
        for family, status in STATUS_OF_FAMILY.items():
            if issubclass(cls, family):
                assert cls.http_status == status
                break


def test_default_message_and_retry_after() -> None:
    assert errors.UserNotFound().message == "user not found"
    assert errors.RateLimited(retry_after_ms=250).retry_after_ms == 250
    assert errors.RateLimited().retry_after_ms == 1000


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"code": 10019, "name": "renamed_later"}, errors.UserNotFound),  # unknown name: by code
        ({"code": 99999, "name": "from_the_future"}, errors.ServerError),
        ({"name": "user_not_found", "details": "not a dict"}, errors.UserNotFound),
        ({}, errors.ServerError),
        ({"code": "teapot"}, errors.ServerError),
        ({"code": None, "name": None, "message": None}, errors.ServerError),
        ({"code": 10004, "name": 5}, errors.InvalidRequest),
        ({"code": True}, errors.ServerError),
        ({"name": "not_found", "details": {"message": "a detail named message"}}, errors.NotFound),
    ],
)
def test_odd_wire_errors_still_give_a_typed_error(
    payload: dict[str, object], expected: type[MessengerError]
) -> None:
    got = error_from_wire(payload)
    assert type(got) is expected
    assert isinstance(got.details, dict)
    assert got.message


def test_a_body_that_is_not_an_object_is_a_server_error() -> None:
    for payload in ([1, 2], "oops", None, 42):
        assert type(error_from_wire(payload)) is errors.ServerError
