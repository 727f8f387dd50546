"""Helpers shared by the demo tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

LEDGERS = Path(__file__).resolve().parents[2] / "ledgers"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def is_cache(relative: str) -> bool:
    """Beancount's pickle cache (`bean-check` writes `.main.beancount.picklecache` beside a ledger)."""
    return relative.endswith(".picklecache")


def committed_tree(root: Path) -> dict[str, bytes]:
    """The files under root that git tracks, with their bytes in the work tree.

    What the README's commands leave behind (Beancount caches, a user's scratch files) is not
    part of the demo; outside a git checkout (an unpacked sdist) every non-cache file counts.
    """
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--", "."],
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        return {k: v for k, v in tree(root).items() if not is_cache(k)}
    names = [n for n in listed.stdout.decode("utf-8").split("\0") if n]
    return {
        name: (root / name).read_bytes()
        for name in sorted(names)
        if (root / name).is_file() and not is_cache(name)
    }
