"""Writing a file all at once: a temporary file beside it, then `os.replace`.

A reader (or a crash) never sees half a file; the old content stays until the
new one is complete. Used for everything hzledger writes for a user: `write_text_atomic` for
text, `atomic_output` for files another library writes (Excel), and `temp_beside` + `place` for
callers that must do something between the two steps (the scaffold's exclusive create).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hzledger.umask import file_mode


def scratch_beside(path: Path) -> Path:
    """An empty temporary file in `path`'s folder (same file system, so the rename is atomic)."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    return Path(tmp)


def temp_beside(path: Path, text: str, *, durable: bool = True) -> Path:
    """`text` (UTF-8, Unix line ends) in a temporary file beside `path`, ready for `place`.

    `durable` also flushes the data to disk (a user's file); a cache entry that may be lost on
    power failure can skip it.
    """
    tmp = scratch_beside(path)
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def place(tmp: Path, target: Path) -> None:
    """Move `tmp` over `target` in one step. The file keeps the mode of the one it replaces, else
    gets the umask's (mkstemp alone would leave colleagues and CI a 0600 file).
    """
    os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else file_mode())
    os.replace(tmp, target)


def write_text_atomic(path: str | os.PathLike[str], text: str, *, durable: bool = True) -> None:
    """Replace `path` with `text` (UTF-8, Unix line ends) in one step."""
    target = Path(path)
    tmp = temp_beside(target, text, durable=durable)
    try:
        place(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_output(path: Path, tmp: Path | None = None) -> Iterator[Path]:
    """A temporary path beside `path` for another library to write; moved over `path` when the
    block ends normally, removed otherwise. `tmp` is a scratch file the caller already made
    (to refuse an unwritable place before any work).
    """
    scratch = tmp if tmp is not None else scratch_beside(path)
    try:
        yield scratch
        place(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
