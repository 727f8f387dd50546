"""Helpers shared by the demo tests."""

from __future__ import annotations

from pathlib import Path

LEDGERS = Path(__file__).resolve().parents[2] / "ledgers"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
