"""Writing a file all at once: a temporary file beside it, then `os.replace`.

A reader (or a crash) never sees half a file; the old content stays until the
new one is complete. Used for everything hzledger writes for a user.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hzledger.umask import file_mode


def write_text_atomic(path: str | os.PathLike[str], text: str, *, durable: bool = True) -> None:
    """Replace `path` with `text` (UTF-8, `\\n` line ends) in one step.

    `durable` also flushes the data to disk before the rename (a user's file);
    a cache entry that may be lost on power failure can skip it. The file keeps the mode of the
    one it replaces, else gets the umask's (mkstemp alone would leave colleagues and CI a 0600 file).
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
