"""The Debian package: the one-folder bundle in /opt/messenger, commands, desktop integration.

Contents:
    /opt/messenger/                         the bundle (``messenger`` executable and _internal/)
    /usr/bin/messenger, messenger-server    links to the one executable (it looks at its name)
    /usr/share/applications/messenger.desktop
    /usr/share/icons/hicolor/*/apps/        PNGs in every size, scalable SVG, symbolic SVG
    /usr/share/metainfo/im.messenger.Messenger.metainfo.xml   AppStream
    /lib/systemd/system/messenger-server.service             optional, not enabled
    /etc/default/messenger-server                            the service's settings

Depends: the system libraries the bundle links to but does not carry (found with ``ldd`` and
mapped to packages with ``dpkg -S``), those missing on the build machine (from
``MISSING_LIBRARY_PACKAGES``), and the packages ``make run`` needs for Qt (its xcb libraries,
the ones Qt opens at run time, fonts, D-Bus: ``RUN_PACKAGES`` of scripts/system_deps.sh).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGING = HERE.parent
SUMMARY = "Instant messenger with its own self-hostable server"
DESCRIPTION = """\
 A desktop instant messenger for one-to-one and group chat (read receipts,
 recall, @-mentions, drafts, conversations synced across devices) that signs
 in to a server you run yourself, or to a local server on this computer.
 .
 The messenger-server command runs the server alone; an optional systemd
 unit (messenger-server.service, not enabled) runs it as a service."""

SYSTEM_DEPS = PACKAGING.parent / "scripts" / "system_deps.sh"
# Linked libraries a build machine may lack, and the Debian/Ubuntu packages that carry them.
MISSING_LIBRARY_PACKAGES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libwayland-client.so.0": "libwayland-client0",
    "libgtk-3.so.0": "libgtk-3-0",
    "libgdk-3.so.0": "libgtk-3-0",
}
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def external_libraries(bundle: Path) -> tuple[set[Path], set[str]]:
    """The libraries outside the bundle that its binaries link to, and those not found."""
    carried = {p.name for p in bundle.rglob("*.so*")}
    outside: set[Path] = set()
    missing: set[str] = set()
    for elf in _elf_files(bundle):
        result = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, check=False)
        for line in result.stdout.splitlines():
            match = re.match(r"\s*(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$", line)
            if match is None:
                continue
            name, where = match.groups()
            if name in carried:
                continue
            if where == "not found":
                missing.add(name)
            elif where.startswith("/"):
                outside.add(Path(where))
    return outside, missing


def owning_packages(libraries: set[Path]) -> set[str]:
    """The Debian packages that own these files (``dpkg -S``), without the architecture."""
    packages: set[str] = set()
    for lib in sorted(libraries):
        for candidate in (lib, lib.resolve(), Path("/usr") / lib.relative_to("/")):
            result = subprocess.run(
                ["dpkg", "-S", str(candidate)], capture_output=True, text=True, check=False
            )
            if result.returncode == 0:
                for owner in result.stdout.split(":", 1)[0].split(","):
                    packages.add(owner.strip().split(":")[0])
                break
        else:
            raise SystemExit(f"no package owns {lib}; add it to the .deb's Depends by hand")
    return packages


def run_packages(script: Path = SYSTEM_DEPS) -> set[str]:
    """What the app needs beside Python, as ``make run`` installs it (``a|b``: either)."""
    match = re.search(r'^RUN_PACKAGES="([^"]*)"', script.read_text("utf-8"), re.M)
    if match is None:
        raise SystemExit(f"no RUN_PACKAGES in {script}")
    return {choice.replace("|", " | ") for choice in match.group(1).split()}


def depends(bundle: Path) -> list[str]:
    outside, missing = external_libraries(bundle)
    unknown = sorted(missing - set(MISSING_LIBRARY_PACKAGES))
    if unknown:
        raise SystemExit(f"the bundle needs {unknown}, which no known package provides")
    packages = owning_packages(outside) | {MISSING_LIBRARY_PACKAGES[m] for m in missing}
    named = run_packages()
    either = {name for choice in named if "|" in choice for name in choice.split(" | ")}
    return sorted((packages - either) | named)


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _install(source: Path, target: Path, mode: int = 0o644) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(mode)


def build_deb(bundle: Path, icons: Path, out: Path, work: Path, version: str) -> Path:
    """``messenger_<version>_<arch>.deb`` in ``out`` from the bundle and the icon files."""
    root = work / "root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "messenger", symlinks=True)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for command in ("messenger", "messenger-server"):
        (bin_dir / command).symlink_to("../../opt/messenger/messenger")
    share = root / "usr" / "share"
    _install(HERE / "messenger.desktop", share / "applications" / "messenger.desktop")
    _install(
        HERE / "im.messenger.Messenger.metainfo.xml",
        share / "metainfo" / "im.messenger.Messenger.metainfo.xml",
    )
    hicolor = share / "icons" / "hicolor"
    for size in ICON_SIZES:
        png = hicolor / f"{size}x{size}" / "apps" / "messenger.png"
        _install(icons / f"messenger-{size}.png", png)
    _install(icons / "messenger.svg", hicolor / "scalable" / "apps" / "messenger.svg")
    _install(
        icons / "messenger-symbolic.svg", hicolor / "symbolic" / "apps" / "messenger-symbolic.svg"
    )
    systemd = PACKAGING / "systemd"
    _install(
        systemd / "messenger-server.service",
        root / "lib" / "systemd" / "system" / "messenger-server.service",
    )
    _install(systemd / "messenger-server.default", root / "etc" / "default" / "messenger-server")

    control = root / "DEBIAN"
    control.mkdir()
    files = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    size_kb = sum(p.stat().st_size for p in files) // 1024
    (control / "control").write_text(
        "\n".join(
            [
                "Package: messenger",
                f"Version: {version}",
                f"Architecture: {architecture()}",
                "Maintainer: Messenger developers <messenger@localhost>",
                f"Installed-Size: {size_kb}",
                f"Depends: {', '.join(depends(bundle))}",
                "Recommends: gnome-keyring | kwalletmanager, xdg-utils",
                "Section: net",
                "Priority: optional",
                f"Description: {SUMMARY}",
                DESCRIPTION,
                "",
            ]
        )
    )
    (control / "conffiles").write_text("/etc/default/messenger-server\n")
    for script in ("postinst", "prerm", "postrm"):
        _install(HERE / "deb" / script, control / script, 0o755)
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"messenger_{version}_{architecture()}.deb"
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")}
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(root), str(deb)],
        check=True,
        env=env,
    )
    return deb
