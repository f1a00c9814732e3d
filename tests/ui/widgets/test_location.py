"""A location message: a card with a pin, the description and the coordinates; a click opens
the place in a web map. Through the real server."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QUrl, QUrlQuery

from messenger.protocol.bodies import LocationBody
from messenger.ui.bubbles import location_bubble
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.ui.helpers import chat_rows, open_chat, until


async def test_a_location_shows_its_place_and_opens_a_map(devices: Devices, windows: Any) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    place = LocationBody(
        description="深圳湾公园 Shenzhen Bay Park", latitude=22.51, longitude=-13.94
    )
    await alice.client.send_body("C2C" + bob_id, place)
    await devices.until(lambda: bob.added("C2C" + alice_id), what="bob gets it")
    window = await windows(bob)
    await open_chat(window, "C2C" + alice_id)
    pane = window.chat_pane
    [row] = chat_rows(window)
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    pane.media.open_url = open_url

    assert row.card == "location" and row.text == ""
    geometry = pane.view.delegate.geometry(pane.view.model().index(0, 0))
    assert geometry is not None and geometry.card is not None
    assert geometry.card.width() == location_bubble.WIDTH
    assert location_bubble.coordinates(place) == "22.51000° N, 13.94000° W"
    if os.environ.get("MESSENGER_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["MESSENGER_SCREENSHOTS"], "location.png"))

    centre = geometry.card.center()
    index = pane.view.model().index(0, 0)
    assert pane.view.delegate.hit(index, centre.x(), centre.y()) == "location"
    pane.view.action_clicked.emit("location", row.key)

    [url] = await until(lambda: opened, what="the map opened")
    assert url.host() == "www.openstreetmap.org"
    query = QUrlQuery(url)
    assert (query.queryItemValue("mlat"), query.queryItemValue("mlon")) == (
        "22.510000",
        "-13.940000",
    )


async def test_a_location_is_sent_from_the_attach_menu(devices: Devices, windows: Any) -> None:
    from messenger.ui.location_dialog import LocationDialog
    from tests.ui.widgets.test_attach import chat_with_bob

    window, bob, alice_id = await chat_with_bob(devices, windows)
    composer = window.chat_pane.composer
    names = [a.objectName() for a in composer.attach_button.menu().actions()]
    assert "location" in names

    composer.location_action.trigger()
    dialog = await until(lambda: window.findChild(LocationDialog), what="the dialog")
    assert dialog.latitude.maximum() == 90 and dialog.longitude.minimum() == -180
    dialog.description.setText("  Café on the corner  ")
    dialog.latitude.setValue(48.8566)
    dialog.longitude.setValue(2.3522)
    dialog.accept()

    [message] = await devices.until(
        lambda: [m for m in bob.added("C2C" + alice_id) if m.kind == "location"], what="it"
    )
    assert message.content == LocationBody(
        description="Café on the corner", latitude=48.8566, longitude=2.3522
    )
