"""Every people endpoint refuses a caller without a valid session, with a typed error, and
changes nothing; what one user can change is only ever their own."""

from __future__ import annotations

import httpx
import pytest

from messenger.protocol import api, errors
from messenger.protocol.api import PEOPLE_ENDPOINTS
from tests.helpers.ids import uid
from tests.helpers.raw import Make
from tests.helpers.server import ServerProcess

_PATH_VALUES = {"user_id": "someone", "avatar_id": "0" * 32, "name": "Family"}


@pytest.mark.parametrize("endpoint", PEOPLE_ENDPOINTS, ids=[e.name for e in PEOPLE_ENDPOINTS])
@pytest.mark.parametrize("token", [None, "forged-token"])
async def test_people_endpoints_need_a_session(
    server: ServerProcess, endpoint: api.Endpoint, token: str | None
) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = endpoint.url(**{p: _PATH_VALUES[p] for p in endpoint.path_params})
    content = b"{}" if endpoint.body is not None or endpoint.binary else None
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.request(endpoint.method, url, content=content, headers=headers)
    assert response.status_code == 401
    error = errors.error_from_wire(response.json())
    assert isinstance(error, errors.AuthError)


async def test_a_user_changes_only_their_own_people_side(make: Make) -> None:
    alice = await make(uid("alice"))
    bob = await make(uid("bob"))
    # Alice edits "her" profile: bob's stays as it was.
    answer = await alice.http.patch(
        "/v1/me", json={"nickname": "Bob?"}, headers={"Authorization": f"Bearer {alice.token}"}
    )
    assert answer.json()["user_id"] == alice.user_id
    bob_profile = await bob.http.get(
        f"/v1/users/{bob.user_id}", headers={"Authorization": f"Bearer {bob.token}"}
    )
    assert bob_profile.json()["nickname"] == bob.user_id
    # Nobody answers a request addressed to someone else.
    carol = await make(uid("carol"))
    auth = {"Authorization": f"Bearer {alice.token}"}
    await alice.http.post("/v1/friends", json={"user_id": carol.user_id}, headers=auth)
    stolen = await bob.http.post(
        f"/v1/friend-requests/{alice.user_id}/accept",
        json={},
        headers={"Authorization": f"Bearer {bob.token}"},
    )
    assert stolen.status_code == 404
    assert isinstance(errors.error_from_wire(stolen.json()), errors.FriendRequestNotFound)
