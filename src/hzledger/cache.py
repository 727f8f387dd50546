"""A results cache for `hzledger check` that can't go stale.

Beancount's own pickle cache keys on the ledger files' names, sizes and mtimes
only, so a changed hzledger, rule set or policy file elsewhere could be served
old findings; we never use it. This cache keys a check's *results* on
everything that decides them:

- the content of every file the ledger includes (found by following `include`
  lines with Beancount's own glob rules, from the top-level file down), and
  every include pattern's current matches, so a new file a glob would pick up
  changes the key;
- the listing of the `documents` folders (Beancount turns their files into entries);
- hzledger's own code (every module's bytes), Beancount's, Fava's and Python's versions;
- the `--as-of` date.

A ledger whose results could depend on anything else — a plugin that is neither
Beancount's nor ours, `insert_pythonpath`, an encrypted file — is never cached.
And a result is only stored when the files we found are exactly the files
Beancount loaded, so a difference in how we read `include` can't hide a file.
"""

from __future__ import annotations

import datetime
import glob
import hashlib
import os
import re
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

from hzledger import __version__
from hzledger.fsio import write_text_atomic
from hzledger.result import CheckResult

_INCLUDE = re.compile(rb'^include\s+"([^"]*)"', re.M)
_PLUGIN = re.compile(rb'^plugin\s+"([^"]*)"', re.M)
_DOCUMENTS = re.compile(rb'^option\s+"documents"\s+"([^"]*)"', re.M)
_UNSAFE_OPTION = re.compile(rb'^option\s+"insert_pythonpath"', re.M)
_TRUSTED_PLUGINS = ("beancount.", "hzledger.")
_KEEP = 256


def cache_dir() -> Path:
    configured = os.environ.get("HZLEDGER_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hzledger"


@cache
def code_fingerprint() -> str:
    """Hzledger's own code and the versions of what it runs on."""
    digest = hashlib.sha256()
    for name in ("beancount", "fava", "pydantic"):
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?;".encode())
    digest.update(f"hzledger={__version__};python={sys.version}".encode())
    import hzledger
    import hzledger.plugins

    roots = {Path(hzledger.__file__).parent, Path(hzledger.plugins.__file__).parent}
    for root in sorted(roots):
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _walk(main: Path) -> tuple[str, set[str]] | None:
    """Follow the include lines like Beancount does; None when the ledger is uncacheable."""
    digest = hashlib.sha256()
    seen: set[str] = set()
    stack = [os.path.normpath(os.path.abspath(main))]
    top_dir = os.path.dirname(stack[0])
    while stack:
        filename = stack.pop(0)
        if filename in seen:
            continue
        try:
            content = Path(filename).read_bytes()
        except OSError:
            return None
        if filename.endswith((".gpg", ".asc")):
            return None
        seen.add(filename)
        digest.update(filename.encode() + b"\0" + hashlib.sha256(content).digest())
        if _UNSAFE_OPTION.search(content):
            return None
        for plugin in _PLUGIN.findall(content):
            if not plugin.decode("utf-8", "replace").startswith(_TRUSTED_PLUGINS):
                return None
        cwd = os.path.dirname(filename)
        for raw in _INCLUDE.findall(content):
            pattern = raw.decode("utf-8", "replace")
            search = pattern if os.path.isabs(pattern) else os.path.join(cwd, pattern)
            matches = sorted(glob.glob(search, recursive=True))
            digest.update(b"glob\0" + search.encode() + b"\0" + "\0".join(matches).encode())
            stack.extend(os.path.normpath(os.path.join(cwd, m)) for m in matches)
        for raw in _DOCUMENTS.findall(content):
            folder = os.path.join(top_dir, raw.decode("utf-8", "replace"))
            listing = sorted(
                os.path.relpath(os.path.join(d, f), folder)
                for d, _dirs, files in os.walk(folder)
                for f in files
            )
            digest.update(b"docs\0" + folder.encode() + b"\0" + "\0".join(listing).encode())
    return digest.hexdigest(), seen


class ResultCache:
    """Lookup and store of one ledger's check results."""

    def __init__(self, main: Path, as_of: datetime.date | None) -> None:
        walked = _walk(main)
        self.files: set[str] = walked[1] if walked else set()
        self.key: str | None = None
        if walked is not None:
            digest = hashlib.sha256(
                f"{code_fingerprint()}|{walked[0]}|{as_of}".encode()
            ).hexdigest()
            self.key = digest

    @property
    def path(self) -> Path | None:
        return cache_dir() / f"{self.key}.json" if self.key else None

    def get(self) -> CheckResult | None:
        path = self.path
        if path is None:
            return None
        try:
            return CheckResult.model_validate_json(path.read_bytes())
        except (OSError, ValueError):
            return None

    def put(self, result: CheckResult) -> None:
        """Store, unless Beancount loaded other files than the ones we hashed."""
        path = self.path
        if path is None or {os.path.normpath(f) for f in result.files} != self.files:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, result.model_dump_json(), durable=False)
            _prune(path.parent)
        except OSError:
            return  # a cache that can't be written is only a slower check


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[_KEEP:]:
        old.unlink(missing_ok=True)
