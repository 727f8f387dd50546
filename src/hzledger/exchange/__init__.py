"""Getting the books in and out (issue 14).

Export: the 序时账 (journal, one row per posting), the 科目余额表 (trial balance) and the
organisation's set-up as one mapping file. Import: a 序时账 from 用友/金蝶 or from our own
export, with opening balances from a 科目余额表, and bank statements through a beangulp
importer whose counter-postings smart_importer predicts. Every import is a dry run unless
`--write`, and writing only appends, atomically.
"""

from __future__ import annotations

from hzledger.messages import BilingualError


class ExchangeError(BilingualError):
    """A refusal the user can act on: Chinese first, English twin, and where it happened."""

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
    ) -> None:
        super().__init__(zh, en)
        self.file = file
        self.sheet = sheet
        self.row = row

    def where(self, lang: str = "zh") -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”" if lang != "en" else f"sheet {self.sheet!r}")
        if self.row:
            parts.append(f"第 {self.row} 行" if lang != "en" else f"row {self.row}")
        return ("，" if lang != "en" else ", ").join(parts)

    def text(self, lang: str = "zh") -> str:
        where = self.where(lang)
        body = self.en if lang == "en" else self.zh
        return (
            f"{where}：{body}"
            if where and lang != "en"
            else (f"{where}: {body}" if where else body)
        )


class ExchangeErrors(ExchangeError):
    """Several refusals found in one pass (every bad row is reported, not just the first)."""

    def __init__(self, errors: list[ExchangeError]) -> None:
        super().__init__(errors[0].zh, errors[0].en)
        self.errors = errors

    def text(self, lang: str = "zh") -> str:
        return "\n".join(e.text(lang) for e in self.errors)
