"""The one title rule: what an organisation is called on every page and report."""

from __future__ import annotations

from pathlib import Path

from hzledger.model import LedgerModel


def org_title(model: LedgerModel, ledger_path: str | Path) -> str:
    """The `hz-org` name (what the union registered), else `option "title"`, else the folder
    of the top-level ledger file.
    """
    org = model.org
    return (org.name if org else None) or model.title or Path(ledger_path).parent.name
