"""What operators and tools see: health, metrics, the OpenAPI document, unknown routes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import msgspec
import pytest

from messenger.protocol import api, errors
from messenger.protocol.models import ErrorBody, Health
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess


@pytest.fixture
async def http(server: ServerProcess) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        yield client


def error_of(response: httpx.Response) -> ErrorBody:
    assert response.headers["content-type"].startswith("application/json")
    return msgspec.json.decode(response.content, type=ErrorBody)


async def test_health(http: httpx.AsyncClient, server: ServerProcess) -> None:
    response = await http.get("/health")
    assert response.status_code == 200
    health = msgspec.json.decode(response.content, type=Health)
    assert health.status == "ok" and health.version and health.uptime_ms >= 0
    device = await RawDevice(server.url, uid("ops")).sign_in()
    try:
        await device.connect()
        after = msgspec.json.decode((await http.get("/health")).content, type=Health)
        assert after.connections == health.connections + 1
        assert after.uptime_ms >= health.uptime_ms
    finally:
        await device.aclose()


_SAMPLE = re.compile(r'^messenger_messages_stored_total\{conv_type="(\w+)"\} ([0-9.e+]+)$', re.M)


async def stored_counts(http: httpx.AsyncClient) -> dict[str, float]:
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE messenger_messages_stored_total counter" in response.text
    return {kind: float(value) for kind, value in _SAMPLE.findall(response.text)}


async def test_metrics_count_stored_messages(
    http: httpx.AsyncClient, server: ServerProcess
) -> None:
    alice, bob = uid("alice"), uid("bob")
    a = await RawDevice(server.url, alice).sign_in()
    b = await RawDevice(server.url, bob).sign_in()
    try:
        await a.send("C2C" + bob, "counted")  # the first may create the series
        before = await stored_counts(http)
        await a.send("C2C" + bob, "one")
        await b.send("C2C" + alice, "two")
        await a.send("C2C" + bob, "not again", client_msg_id="same")
        await a.send("C2C" + bob, "not again", client_msg_id="same")  # a duplicate: not stored
        group = await a.call("create_group", body={"name": "m", "members": [bob]})
        await a.send("GROUP" + group.group_id, "in a group")
        after = await stored_counts(http)
        assert after["c2c"] == before["c2c"] + 3
        assert after.get("group", 0) == before.get("group", 0) + 1
        text = (await http.get("/metrics")).text
        for family in (
            "messenger_websocket_connections",
            "messenger_http_requests_total",
            "messenger_http_request_seconds",
            "messenger_write_batch_jobs",
        ):
            assert f"# TYPE {family} " in text
        assert 'messenger_http_requests_total{endpoint="send",status="200"}' in text
    finally:
        await a.aclose()
        await b.aclose()


# -- the OpenAPI document ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def openapi(server: ServerProcess) -> dict[str, Any]:
    response = httpx.get(server.url + "/openapi.json", timeout=10)
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _schema_name(doc: dict[str, Any], schema: dict[str, Any]) -> str:
    ref = schema["$ref"]
    _resolve(doc, ref)
    return str(ref.rsplit("/", 1)[1])


def test_openapi_is_3_1_and_every_reference_resolves(openapi: dict[str, Any]) -> None:
    assert openapi["openapi"].startswith("3.1.")
    assert openapi["info"]["title"] and openapi["info"]["version"]
    assert openapi["components"]["securitySchemes"]["session"] == {
        "type": "http",
        "scheme": "bearer",
    }
    refs = list(_refs(openapi))
    assert refs
    for ref in refs:
        _resolve(openapi, ref)
    ids = [op["operationId"] for ops in openapi["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    for path, ops in openapi["paths"].items():
        assert path.startswith("/")
        for method, op in ops.items():
            assert method in {"get", "post", "put", "patch", "delete"}
            assert "200" in op["responses"] and "default" in op["responses"]
            for param in op.get("parameters", []):
                assert param["in"] in {"path", "query"}
                assert isinstance(param["schema"], dict)
                if param["in"] == "path":
                    assert param["required"] is True
                    assert "{" + param["name"] + "}" in path


@pytest.mark.parametrize("endpoint", api.ENDPOINTS, ids=[e.name for e in api.ENDPOINTS])
def test_openapi_describes_every_endpoint(openapi: dict[str, Any], endpoint: api.Endpoint) -> None:
    op = openapi["paths"][endpoint.path][endpoint.method.lower()]
    assert op["operationId"] == endpoint.name
    if endpoint.response is bytes:  # an image
        assert op["responses"]["200"]["content"]["image/png"]["schema"]["format"] == "binary"
    else:
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert _schema_name(openapi, ok) == endpoint.response.__name__
    error = op["responses"]["default"]["content"]["application/json"]["schema"]
    assert _schema_name(openapi, error) == "ErrorBody"
    params = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
    for name in endpoint.path_params:
        assert ("path", name) in params
    if endpoint.query is not None:
        fields = msgspec.structs.fields(endpoint.query)
        for f in fields:
            param = params[("query", f.name)]
            assert param["required"] is (f.required)
    else:
        assert not any(where == "query" for where, _ in params)
    if endpoint.body is not None:
        body = op["requestBody"]["content"]["application/json"]["schema"]
        assert _schema_name(openapi, body) == endpoint.body.__name__
        schema = _resolve(openapi, body["$ref"])
        fields = msgspec.structs.fields(endpoint.body)
        assert set(schema["properties"]) == {f.encode_name for f in fields}
        assert set(schema.get("required", [])) == {f.encode_name for f in fields if f.required}
    elif endpoint.binary and endpoint.method == "POST":
        assert op["requestBody"]["content"]["*/*"]["schema"]["format"] == "binary"
    else:
        assert "requestBody" not in op
    assert ("security" in op) is endpoint.auth


# -- routes that do not exist -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/nope", "/v1", "/v1/conversations/C2Cx/nothing", "/v1/groups/g/members/x/y"]
)
async def test_unknown_routes_are_typed_not_found(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 404
    error = error_of(response)
    assert (error.name, error.code) == ("not_found", errors.NotFound.code)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v1/me", "GET, HEAD, PATCH"),
        ("POST", "/health", "GET, HEAD"),
        ("PUT", "/v1/groups", "GET, HEAD, POST"),
        ("GET", "/v1/auth/login", "POST"),
    ],
)
async def test_a_wrong_method_is_405_with_a_typed_body(
    http: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    response = await http.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    error = error_of(response)
    assert error.name == "invalid_request"
