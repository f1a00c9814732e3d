"""REST requests built from the protocol's endpoint table.

One generic ``call`` encodes the body and query of any endpoint in ``protocol.api.ENDPOINTS``
with msgspec, sends it and decodes the endpoint's response type. A server error comes back as
the typed error it names; a network failure is ``NetworkError`` and a timeout
``RequestTimeout``.

httpx is imported by the calls that use it, not with this module: a returning account's launch
paints its conversation list from the store before anything goes over the network, and the
HTTP stack (httpx, httpcore, anyio, h11, ssl) was about a tenth of that launch.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from messenger.protocol import decoding, errors
from messenger.protocol.api import BY_NAME, DownloadQuery
from messenger.protocol.models import Base, UploadStatus

if TYPE_CHECKING:
    import httpx

AuthFailureHook = Callable[[errors.AuthError], None]

_STATUS_ERRORS: dict[int, type[errors.MessengerError]] = {
    400: errors.InvalidRequest,
    401: errors.AuthError,
    403: errors.PermissionDenied,
    404: errors.NotFound,
    409: errors.Conflict,
    413: errors.PayloadTooLarge,
    429: errors.RateLimited,
}


class RestTransport:
    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 15.0,
        user_agent: str = "messenger-core",
    ) -> None:
        self._tls = _is_tls(base_url)
        self._base = base_url.rstrip("/")
        self._settings = (transport, timeout, user_agent)
        self._http: httpx.AsyncClient | None = None  # made for the first request
        self._closed = False
        self.token: str | None = None
        self.on_auth_failure: AuthFailureHook | None = None  # e.g. the session was revoked

    @property
    def http(self) -> httpx.AsyncClient:
        """The connection pool (the streaming media calls share it), made when first wanted:
        a returning account's launch paints its list from the store before any request."""
        if self._http is None:
            if self._closed:
                raise errors.ClientClosed("the client is closed")
            import httpx

            transport, timeout, user_agent = self._settings
            self._http = httpx.AsyncClient(
                base_url=self._base,
                transport=transport,
                timeout=timeout,
                headers={"User-Agent": user_agent},
                # Every request goes to base_url (no redirects): a plain-HTTP server never
                # needs the certificate store, whose loading took 25-75 ms of CPU.
                verify=self._tls,
            )
        return self._http

    @property
    def base_url(self) -> str:
        return self._base

    @base_url.setter
    def base_url(self, url: str) -> None:
        """The server moved (a local server started again on another port)."""
        if _is_tls(url) != self._tls:
            raise ValueError(f"{url}: a server does not move between HTTP and HTTPS")
        self._base = url.rstrip("/")
        if self._http is not None:
            self._http.base_url = self._base

    async def aclose(self) -> None:
        self._closed = True
        if self._http is not None:
            await self._http.aclose()

    async def call(
        self,
        name: str,
        *,
        path: Mapping[str, object] | None = None,
        body: Base | None = None,
        query: Base | None = None,
    ) -> Any:
        """Call endpoint ``name``; returns its decoded response type."""
        endpoint = BY_NAME[name]
        if self._closed:
            raise errors.ClientClosed("the client is closed")
        headers: dict[str, str] = {}
        if endpoint.auth:
            if not self.token:
                raise errors.NotLoggedIn(f"{name} needs a signed-in session")
            headers["Authorization"] = f"Bearer {self.token}"
        content = None
        if body is not None:
            content = msgspec.json.encode(body)
            headers["Content-Type"] = "application/json"
        elif endpoint.body is not None:
            content = b"{}"
            headers["Content-Type"] = "application/json"
        import httpx  # (loaded by the first request: see the module's docstring)

        try:
            response = await self.http.request(
                endpoint.method,
                endpoint.url(**(path or {})),
                content=content,
                params=_query_params(query),
                headers=headers,
            )
        except httpx.TimeoutException as exc:
            raise errors.RequestTimeout(f"{name} timed out") from exc
        except httpx.TransportError as exc:
            raise errors.NetworkError(f"{name} failed: {exc}") from exc
        if response.status_code >= 400:
            error = _error_from_response(response)
            if isinstance(error, errors.AuthError) and endpoint.auth and self.on_auth_failure:
                self.on_auth_failure(error)
            raise error
        try:
            return decoding.decode(response.content, endpoint.response, what=f"answer to {name}")
        except errors.InvalidParameter as exc:
            raise errors.ServerError(f"unexpected answer to {name}: {exc.message}") from None

    async def call_binary(
        self,
        name: str,
        *,
        path: Mapping[str, object] | None = None,
        content: bytes | None = None,
        content_type: str = "application/octet-stream",
    ) -> bytes:
        """Call a binary endpoint (``Endpoint.binary``): raw bytes up, the raw answer back (its
        JSON decoded when the endpoint answers JSON)."""
        endpoint = BY_NAME[name]
        if self._closed:
            raise errors.ClientClosed("the client is closed")
        if not self.token:
            raise errors.NotLoggedIn(f"{name} needs a signed-in session")
        headers = {"Authorization": f"Bearer {self.token}"}
        if content is not None:
            headers["Content-Type"] = content_type
        import httpx

        try:
            response = await self.http.request(
                endpoint.method, endpoint.url(**(path or {})), content=content, headers=headers
            )
        except httpx.TimeoutException as exc:
            raise errors.RequestTimeout(f"{name} timed out") from exc
        except httpx.TransportError as exc:
            raise errors.NetworkError(f"{name} failed: {exc}") from exc
        if response.status_code >= 400:
            error = _error_from_response(response)
            if isinstance(error, errors.AuthError) and self.on_auth_failure:
                self.on_auth_failure(error)
            raise error
        return response.content


class RestStreams:
    """The streaming media endpoints (``api.STREAM_ENDPOINTS``) over the same connection pool."""

    def __init__(self, rest: RestTransport) -> None:
        self._rest = rest

    def _headers(self) -> dict[str, str]:
        if not self._rest.token:
            raise errors.NotLoggedIn("transfers need a signed-in session")
        return {"Authorization": f"Bearer {self._rest.token}"}

    async def upload(
        self, upload_id: str, offset: int, chunks: AsyncIterator[bytes]
    ) -> UploadStatus:
        endpoint = BY_NAME["upload_bytes"]
        headers = {**self._headers(), "Upload-Offset": str(offset)}
        import httpx

        try:
            response = await self._rest.http.request(
                endpoint.method,
                endpoint.url(upload_id=upload_id),
                content=chunks,
                headers=headers,
                timeout=httpx.Timeout(60.0, connect=15.0),
            )
        except httpx.TimeoutException as exc:
            raise errors.RequestTimeout("the upload timed out") from exc
        except httpx.TransportError as exc:
            raise errors.NetworkError(f"the upload failed: {exc}") from exc
        if response.status_code >= 400:
            raise _error_from_response(response)
        try:
            return decoding.decode(response.content, UploadStatus, what="upload status")
        except errors.InvalidParameter as exc:
            raise errors.ServerError(f"unexpected answer to an upload: {exc.message}") from None

    async def download(
        self,
        media_id: str,
        query: DownloadQuery,
        offset: int,
        write: Callable[[bytes], None],
        *,
        restart: Callable[[], None],
    ) -> None:
        """Stream the file from ``offset`` into ``write``; if the server sends it whole instead
        (no range), ``restart`` is called first."""
        endpoint = BY_NAME["download"]
        headers = self._headers()
        if offset:
            headers["Range"] = f"bytes={offset}-"
        import httpx

        try:
            async with self._rest.http.stream(
                endpoint.method,
                endpoint.url(media_id=media_id),
                params=_query_params(query),
                headers=headers,
                timeout=httpx.Timeout(60.0, connect=15.0),
            ) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise _error_from_response(response)
                if offset and response.status_code != 206:
                    restart()
                async for chunk in response.aiter_raw():  # no encoding on files: no copies
                    write(chunk)
        except httpx.TimeoutException as exc:
            raise errors.RequestTimeout("the download timed out") from exc
        except httpx.TransportError as exc:
            raise errors.NetworkError(f"the download failed: {exc}") from exc


def _is_tls(url: str) -> bool:
    return url.strip().lower().startswith("https:")


def _query_params(query: Base | None) -> dict[str, str]:
    if query is None:
        return {}
    params: dict[str, str] = {}
    for key, value in msgspec.to_builtins(query).items():
        if value is None:
            continue
        params[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return params


def _error_from_response(response: httpx.Response) -> errors.MessengerError:
    payload: object
    try:
        payload = decoding.decode(response.content, object, what="error")
    except errors.InvalidParameter:
        payload = None
    if isinstance(payload, dict) and ("name" in payload or "code" in payload):
        return errors.error_from_wire(payload)
    status = response.status_code
    cls = _STATUS_ERRORS.get(status, errors.ServerError if status >= 500 else errors.InvalidRequest)
    return cls(f"HTTP {status}: {response.text[:200]}")
