"""Build Messenger's installers: ``python packaging/build.py --target linux|windows|macos``.

One command per OS, run on that OS (PyInstaller does not cross-build):

1. the compiled translations (if missing) and the icon files (resources/icons/*.svg → PNGs,
   .ico, .icns) into build/icons/;
2. the one-folder bundle from packaging/messenger.spec into dist/<target>/messenger/;
3. the installer: linux → dist/messenger_<version>_<arch>.deb; windows → Inno Setup's
   ``iscc`` on packaging/windows/messenger.iss → dist/Messenger-<version>-setup.exe;
   macos → Messenger.app (Info.plist, entitlements) in dist/Messenger-<version>.dmg.

``--bundle-only`` stops after step 2. Sizes of what was made are printed at the end.
See packaging/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
HOST_TARGET = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, "")
sys.path.insert(0, str(PACKAGING))


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def run(*cmd: str | Path, **env: str) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, env={**os.environ, **env})


def translations() -> None:
    if not list((ROOT / "messenger" / "ui" / "translations").glob("*.qm")):
        run(sys.executable, ROOT / "scripts" / "build_translations.py")


def bundle(target: str, dist: Path, work: Path, icons: Path) -> Path:
    """The PyInstaller one-folder bundle; returns its folder (the .app on macOS)."""
    run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        "--distpath",
        dist,
        "--workpath",
        work / "pyinstaller",
        PACKAGING / "messenger.spec",
        MESSENGER_ICONS=str(icons),
        MESSENGER_VERSION=version(),
    )
    return dist / ("Messenger.app" if target == "macos" else "messenger")


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def sign_windows(path: Path) -> None:
    """Authenticode-sign ``path`` when WINDOWS_CERT_FILE (a .pfx) is set; else leave it."""
    cert = os.environ.get("WINDOWS_CERT_FILE")
    if not cert:
        return
    run(
        "signtool", "sign", "/f", cert, "/p", os.environ.get("WINDOWS_CERT_PASSWORD", ""),
        "/fd", "sha256", "/tr", "http://timestamp.digicert.com", "/td", "sha256", path,
    )  # fmt: skip


def installer(target: str, app: Path, dist: Path, work: Path, icons: Path) -> Path:
    if target == "linux":
        from linux.deb import build_deb

        return build_deb(app, icons, dist.parent, work / "deb", version())
    if target == "windows":
        iscc = shutil.which("iscc") or shutil.which("ISCC")
        if iscc is None:
            raise SystemExit("Inno Setup's iscc is not on PATH (choco install innosetup)")
        sign_windows(app / "messenger.exe")
        run(
            iscc,
            f"/DAppVersion={version()}",
            f"/DBundleDir={app}",
            f"/DIconFile={icons / 'messenger.ico'}",
            f"/O{dist.parent}",
            PACKAGING / "windows" / "messenger.iss",
        )
        setup = dist.parent / f"Messenger-{version()}-setup.exe"
        sign_windows(setup)
        return setup
    from macos.dmg import build_dmg

    return build_dmg(app, dist.parent, version())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--target", choices=["linux", "windows", "macos"], default=HOST_TARGET)
    p.add_argument("--bundle-only", action="store_true", help="the one-folder bundle, no installer")
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (dist/)")
    p.add_argument("--work", type=Path, default=ROOT / "build", help="build folder (build/)")
    args = p.parse_args(argv)
    if args.target != HOST_TARGET:
        p.error(f"build the {args.target} installer on {args.target} (this is {sys.platform})")
    started = time.monotonic()
    dist = args.dist.resolve() / args.target
    work = args.work.resolve() / args.target
    translations()
    from icons import build_icons

    icons = work / "icons"
    build_icons(icons)
    app = bundle(args.target, dist, work, icons)
    print(f"bundle     {app}  {folder_size(app) / 1e6:.1f} MB")
    if not args.bundle_only:
        made = installer(args.target, app, dist, work, icons)
        print(f"installer  {made}  {folder_size(made) / 1e6:.1f} MB")
    print(f"built in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
