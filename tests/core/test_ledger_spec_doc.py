"""docs/ledger-spec.md is the project's complete statement of the ledger contract v1.1."""

from __future__ import annotations

import re

import pytest

from hzledger import kinds
from hzledger.model import POLICY_KEYS
from hzledger.rules import ALL_RULES

from hztest import REPO

DOC = (REPO / "docs" / "ledger-spec.md").read_text(encoding="utf-8")
SHARED = REPO.parent / "shared" / "spec" / "LEDGER-SPEC.md"


def test_every_rule_kind_and_policy_key_the_code_knows_is_stated() -> None:
    names = {rule.id for rule in ALL_RULES if rule.id != "HZ-INTERNAL"} | {"beancount"}
    names |= set(kinds.INCOME_KINDS) | kinds.EXPENSE_KINDS | kinds.ASSET_KINDS_ALLOWED
    names |= kinds.ASSET_KINDS_PROHIBITED | kinds.LIABILITY_KINDS | kinds.EQUITY_KINDS
    names |= kinds.BANK_ROLES | set(POLICY_KEYS)
    missing = sorted(n for n in names if f"`{n}`" not in DOC and f"| {n} |" not in DOC)
    assert not missing, missing
    assert DOC.startswith("# hzledger 账本契约（v1.1）")


@pytest.mark.skipif(not SHARED.exists(), reason="the shared contract is not beside this clone")
def test_everything_the_shared_contract_names_is_in_the_project_doc() -> None:
    """Every `code` token, rule row and code line of ../shared/spec/LEDGER-SPEC.md appears here.

    Two kinds of line are restated rather than copied: paths to the regulation beside the
    shared contract, and the folder layout's English explanations (its file names are checked).
    """
    spec = SHARED.read_text(encoding="utf-8")
    tokens = set(re.findall(r"`([^`\n]+)`", spec))
    tokens |= set(re.findall(r"^\| (HZ-[A-Z0-9]+|beancount) \|", spec, re.M))
    missing = sorted(t for t in tokens if t not in DOC and not t.startswith("../regulation/"))
    assert not missing, missing
    for block in re.findall(r"```[a-z]*\n(.*?)```", spec, re.S):
        for line in block.splitlines():
            code = line.split(";")[0].rstrip()
            if re.match(r"^  \S+/?\s{2,}", code):  # the layout: file name, then English prose
                code = code.split()[0]
            assert not code or code in DOC, code


def test_readme_and_docs_point_to_the_project_doc_not_shared() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/ledger-spec.md" in readme
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        assert "../shared" not in path.read_text(encoding="utf-8"), path.name
