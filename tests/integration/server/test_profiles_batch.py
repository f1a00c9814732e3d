"""``POST /v1/users/profiles``: public profiles of up to 100 users in one request; more, none, or
a malformed ID is refused with a typed error."""

from __future__ import annotations

import pytest

from messenger.protocol import errors
from messenger.protocol.bounds import MAX_PROFILES_PER_REQUEST
from tests.helpers.ids import uid
from tests.helpers.raw import Make


async def test_profiles_of_several_users_in_the_order_asked(make: Make) -> None:
    alice = await make(uid("alice"))
    bob = await make(uid("bob"))
    carol = await make(uid("carol"))
    await carol.call("update_me", body={"nickname": "Carol 卡罗尔"})

    answer = await alice.call(
        "get_users", body={"user_ids": [carol.user_id, uid("nobody"), bob.user_id, carol.user_id]}
    )

    assert [(p.user_id, p.nickname) for p in answer.profiles] == [
        (carol.user_id, "Carol 卡罗尔"),
        (bob.user_id, bob.user_id),
    ]


@pytest.mark.parametrize(
    "user_ids",
    [
        [],
        [f"user{i}" for i in range(MAX_PROFILES_PER_REQUEST + 1)],
        ["fine", "not a valid id!"],
        ["x" * 33],
    ],
    ids=["none", "too-many", "malformed", "too-long"],
)
async def test_a_batch_out_of_bounds_is_refused(make: Make, user_ids: list[str]) -> None:
    alice = await make(uid("alice"))
    with pytest.raises(errors.InvalidParameter):
        await alice.call("get_users", body={"user_ids": user_ids})
