"""The permissions a plain `open()` or `mkdir()` would give, for files we write atomically.

`tempfile.mkstemp` creates 0600 files and `mkdtemp` 0700 folders, whatever the umask: right for
secrets, wrong for ledgers, CI files and baselines that colleagues and CI must read. Files placed
with a temp-and-rename therefore get `0o666 & ~umask` (folders `0o777 & ~umask`) explicitly.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_LOCK = threading.Lock()


def current_umask() -> int:
    """This process's umask, without changing it where the OS lets us read it (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere the only way to read it is to set it; set it straight back.
    with _LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def file_mode() -> int:
    return 0o666 & ~current_umask()


def dir_mode() -> int:
    return 0o777 & ~current_umask()
