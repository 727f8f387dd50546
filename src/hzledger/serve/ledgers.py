"""Which ledgers the service serves, their URL slugs, and who may see them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from hzledger.serve.users import User

MAIN_FILE = "main.beancount"


class LedgerArgError(Exception):
    """A ledger argument of `hzledger serve` that names no usable ledger."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class LedgerSpec:
    """One organisation's ledger: its main file and the URL segment it is served under."""

    slug: str
    path: Path  # absolute main file
    given: str  # as given on the command line, for messages and scopes

    @property
    def root(self) -> Path:
        return self.path.parent


def slugify(name: str) -> str:
    """URL segment from a folder name; non-ASCII letters stay (browsers show them)."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"[^\w-]+", "-", text).strip("-").lower()
    return text or "ledger"


def discover(args: list[str]) -> list[LedgerSpec]:
    """A file is one ledger; a directory is its own main.beancount plus every `*/main.beancount`."""
    found: list[tuple[Path, str]] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            candidates = []
            if (path / MAIN_FILE).is_file():
                candidates.append(path / MAIN_FILE)
            candidates.extend(sorted(path.glob(f"*/{MAIN_FILE}")))
            if not candidates:
                raise LedgerArgError(
                    f"目录 {arg} 下没有 */{MAIN_FILE}", f"no */{MAIN_FILE} under directory {arg}"
                )
            found.extend((c, str(c)) for c in candidates)
        elif path.is_file():
            found.append((path, arg))
        else:
            raise LedgerArgError(f"找不到账本：{arg}", f"ledger not found: {arg}")
    specs: list[LedgerSpec] = []
    seen_paths: set[Path] = set()
    slugs: set[str] = set()
    for path, given in found:
        absolute = path.resolve()
        if absolute in seen_paths:
            continue
        seen_paths.add(absolute)
        base = slugify(absolute.parent.name if absolute.name == MAIN_FILE else absolute.stem)
        slug, n = base, 2
        while slug in slugs or slug == "static":
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        specs.append(LedgerSpec(slug=slug, path=absolute, given=given))
    return specs


def in_scope(user: User, spec: LedgerSpec, titles: tuple[str, ...]) -> bool:
    """A scope names the org by folder name/slug, path (folder or main file), or title."""
    if user.sees_all():
        return True
    return any(scope_matches(scope, spec, titles) for scope in user.scopes)


def scope_matches(scope: str, spec: LedgerSpec, titles: tuple[str, ...]) -> bool:
    if scope == "*" or scope in (spec.slug, spec.root.name) or scope in titles:
        return True
    candidate = Path(scope).expanduser()
    if candidate.is_absolute() or "/" in scope or scope.endswith(".beancount"):
        try:
            resolved = candidate.resolve()
        except OSError:
            return False
        return resolved in (spec.root, spec.path)
    return False


TITLE_OPTION = re.compile(r'^option\s+"title"\s+"((?:[^"\\]|\\.)*)"', re.MULTILINE)


def declared_title(spec: LedgerSpec) -> str | None:
    """The main file's `option "title"`, read without loading the ledger (for `user add`)."""
    try:
        text = spec.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = TITLE_OPTION.search(text)
    return match.group(1) if match else None
