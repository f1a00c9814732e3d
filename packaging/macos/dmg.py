"""Messenger.app in a compressed disk image, with a link to /Applications to drag it onto.

Signed: the .app was signed by PyInstaller (MACOS_SIGN_IDENTITY, hardened runtime, the
entitlements of packaging/macos/); the image is signed too when the identity is set.
Notarisation happens in CI after this (packaging/README.md, "Signing and notarisation").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def build_dmg(app: Path, out: Path, version: str) -> Path:
    dmg = out / f"Messenger-{version}.dmg"
    dmg.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "Messenger"
        staging.mkdir()
        shutil.copytree(app, staging / app.name, symlinks=True)
        (staging / "Applications").symlink_to("/Applications")
        subprocess.run(
            [
                "hdiutil",
                "create",
                "-volname",
                "Messenger",
                "-srcfolder",
                str(staging),
                "-ov",
                "-format",
                "UDZO",
                "-fs",
                "HFS+",
                str(dmg),
            ],
            check=True,
        )
    identity = os.environ.get("MACOS_SIGN_IDENTITY")
    if identity:
        subprocess.run(["codesign", "--sign", identity, "--timestamp", str(dmg)], check=True)
    return dmg
