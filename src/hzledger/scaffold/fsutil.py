"""All-or-nothing file writes that never clobber.

`FileBatch` stages new files and edits of existing files, then places them: each file's content
is written to a temporary file in its own directory and moved into place (`hzledger.fsio`), so a
reader never sees half a file. New files are first reserved with an exclusive create, so a file
that appeared meanwhile is never overwritten; an edited file must still hold the text it was read
with. If any step fails, what was already placed is undone.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from hzledger.fsio import place, temp_beside, write_text_atomic
from hzledger.scaffold import ScaffoldError


@dataclass
class _Write:
    path: Path
    text: str
    original: str | None  # None: a new file


@dataclass
class FileBatch:
    """Files to create or edit, placed all together or not at all."""

    writes: list[_Write] = field(default_factory=list)

    def create(self, path: Path, text: str) -> None:
        """Stage a file that must not exist yet."""
        self.writes.append(_Write(path, text, None))

    def edit(self, path: Path, original: str, text: str) -> None:
        """Stage a new text for an existing file, which must still read `original` when placed."""
        self.writes.append(_Write(path, text, original))

    def existing(self) -> list[Path]:
        return [w.path for w in self.writes if w.original is None and w.path.exists()]

    def commit(self) -> list[Path]:
        clash = self.existing()
        if clash:
            names = "、".join(str(p) for p in clash)
            raise ScaffoldError(
                f"以下文件已存在，未做任何改动：{names}",
                f"these files already exist; nothing was changed: {', '.join(map(str, clash))}",
            )
        created_dirs: list[Path] = []
        placed: list[_Write] = []
        try:
            for write in self.writes:
                created_dirs.extend(_make_dirs(write.path.parent))
                _place(write)
                placed.append(write)
        except BaseException:
            for write in reversed(placed):
                _undo(write)
            for directory in reversed(created_dirs):
                with contextlib.suppress(OSError):
                    directory.rmdir()
            raise
        return [w.path for w in self.writes]


def _make_dirs(directory: Path) -> list[Path]:
    missing: list[Path] = []
    probe = directory
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for item in reversed(missing):
        item.mkdir()
    return list(reversed(missing))


def _place(write: _Write) -> None:
    tmp = temp_beside(write.path, write.text)
    reserved = False
    try:
        if write.original is None:
            try:
                # The exclusive create is the no-clobber guarantee; replace then fills it whole,
                # with the mode the create got from the umask.
                os.close(os.open(write.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            except FileExistsError:
                raise ScaffoldError(
                    f"文件已存在，未覆盖：{write.path}",
                    f"file already exists, not overwritten: {write.path}",
                ) from None
            reserved = True
        else:
            current = write.path.read_bytes().decode("utf-8", errors="replace")
            if current != write.original:
                raise ScaffoldError(
                    f"{write.path} 在写入期间被修改，请重试",
                    f"{write.path} changed while writing; try again",
                )
        place(tmp, write.path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        if reserved:
            write.path.unlink(missing_ok=True)
        raise


def _undo(write: _Write) -> None:
    try:
        if write.original is None:
            write.path.unlink(missing_ok=True)
        else:
            write_text_atomic(write.path, write.original)
    except OSError:
        pass


def read_text(path: Path) -> str:
    """The file's exact text: line endings are kept, so an edit changes only what it means to."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ScaffoldError(f"找不到文件：{path}", f"file not found: {path}") from None
    except UnicodeDecodeError:
        raise ScaffoldError(f"{path} 不是 UTF-8 编码的文本", f"{path} is not UTF-8 text") from None
