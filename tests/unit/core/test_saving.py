"""Files out of the cache: a hostile sender's name never leads outside the folder, a name taken
by another file gets a number, the same file is not copied twice, Save as writes exactly where
the user chose."""

from __future__ import annotations

from pathlib import Path

import pytest

from messenger.core.transfers.saving import copy_to, export
from messenger.protocol.filenames import safe_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("/absolute/report.pdf", "report.pdf"),
        ("C:\\Users\\x\\evil.exe", "evil.exe"),
        ("a\x00b.txt", "ab.txt"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("lpt1.log", "_lpt1.log"),
        ("trailing dots. . .", "trailing dots"),
        ("..", "fallback"),
        ("", "fallback"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("报告.docx", "报告.docx"),
    ],
)
def test_hostile_names_become_one_plain_name(name: str, expected: str) -> None:
    assert safe_name(name, "fallback") == expected


@pytest.mark.parametrize(
    "name", ["../../x.sh", "/etc/passwd", "..\\..\\win.ini", "\x00", "a/" * 200, "\u202e.exe"]
)
def test_an_exported_file_stays_in_its_folder(tmp_path: Path, name: str) -> None:
    source = tmp_path / "cache" / "abc"
    source.parent.mkdir()
    source.write_bytes(b"payload")
    folder = tmp_path / "Downloads"

    path = export(source, folder, name, "abc123")

    assert path.parent == folder and path.read_bytes() == b"payload"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Downloads", "cache"]


def test_names_taken_by_other_files_are_numbered_and_the_same_file_is_reused(
    tmp_path: Path,
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.write_bytes(b"first")
    two.write_bytes(b"second")
    folder = tmp_path / "out"

    first = export(one, folder, "notes.txt", "x")
    again = export(one, folder, "notes.txt", "x")
    other = export(two, folder, "notes.txt", "x")

    assert first == again == folder / "notes.txt"
    assert other == folder / "notes (2).txt" and other.read_bytes() == b"second"


def test_save_as_replaces_the_chosen_file_whole(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.write_bytes(b"new content")
    target = tmp_path / "chosen.txt"
    target.write_bytes(b"old")

    assert copy_to(source, target) == target
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
