"""The REST transport: requests built from the endpoint table, errors mapped to the typed tree."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from messenger.core.transport.rest import RestTransport
from messenger.protocol import errors
from messenger.protocol.api import HistoryQuery
from messenger.protocol.models import MessagePage, Profile, RegisterRequest

Responder = Callable[[httpx.Request], httpx.Response]


def rest_with(responder: Responder, token: str | None = "tok") -> RestTransport:
    rest = RestTransport("http://im.test", transport=httpx.MockTransport(responder))
    rest.token = token
    return rest


def error_response(status: int, name: str, code: int, **details: object) -> httpx.Response:
    body = {"code": code, "name": name, "message": f"{name} happened", "details": details}
    return httpx.Response(status, json=body)


async def test_a_request_is_built_from_the_endpoint_table() -> None:
    seen: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"messages": [], "has_more": False})

    rest = rest_with(respond)
    page = await rest.call(
        "history",
        path={"conversation_id": "@TIM#SYSTEM"},
        query=HistoryQuery(before_seq=40, limit=20),
    )

    assert page == MessagePage(messages=[], has_more=False)
    [request] = seen
    assert request.method == "GET"
    assert (
        request.url.raw_path == b"/v1/conversations/%40TIM%23SYSTEM/messages?before_seq=40&limit=20"
    )
    assert request.headers["Authorization"] == "Bearer tok"
    await rest.aclose()


async def test_a_body_is_sent_as_json_and_the_answer_decoded() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        assert "Authorization" not in request.headers  # register needs no session
        assert json.loads(request.content) == {"user_id": "bob", "password": "pw"}
        return httpx.Response(200, json={"user_id": "bob", "nickname": "Bob"})

    rest = rest_with(respond, token=None)
    profile = await rest.call("register", body=RegisterRequest(user_id="bob", password="pw"))
    assert profile == Profile(user_id="bob", nickname="Bob")
    await rest.aclose()


async def test_server_errors_come_back_as_the_typed_error_they_name() -> None:
    rest = rest_with(lambda r: error_response(413, "message_too_large", 80002, limit=12288))
    with pytest.raises(errors.MessageTooLarge) as caught:
        await rest.call("me")
    assert caught.value.details == {"limit": 12288}
    assert caught.value.message == "message_too_large happened"
    await rest.aclose()


async def test_rate_limits_carry_the_retry_delay() -> None:
    rest = rest_with(lambda r: error_response(429, "rate_limited", 10006, retry_after_ms=750))
    with pytest.raises(errors.RateLimited) as caught:
        await rest.call("me")
    assert caught.value.retry_after_ms == 750
    await rest.aclose()


async def test_an_unknown_error_name_falls_back_on_its_code() -> None:
    rest = rest_with(lambda r: error_response(404, "some_future_error", 10010))
    with pytest.raises(errors.GroupNotFound):
        await rest.call("me")
    await rest.aclose()


@pytest.mark.parametrize(
    ("status", "expected"),
    [(502, errors.ServerError), (404, errors.NotFound), (401, errors.AuthError)],
)
async def test_an_error_without_a_json_body_maps_by_status(
    status: int, expected: type[errors.MessengerError]
) -> None:
    rest = rest_with(lambda r: httpx.Response(status, text="<html>proxy error</html>"))
    with pytest.raises(expected):
        await rest.call("me")
    await rest.aclose()


async def test_a_malformed_success_answer_is_a_server_error() -> None:
    rest = rest_with(lambda r: httpx.Response(200, json={"nickname": 3}))
    with pytest.raises(errors.ServerError):
        await rest.call("me")
    await rest.aclose()


async def test_network_failures_and_timeouts_are_client_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    refused, stalled = rest_with(refuse), rest_with(stall)
    with pytest.raises(errors.NetworkError):
        await refused.call("me")
    with pytest.raises(errors.RequestTimeout):
        await stalled.call("me")
    await refused.aclose()
    await stalled.aclose()


async def test_an_authenticated_call_without_a_session_is_refused_locally() -> None:
    calls: list[httpx.Request] = []
    rest = rest_with(lambda r: calls.append(r) or httpx.Response(200), token=None)  # type: ignore[func-returns-value]
    with pytest.raises(errors.NotLoggedIn):
        await rest.call("me")
    assert calls == []
    await rest.aclose()


async def test_a_revoked_session_is_reported_to_the_hook() -> None:
    rest = rest_with(lambda r: error_response(401, "session_revoked", 70102))
    seen: list[errors.AuthError] = []
    rest.on_auth_failure = seen.append
    with pytest.raises(errors.SessionRevoked):
        await rest.call("me")
    assert [type(e) for e in seen] == [errors.SessionRevoked]
    await rest.aclose()


async def test_calls_after_close_raise_client_closed() -> None:
    rest = rest_with(lambda r: httpx.Response(200, json={"user_id": "a"}))
    await rest.aclose()
    with pytest.raises(errors.ClientClosed):
        await rest.call("me")


async def test_a_server_moves_to_another_port_but_never_between_http_and_https() -> None:
    """A plain-HTTP client is made without the certificate store (a quicker launch); it may
    never be pointed at an HTTPS address, which it would then not verify."""
    plain = RestTransport("http://127.0.0.1:8080")
    plain.base_url = "http://127.0.0.1:9090/"  # the local server started again elsewhere
    assert plain.base_url == "http://127.0.0.1:9090"
    with pytest.raises(ValueError, match="between HTTP and HTTPS"):
        plain.base_url = "https://im.example.org"
    secure = RestTransport("https://im.example.org")
    with pytest.raises(ValueError, match="between HTTP and HTTPS"):
        secure.base_url = "http://im.example.org"
    await plain.aclose()  # (it never made a request: its connection pool was never made)
    await secure.aclose()
    with pytest.raises(errors.ClientClosed):
        await plain.call("register", body=RegisterRequest(user_id="u", password="pw-123456"))
