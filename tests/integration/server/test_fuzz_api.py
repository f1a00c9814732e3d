"""Every endpoint of ``/openapi.json`` fuzzed with schemathesis against the real server: valid and
invalid requests (positive and negative generation), with a user's session (and an
administrator's UserSig on the admin API). Whatever is sent, the server answers within
``HANG_SECONDS`` with a 2xx or a typed 4xx (an ``ErrorBody``), never a 5xx, and logs no traceback.

``make test`` runs a small, derandomized number of examples per endpoint; ``make fuzz`` runs the
long one (``MESSENGER_FUZZ_EXAMPLES``) and prints the figures recorded in docs/reliability.md.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from messenger.protocol.models import ErrorBody
from tests.helpers.ids import uid
from tests.helpers.raw import usersig
from tests.helpers.server import ServerProcess

EXAMPLES = int(os.environ.get("MESSENGER_FUZZ_EXAMPLES", "3"))
HANG_SECONDS = 10.0


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    operations: set[str] = field(default_factory=set)
    server_errors: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    untyped: list[str] = field(default_factory=list)


def _session(server: ServerProcess, user: str) -> str:
    answer = httpx.post(
        server.url + "/v1/auth/login",
        json={"user_id": user, "user_sig": usersig(user), "device_id": uid("dev")},
    )
    answer.raise_for_status()
    return str(answer.json()["session_token"])


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("fuzz"), "--sqlite-synchronous", "NORMAL")
    proc.start()
    yield proc
    proc.stop()


@pytest.mark.timeout(3600)
def test_no_request_makes_the_server_fail(fuzz_server: ServerProcess) -> None:
    server = fuzz_server
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    user = uid("fuzz")
    token = _session(server, user)
    admin = {"Authorization": f"UserSig administrator:{usersig('administrator')}"}
    tally = Tally()

    def headers_for(label: str) -> dict[str, str]:
        if "/v1/admin/" in label:
            return admin
        if "logout" in label:  # another user's session: this user's device limit is untouched
            return {"Authorization": f"Bearer {_session(server, uid('bye'))}"}
        return {"Authorization": f"Bearer {token}"}

    def check(case: Any) -> None:
        label = case.operation.label
        started = time.monotonic()
        try:
            response = case.call(
                base_url=server.url, headers=headers_for(label), timeout=HANG_SECONDS
            )
        except requests.Timeout:
            tally.hangs.append(f"{label}: no answer in {HANG_SECONDS:g} s")
            return
        tally.requests += 1
        tally.operations.add(label)
        tally.statuses[response.status_code] += 1
        if response.status_code >= 500:
            tally.server_errors.append(f"{label} → {response.status_code}: {response.text[:200]}")
        elif response.status_code >= 400:
            try:
                msgspec.json.decode(response.content, type=ErrorBody)
            except msgspec.MsgspecError:
                tally.untyped.append(f"{label} → {response.status_code}: {response.text[:200]}")
        if time.monotonic() - started > HANG_SECONDS:
            tally.hangs.append(f"{label}: answered after {time.monotonic() - started:.1f} s")

    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Any) -> None:
                check(case)

            try:
                run()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # (nothing to get wrong: no input)
    print(
        f"\nfuzzed {len(tally.operations)} of {len(operations)} operations with "
        f"{tally.requests} requests; statuses {dict(sorted(tally.statuses.items()))}; "
        f"5xx: {len(tally.server_errors)}, hangs: {len(tally.hangs)}, "
        f"untyped errors: {len(tally.untyped)}"
    )
    assert tally.server_errors == []
    assert tally.hangs == []
    assert tally.untyped == []
    assert len(tally.operations) == len(operations)
    assert tally.statuses[401] < tally.requests / 4, "the session was lost: most requests were 401"
    log = server.log_path.read_text("utf-8", "replace")
    assert "Traceback" not in log, log[-3000:]
