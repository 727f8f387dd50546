"""Scaffolding for an organisation's ledger repository: `hzledger init` and `hzledger new-project`.

Everything written here goes through `fsutil.FileBatch`, so a scaffold either lands whole or not
at all, and never overwrites a file the accountants already have.
"""

from __future__ import annotations


class ScaffoldError(Exception):
    """A refusal the user can act on, in Chinese with its English twin."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh
