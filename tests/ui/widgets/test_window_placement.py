"""New windows (image viewer, video player, merged chat) open centred over the window they came
from, shrunk to the screen and moved onto it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

from messenger.ui.placement import placed_over

SCREEN = QRect(0, 0, 1600, 1000)


def test_a_window_opens_centred_over_its_origin() -> None:
    placed = placed_over(QSize(600, 400), QRect(200, 100, 1000, 800), SCREEN)
    assert placed.size() == QSize(600, 400)
    assert placed.center() == QRect(200, 100, 1000, 800).center()


def test_an_origin_near_the_edge_keeps_the_window_on_the_screen() -> None:
    placed = placed_over(QSize(960, 720), QRect(1200, 600, 400, 400), SCREEN)
    assert SCREEN.contains(placed) and placed.size() == QSize(960, 720)
    assert (placed.right(), placed.bottom()) == (1599, 999)


def test_a_window_larger_than_the_screen_is_shrunk_to_fit() -> None:
    placed = placed_over(QSize(3000, 2000), QRect(0, 0, 800, 600), SCREEN)
    assert placed.size() == QSize(1440, 900)  # nine tenths of each side
    assert SCREEN.contains(placed)


def test_a_second_screen_to_the_left_is_respected() -> None:
    left_screen = QRect(-1280, 0, 1280, 1024)
    placed = placed_over(QSize(960, 720), QRect(-200, 50, 300, 300), left_screen)
    assert left_screen.contains(placed)
