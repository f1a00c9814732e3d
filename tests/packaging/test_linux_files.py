"""The Linux package's desktop files: entry, AppStream metadata and the server's systemd unit."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
UNIT = ROOT / "packaging" / "systemd" / "messenger-server.service"


def _ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def test_the_desktop_entry_starts_the_installed_command_with_the_app_icon() -> None:
    entry = _ini(LINUX / "messenger.desktop")["Desktop Entry"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert entry["Exec"].split()[0] in scripts["gui-scripts"]
    assert entry["TryExec"] == "messenger"
    assert entry["Icon"] == "messenger"  # the hicolor name the .deb installs
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert "InstantMessaging" in entry["Categories"].split(";")
    # Wayland and the task bar match the window to this file by the app's desktop file name.
    main = (ROOT / "messenger" / "app" / "main.py").read_text("utf-8")
    assert 'app.setDesktopFileName("messenger")' in main


def test_the_appstream_metadata_names_the_desktop_entry_and_both_commands() -> None:
    text = (LINUX / "im.messenger.Messenger.metainfo.xml").read_text("utf-8")
    assert '<launchable type="desktop-id">messenger.desktop</launchable>' in text
    assert "<binary>messenger</binary>" in text and "<binary>messenger-server</binary>" in text
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert f'<release version="{version}"' in text


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_the_appstream_metadata_is_valid() -> None:
    done = subprocess.run(
        [
            "appstreamcli",
            "validate",
            "--no-net",
            str(LINUX / "im.messenger.Messenger.metainfo.xml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_server_unit_runs_the_server_command_on_its_state_folder() -> None:
    unit = _ini(UNIT)
    service = unit["Service"]
    command = service["ExecStart"].split()
    assert command[0] == "/usr/bin/messenger-server"
    assert command[command.index("--data-dir") + 1] == "/var/lib/" + service["StateDirectory"]
    assert service["DynamicUser"] == "yes"  # no root, no account to create
    assert service["EnvironmentFile"] == "-/etc/default/messenger-server"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_deb_depends_on_what_make_run_installs_for_qt() -> None:
    from linux.deb import run_packages  # type: ignore[import-not-found]

    named = run_packages()
    assert {"libxcb-cursor0", "libxkbcommon-x11-0", "libegl1"} <= named  # Qt's xcb platform
    assert "libglib2.0-0 | libglib2.0-0t64" in named  # "a|b" becomes a Debian alternative
