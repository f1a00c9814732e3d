"""The icon set: every size and format the installers need, drawn like the icon the app paints."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from messenger.ui.tray import app_icon

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("PIL") is None, reason="Pillow (the build extra) is not installed"
)


@pytest.fixture(scope="module")
def icons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if QApplication.instance() is None:
        QApplication(["icon-tests"])
    from icons import build_icons  # type: ignore[import-not-found]

    built: dict[str, Path] = build_icons(tmp_path_factory.mktemp("icons"))
    return built


def test_every_png_size_is_square_and_not_empty(icons: dict[str, Path]) -> None:
    from icons import PNG_SIZES

    for size in PNG_SIZES:
        image = QImage(str(icons[f"png{size}"]))
        assert (image.width(), image.height()) == (size, size)
        centre = image.pixelColor(size // 2, size // 4)  # the tile, above the bubble's middle
        assert centre.alpha() == 255
        corner = image.pixelColor(0, 0)  # outside the rounded corner
        assert corner.alpha() < 64


def test_windows_and_macos_icon_files_hold_every_size(icons: dict[str, Path]) -> None:
    from icons import ICO_SIZES
    from PIL import Image

    with Image.open(icons["ico"]) as ico:
        assert sorted(ico.ico.sizes()) == [(s, s) for s in ICO_SIZES]  # type: ignore[attr-defined]
    with Image.open(icons["icns"]) as icns:
        assert icns.format == "ICNS"
        assert (512, 512, 2) in icns.info["sizes"]  # the 1024 px Retina image


def _difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference of the colour channels (0-255), over every pixel."""
    total = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            total += abs(pa.red() - pb.red()) + abs(pa.green() - pb.green())
            total += abs(pa.blue() - pb.blue()) + abs(pa.alpha() - pb.alpha())
    return total / (a.width() * a.height() * 4)


def test_the_svg_source_looks_like_the_icon_the_app_paints(icons: dict[str, Path]) -> None:
    drawn = QImage(str(icons["png64"])).convertToFormat(QImage.Format.Format_ARGB32)
    painted = app_icon().pixmap(64, 64).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    assert _difference(drawn, painted) < 2.0  # the small-grid drawing scores 6.7
    blank = QImage(64, 64, QImage.Format.Format_ARGB32)
    blank.fill(Qt.GlobalColor.white)
    assert _difference(drawn, blank) > 40  # the measure does tell different pictures apart
