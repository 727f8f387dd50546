"""Ledger discovery, URL slugs and scopes."""

from __future__ import annotations

from pathlib import Path

import pytest

from hzledger.serve.ledgers import LedgerArgError, discover, in_scope, slugify
from hzledger.serve.users import User

# isort: split
from serve_support import FAST_HASHER, make_orgs


def _user(*scopes: str) -> User:
    return User(name="u", password_hash=FAST_HASHER.hash("x"), scopes=list(scopes))


def test_directory_means_every_org_below(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    specs = discover([str(tmp_path / "ledgers")])
    assert [s.slug for s in specs] == ["bad", "shiyan"]
    assert {s.path for s in specs} == {p.resolve() for p in orgs.values()}
    # The same ledger named twice is served once.
    again = discover([str(orgs["shiyan"]), str(tmp_path / "ledgers")])
    assert [s.slug for s in again] == ["shiyan", "bad"]


def test_slugs_are_unique_and_url_safe(tmp_path: Path) -> None:
    for parent in ("a", "b"):
        make_orgs(tmp_path / parent)
    specs = discover([str(tmp_path / "a"), str(tmp_path / "b")])
    slugs = [s.slug for s in specs]
    assert len(set(slugs)) == 4 and "shiyan-2" in slugs
    assert slugify("东城 市/Org!") == "东城-市-org"
    assert slugify("static") == "static"
    assert slugify("...") == "ledger"


def test_static_is_never_a_ledger_slug(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "x")
    target = tmp_path / "static"
    orgs["shiyan"].parent.rename(target)
    (spec,) = discover([str(target / "main.beancount")])
    assert spec.slug == "static-2"


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(LedgerArgError) as info:
        discover([str(tmp_path / "nope")])
    assert "找不到账本" in info.value.zh
    with pytest.raises(LedgerArgError):
        discover([str(tmp_path)])


def test_scopes(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    spec = next(s for s in discover([str(tmp_path / "ledgers")]) if s.slug == "shiyan")
    titles = ("示例市职工互助保障会",)
    assert in_scope(_user("*"), spec, titles)
    assert in_scope(_user("shiyan"), spec, titles)
    assert in_scope(_user("示例市职工互助保障会"), spec, titles)
    assert in_scope(_user(str(orgs["shiyan"].parent)), spec, titles)
    assert in_scope(_user(str(orgs["shiyan"])), spec, titles)
    assert not in_scope(_user("bad", "违规市职工互助保障会"), spec, titles)
    assert not in_scope(_user(str(orgs["bad"].parent)), spec, titles)
    assert not in_scope(_user("shiyan-sheng"), spec, titles)
