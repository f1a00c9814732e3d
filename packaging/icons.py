"""The app's icon files made from the SVG sources in resources/icons/.

PNGs in every size the desktops ask for (16 and 24 px from the small-grid drawing, the rest
from the full one), a Windows ``.ico`` and a macOS ``.icns``. Rendered with Qt's SVG renderer
(the same one the app uses), packed with Pillow.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
SMALL_UP_TO = 24  # sizes drawn from messenger-small.svg


def source_for(size: int, name: str = "messenger") -> Path:
    if name == "messenger" and size <= SMALL_UP_TO:
        return SOURCES / "messenger-small.svg"
    return SOURCES / f"{name}.svg"


def render(svg: Path, size: int, out: Path) -> Path:
    """One square PNG of ``svg`` at ``size`` pixels, transparent outside the drawing."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        _keep.append(QGuiApplication([sys.argv[0], "-platform", "offscreen"]))
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise OSError(f"could not write {out}")
    return out


_keep: list[object] = []  # the QGuiApplication made for rendering lives as long as the process


def build_icons(out: Path) -> dict[str, Path]:
    """Every icon file into ``out``; returns them by role (``png<size>``, ``ico``, ``icns``...)."""
    made: dict[str, Path] = {}
    for size in sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES}):
        made[f"png{size}"] = render(source_for(size), size, out / f"messenger-{size}.png")
    made["server256"] = render(source_for(256, "messenger-server"), 256, out / "server-256.png")
    made["symbolic"] = out / "messenger-symbolic.svg"
    made["symbolic"].write_bytes((SOURCES / "messenger-symbolic.svg").read_bytes())
    made["svg"] = out / "messenger.svg"
    made["svg"].write_bytes((SOURCES / "messenger.svg").read_bytes())

    largest = Image.open(made["png256"])
    ico_frames = [Image.open(made[f"png{s}"]) for s in ICO_SIZES]
    made["ico"] = out / "messenger.ico"
    largest.save(
        made["ico"], format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=ico_frames
    )
    icns_base = Image.open(made["png1024"])
    made["icns"] = out / "messenger.icns"
    icns_base.save(
        made["icns"],
        format="ICNS",
        append_images=[Image.open(made[f"png{s}"]) for s in ICNS_SIZES[:-1]],
    )
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    for role, path in build_icons(target).items():
        print(f"{role:10} {path}")
