"""Write a directory all at once: build it beside the target, then rename it into place.

A reader never sees a half-written organisation, and a failed run leaves nothing behind.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from hzledger.umask import dir_mode

T = TypeVar("T")


class TargetExists(FileExistsError):
    """The target directory is not empty and `force` was not given."""


def is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


def write_directory(target: Path, produce: Callable[[Path], T], *, force: bool = False) -> T:
    """Call `produce(tmp_dir)` and move the result to `target`.

    Refuses a non-empty existing target unless `force`; an existing file is never replaced.
    """
    target = target.absolute()
    if target.exists() and not target.is_dir():
        raise TargetExists(str(target))
    if target.exists() and not force and not is_empty_dir(target):
        raise TargetExists(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        tmp.chmod(dir_mode())  # mkdtemp's 0700 would hide the ledgers from colleagues
        result = produce(tmp)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            target.rename(old / "x")
            tmp.rename(target)
            shutil.rmtree(old)
        else:
            tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result
