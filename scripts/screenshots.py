"""Take the screenshots of docs/screenshots/ (``make screenshots`` runs this).

    python scripts/screenshots.py [OUT_DIR]        # default: docs/screenshots

1. Fonts. Chinese text needs a CJK font and emoji a colour emoji font, or they show as boxes.
   On Debian and Ubuntu, ``fonts-noto-cjk`` and ``fonts-noto-color-emoji`` are installed with
   apt-get when missing (as root, or through sudo). Without the rights, or on another system,
   a note says what is missing and the screenshots are taken anyway.
2. The main window with real data (``screenshot_chat.py``): a group chat and a one-to-one chat
   in the light and the dark theme, the same in Chinese, the composer at work, the emoji picker.
   Group management (``screenshot_groups.py``): the group panel with a member's menu, a muted
   member's window, the New group dialog (light and dark; the panel and the muted window in
   Chinese too). People (``screenshot_people.py``): the Contacts page with a friend's card,
   the requests inbox, the new-chat dialog and Edit my profile. Message operations
   (``screenshot_ops.py``, three of its shots): the hover button's reaction bar, who reacted
   and the search everywhere with its filters (light and dark).
3. The shell's windows (``shell_screenshots.py``): the sign-in window and the settings (light
   and dark, English and Chinese), the connection banner, the kick dialog, the tray badges.
4. Every PNG is stored again, opaque and with the strongest PNG compression Qt has. In
   docs/screenshots/, PNGs this run did not make (stale names) are removed, so the folder
   holds exactly what the command makes.

Everything runs offscreen (``QT_QPA_PLATFORM=offscreen``): no display is needed. The compiled
translations must exist (``make install``; ``make screenshots`` depends on it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
FONT_PACKAGES = ("fonts-noto-cjk", "fonts-noto-color-emoji")
SIZE = "1200x760"


def note(text: str) -> None:
    print(f"screenshots: {text}", file=sys.stderr)


# -- fonts ---------------------------------------------------------------------------------------
def missing_packages() -> list[str]:
    """The font packages dpkg does not have installed ([] when this is not Debian-like)."""
    if shutil.which("dpkg-query") is None:
        return []
    missing = []
    for package in FONT_PACKAGES:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        )
        if done.returncode != 0 or "install ok installed" not in done.stdout:
            missing.append(package)
    return missing


def fontconfig_has(pattern: str) -> bool | None:
    """Whether fontconfig knows a font matching ``pattern`` (None: no fontconfig here)."""
    if shutil.which("fc-list") is None:
        return None
    done = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True)
    return bool(done.stdout.strip())


def install_packages(packages: list[str]) -> bool:
    """apt-get install, as root or through sudo; False when it could not be done."""
    if shutil.which("apt-get") is None:
        return False
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") is not None:
        prefix = ["sudo"] if sys.stdin.isatty() else ["sudo", "-n"]  # never hang on a prompt
    else:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*prefix, "apt-get", "install", "-y", "--no-install-recommends", *packages]
    print("+", " ".join(install), flush=True)
    if subprocess.run(install, env=env).returncode == 0:
        return True
    # A fresh system may have no package lists yet.
    update = [*prefix, "apt-get", "update"]
    print("+", " ".join(update), flush=True)
    if subprocess.run(update, env=env).returncode != 0:
        return False
    return subprocess.run(install, env=env).returncode == 0


def ensure_fonts() -> None:
    missing = missing_packages()
    if missing:
        if install_packages(missing):
            return
        note(
            f"could not install {' '.join(missing)} (run as root or with sudo, or install them "
            "yourself: sudo apt-get install " + " ".join(missing) + "); Chinese text and emoji "
            "may show as boxes or in other fonts."
        )
        return
    checks = {"a Chinese (CJK) font": ":lang=zh-cn", "a colour emoji font": ":charset=1f600"}
    for what, pattern in checks.items():
        if fontconfig_has(pattern) is False:
            note(f"no {what} found; install one (e.g. Noto Sans CJK SC, Noto Color Emoji).")


# -- screenshots ---------------------------------------------------------------------------------
def run(script: str, *args: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    print("+ python", " ".join([f"scripts/{script}", *args]), flush=True)
    subprocess.run([sys.executable, str(SCRIPTS / script), *args], env=env, cwd=ROOT, check=True)


def take(out: Path) -> None:
    target = str(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out)  # run in ROOT
    run("screenshot_chat.py", target, "--language", "en", "--size", SIZE, "--extras")
    run("screenshot_chat.py", target, "--language", "zh_CN", "--size", SIZE)
    run("screenshot_groups.py", target, "--language", "en")
    run("screenshot_groups.py", target, "--language", "zh_CN", "--themes", "light")
    run("screenshot_people.py", target, "--language", "en")
    run("screenshot_people.py", target, "--language", "zh_CN", "--themes", "light")
    run_ops(out)
    run("shell_screenshots.py", target, "--only", "signin,settings")
    run(
        "shell_screenshots.py",
        target,
        "--themes",
        "light",
        "--languages",
        "en",
        "--only",
        "signin-nokeyring,banner-offline,kick-other_device,tray-badges",
    )


OPS_SHOTS = ("ops-react-bar", "ops-who-reacted", "ops-search")  # of screenshot_ops.py's


def run_ops(out: Path) -> None:
    """The message operations' script into a scratch folder; the shots of ``OPS_SHOTS`` kept."""
    with tempfile.TemporaryDirectory() as scratch:
        run("screenshot_ops.py", scratch, "--language", "en")
        for path in sorted(Path(scratch).glob("*.png")):
            if path.name.rsplit("-", 1)[0] in OPS_SHOTS:
                shutil.copy(path, out / path.name)


def compact(out: Path, since: float, *, prune: bool) -> None:
    """Store every PNG made since ``since`` again as opaque RGB at Qt's strongest PNG
    compression (the shots are opaque windows); with ``prune``, remove the folder's other PNGs
    (names this command no longer makes)."""
    from PySide6.QtGui import QImage, QImageWriter

    for path in sorted(out.glob("*.png")):
        if path.stat().st_mtime < since:
            if prune:
                print(f"removing the stale {path.name}")
                path.unlink()
            continue
        image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
        writer = QImageWriter(str(path), b"PNG")
        writer.setQuality(0)  # for PNG: zlib compression level 9
        if image.isNull() or not writer.write(image):
            raise SystemExit(f"cannot re-encode {path}: {writer.errorString()}")


def main(argv: list[str]) -> int:
    docs = ROOT / "docs" / "screenshots"
    out = Path(argv[0]).resolve() if argv else docs
    out.mkdir(parents=True, exist_ok=True)
    ensure_fonts()
    since = time.time() - 1
    take(out)
    compact(out, since, prune=out == docs)
    pngs = sorted(out.glob("*.png"))
    total = sum(p.stat().st_size for p in pngs)
    where = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"{len(pngs)} screenshots in {where}, {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
