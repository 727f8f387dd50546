"""`hzledger init` and `hzledger new-project`: real files, real Beancount loads, the real CLI."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from wf_helpers import TITLE, check_json, hz, run, scaffold, snapshot, spec

from hzledger.check import check_file
from hzledger.cli import main
from hzledger.kinds import allowed_kinds
from hzledger.scaffold import ScaffoldError
from hzledger.scaffold.fsutil import FileBatch
from hzledger.scaffold.project import new_project, with_include

EXPECTED_FILES = {
    "main.beancount",
    "funds/ZH.beancount",
    "decisions.beancount",
    "audits.beancount",
    "documents/README.md",
    ".pre-commit-config.yaml",
    ".github/workflows/hzledger.yml",
    ".gitlab-ci.yml",
    ".gitignore",
    "README.md",
}


def test_init_cli_writes_a_repository_that_checks_clean(tmp_path: Path) -> None:
    org = tmp_path / "org"
    result = hz(
        "init", org, "--title", TITLE, "--level", "province", "--parent", "示例省总工会",
        "--date", "2026-01-01",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = {
        str(p.relative_to(org)) for p in org.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    assert written == EXPECTED_FILES
    assert (org / ".git").is_dir(), "init makes the folder a git repository"
    for name in EXPECTED_FILES:
        assert name in result.stdout

    report = check_json(org / "main.beancount")
    assert report["findings"] == []
    assert report["ledgers"][0]["title"] == TITLE

    checked = check_file(org / "main.beancount")
    model = checked.model
    assert model.org is not None and model.org.level == "province"
    assert model.org.parent == "示例省总工会"
    assert set(model.funds) == {"ZH"} and not model.funds["ZH"].is_project
    # Every open carries a kind the spec allows under its root, named code-first.
    assert len(model.accounts) >= 20
    for info in model.accounts.values():
        assert info.kind in allowed_kinds(info.root), info.name
        assert re.fullmatch(r"\d{4}\S+", info.name.split(":")[2]), info.name
    kinds = {info.kind for info in model.accounts.values()}
    assert {"cash", "bank", "net-assets", "interest", "subsidy", "admin", "payroll"} <= kinds


def test_init_refuses_to_clobber_and_writes_nothing(tmp_path: Path) -> None:
    org = tmp_path / "org"
    org.mkdir()
    (org / "README.md").write_text("我们自己的说明\n", encoding="utf-8")
    before = snapshot(org)
    result = hz("init", org, "--title", TITLE, "--no-git")
    assert result.returncode == 2
    assert "已存在" in result.stderr and "README.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(org) == before
    assert not (org / "funds").exists(), "no directory is left behind either"


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["--title", '示例"会'], "双引号", "double quotes"),
        (["--title", TITLE, "--fund-code", "zh"], "基金代码", "fund code"),
        (["--title", TITLE, "--hook", "git"], "--hook-repo", "--hook-repo"),
    ],
)
def test_init_rejects_bad_options_in_both_languages(
    tmp_path: Path, args: list[str], zh: str, en: str
) -> None:
    # In-process: the same click command as the console script, without its start-up cost.
    runner = CliRunner()
    org = tmp_path / "org"
    result_zh = runner.invoke(main, ["init", str(org), "--no-git", *args])
    result_en = runner.invoke(main, ["init", str(org), "--no-git", "--lang", "en", *args])
    assert result_zh.exit_code == result_en.exit_code == 2
    assert zh in result_zh.stderr and en in result_en.stderr
    assert result_zh.exception is None or isinstance(result_zh.exception, SystemExit)
    assert not org.exists()


def test_new_project_cli_adds_the_standard_chart_and_checks_clean(tmp_path: Path) -> None:
    main = scaffold(tmp_path / "org")
    result = hz(
        "new-project", tmp_path / "org", "ZY27", "--name", "在职职工住院医疗互助保障计划（2027）",
        "--start", "2027-01-01", "--end", "2027-12-31", "--filing", "示工资备〔2026〕21号",
        "--filed", "2026-11-20", "--actuarial", "documents/ZY27-测算报告.pdf",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    project = tmp_path / "org" / "projects" / "ZY27.beancount"
    assert project.is_file()
    assert main.read_text(encoding="utf-8").count('include "projects/ZY27.beancount"') == 1
    assert check_json(main)["findings"] == []

    checked = check_file(main)
    fund = checked.model.funds["ZY27"]
    assert fund.is_project and fund.filing == "示工资备〔2026〕21号"
    assert fund.actuarial == "documents/ZY27-测算报告.pdf"
    assert fund.date == datetime.date(2026, 11, 20), "declared on the earlier of filed and start"
    own = {a.name: a for a in checked.model.accounts.values() if a.fund == "ZY27"}
    assert {a.kind for a in own.values() if a.root == "Income"} == {
        "dues", "donation", "subsidy", "interest",
    }  # fmt: skip
    assert {a.kind for a in own.values() if a.root == "Expenses"} == {
        "benefit", "member-service", "admin",
    }  # fmt: skip
    assert sorted(a.role or "" for a in own.values() if a.kind == "bank") == [
        "collection",
        "expenditure",
    ]
    interfund = sorted(a.name for a in checked.model.accounts.values() if a.kind == "interfund")
    assert interfund == sorted(
        [
            "Assets:ZY27:1122其他应收款:W往来ZH",
            "Liabilities:ZY27:2209其他应付款:W往来ZH",
            "Assets:ZH:1122其他应收款:W往来ZY27",
            "Liabilities:ZH:2209其他应付款:W往来ZY27",
        ]
    )


def test_new_project_chart_carries_real_business_cleanly(tmp_path: Path) -> None:
    """Dues in, money moved to the expenditure account, benefits out, a shared cost charged
    through the interfund accounts (within the year's budget, art. 26): the generated chart
    lets a year run with no finding."""
    main = scaffold(tmp_path / "org")
    project = new_project(tmp_path / "org", spec()).path
    with project.open("a", encoding="utf-8") as handle:
        handle.write(
            """
2026-11-20 custom "budget" Expenses:ZY27:5201管理费用 "yearly" 20000.00 CNY
2026-12-05 * "示例机床厂" "2027年度住院医疗互助会费"
  members: 1850
  Assets:ZY27:1002银行存款:S收入户  92500.00 CNY
  Income:ZY27:4201会费收入
2027-01-15 * "收入户资金归集至支出户"
  Assets:ZY27:1002银行存款:Z支出户  80000.00 CNY
  Assets:ZY27:1002银行存款:S收入户
2027-02-28 * "2月住院医疗互助金给付"
  claims: 12
  prepared-by: "孙丽"
  approved-by: "钱伟"
  Expenses:ZY27:5101业务活动成本:H互助金  18600.00 CNY
  Assets:ZY27:1002银行存款:Z支出户
2027-06-30 * "上半年管理费用分摊"
  Expenses:ZY27:5201管理费用  6000.00 CNY
  Liabilities:ZY27:2209其他应付款:W往来ZH  -6000.00 CNY
  Assets:ZH:1122其他应收款:W往来ZY27  6000.00 CNY
  Assets:ZH:1002银行存款:J基本户  -6000.00 CNY
"""
        )
    checked = check_file(main)
    assert checked.findings == []
    assert checked.transactions == 4


def test_new_project_refuses_a_duplicate_code(tmp_path: Path) -> None:
    org = tmp_path / "org"
    scaffold(org)
    new_project(org, spec("ZY27"))
    before = snapshot(org)
    with pytest.raises(ScaffoldError) as refused:
        new_project(org, spec("ZY27", name="同代码的另一个项目"))
    assert "已存在" in refused.value.zh
    # The general fund's code: refused by the real CLI with the rule's article and its place.
    result = hz(
        "new-project", org, "ZH", "--name", "重复", "--start", "2028-01-01",
        "--end", "2028-12-31", "--filing", "示工资备〔2027〕1号", "--filed", "2027-11-01",
    )  # fmt: skip
    assert result.returncode == 2
    assert "第十七条" in result.stderr and "funds/ZH.beancount:3" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(org) == before


def test_new_project_refuses_a_code_declared_in_another_file(tmp_path: Path) -> None:
    org = tmp_path / "org"
    main = scaffold(org)
    (org / "legacy.beancount").write_text(
        '2025-01-01 custom "hz-project" "YW27" "旧项目"\n  start: 2025-01-01\n  end: 2025-12-31\n'
        '  filing: "旧备〔2024〕1号"\n  filed: 2024-12-01\n',
        encoding="utf-8",
    )
    main.write_text(main.read_text(encoding="utf-8") + 'include "legacy.beancount"\n', "utf-8")
    before = snapshot(org)
    with pytest.raises(ScaffoldError) as refused:
        new_project(org, spec("YW27"))
    assert "第十七条" in refused.value.zh and "legacy.beancount" in refused.value.zh
    assert snapshot(org) == before


@pytest.mark.parametrize(
    ("overrides", "zh", "en"),
    [
        ({"code": "zy-27"}, "项目代码", "project code"),
        ({"end": datetime.date(2026, 12, 31)}, "第十五条", "Article 15"),
        ({"name": "带\n换行"}, "换行", "newlines"),
    ],
)
def test_new_project_rejects_bad_input(
    tmp_path: Path, overrides: dict[str, Any], zh: str, en: str
) -> None:
    org = tmp_path / "org"
    scaffold(org)
    before = snapshot(org)
    with pytest.raises(ScaffoldError) as refused:
        new_project(org, spec(**overrides))
    assert zh in refused.value.zh and en in refused.value.en
    assert snapshot(org) == before


def test_new_project_refuses_a_term_the_rules_reject_and_follows_the_policy(tmp_path: Path) -> None:
    org = tmp_path / "org"
    main = scaffold(org)
    before = snapshot(org)
    four_years = {"start": datetime.date(2027, 1, 1), "end": datetime.date(2030, 12, 31)}
    result = hz(
        "new-project", org, "ZJ27", "--name", "重大疾病互助保障计划", "--start", "2027-01-01",
        "--end", "2030-12-31", "--filing", "示工资备〔2026〕30号", "--filed", "2026-11-20",
    )  # fmt: skip
    assert result.returncode == 2
    assert "HZ-A15" in result.stderr and "第十五条" in result.stderr
    assert "--allow-long-term" in result.stderr
    assert snapshot(org) == before
    assert not list(org.glob(".hzledger-trial-*")), "the trial files are cleaned up"

    # The rule reads the ledger's own policy: with a five-year ceiling the same term is fine.
    text = main.read_text(encoding="utf-8")
    main.write_text(
        text.replace(
            'include "funds/ZH.beancount"',
            '2026-01-01 custom "hz-policy" "term-max-years" 5\n\ninclude "funds/ZH.beancount"',
        ),
        encoding="utf-8",
    )
    made = new_project(org, spec("ZJ27", **four_years))
    assert made.path.is_file()
    assert check_file(main).findings == []


def test_allow_long_term_accepts_only_the_warning(tmp_path: Path) -> None:
    org = tmp_path / "org"
    main = scaffold(org)
    long_term = {"start": datetime.date(2027, 1, 1), "end": datetime.date(2030, 12, 31)}
    made = new_project(org, spec("ZJ27", **long_term), allow_long_term=True)
    findings = check_file(main).findings
    assert [(f.rule, f.severity.value) for f in findings] == [("HZ-A15", "warning")]
    assert findings[0].file is not None and Path(findings[0].file) == made.path


def test_new_project_without_a_general_fund_opens_no_interfund(tmp_path: Path) -> None:
    org = tmp_path / "org"
    main = org / "main.beancount"
    org.mkdir()
    main.write_text(
        'option "title" "无综合基金的会"\noption "operating_currency" "CNY"\n'
        'plugin "hzledger.plugins.compliance"\n'
        '2026-01-01 custom "hz-org" "无综合基金的会"\n  level: "city"\n',
        encoding="utf-8",
    )
    made = new_project(org, spec())
    assert made.general_fund is None
    checked = check_file(main)
    assert checked.findings == []
    assert not [a for a in checked.model.accounts.values() if a.kind == "interfund"]
    # With no project include yet, the line goes at the end of the file.
    assert main.read_text(encoding="utf-8").endswith('include "projects/ZY27.beancount"\n')


def test_include_goes_after_the_last_project_include() -> None:
    text = 'include "funds/ZH.beancount"\ninclude "projects/A.beancount"\n; 注释\nx\n'
    assert with_include(text, "projects/B.beancount") == (
        'include "funds/ZH.beancount"\ninclude "projects/A.beancount"\n'
        'include "projects/B.beancount"\n; 注释\nx\n'
    )
    assert with_include("no newline", "projects/B.beancount") == (
        'no newline\ninclude "projects/B.beancount"\n'
    )


def test_file_batch_is_all_or_nothing(tmp_path: Path) -> None:
    kept = tmp_path / "kept.beancount"
    kept.write_text("原文\n", encoding="utf-8")
    blocker = tmp_path / "sub"
    blocker.write_text("a file where a directory is needed\n", encoding="utf-8")
    batch = FileBatch()
    batch.create(tmp_path / "new" / "a.beancount", "新文件\n")
    batch.edit(kept, "原文\n", "改过\n")
    batch.create(blocker / "b.beancount", "放不下\n")
    with pytest.raises(OSError):
        batch.commit()
    assert kept.read_text(encoding="utf-8") == "原文\n", "the edit is undone"
    assert not (tmp_path / "new").exists(), "the created file and its directory are removed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.beancount", "sub"]


def test_file_batch_refuses_an_edit_of_a_file_changed_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "main.beancount"
    target.write_text("别人改过\n", encoding="utf-8")
    batch = FileBatch()
    batch.create(tmp_path / "projects" / "X.beancount", "新项目\n")
    batch.edit(target, "原文\n", "原文\ninclude\n")
    with pytest.raises(ScaffoldError) as refused:
        batch.commit()
    assert "被修改" in refused.value.zh
    assert target.read_text(encoding="utf-8") == "别人改过\n"
    assert not (tmp_path / "projects").exists()


def test_new_project_keeps_a_crlf_ledger_crlf(tmp_path: Path) -> None:
    org = tmp_path / "org"
    main = scaffold(org)
    main.write_bytes(main.read_bytes().replace(b"\n", b"\r\n"))
    new_project(org, spec())
    data = main.read_bytes()
    assert b'include "projects/ZY27.beancount"\r\n' in data
    assert data.count(b"\n") == data.count(b"\r\n"), "no bare LF was introduced"
    assert check_file(main).findings == []


def test_new_project_without_a_ledger_is_a_clear_error(tmp_path: Path) -> None:
    result = hz(
        "new-project", tmp_path, "ZY27", "--name", "项目", "--start", "2027-01-01",
        "--end", "2027-12-31", "--filing", "示工资备〔2026〕21号", "--filed", "2026-11-20",
        "--lang", "en",
    )  # fmt: skip
    assert result.returncode == 2
    assert "file not found" in result.stderr and "main.beancount" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_commented_examples_in_the_scaffold_are_valid_when_uncommented(tmp_path: Path) -> None:
    """The policy, decision, audit and budget examples are meant to be uncommented and edited."""
    main = scaffold(tmp_path)
    uncommented = 0
    for path in tmp_path.rglob("*.beancount"):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            example = re.match(r"^; (\d{4}-\d\d-\d\d .*)$", line) or re.match(
                r"^; ( {2}\w[\w-]*: .*)$", line
            )
            if example:
                uncommented += 1
            lines.append(example.group(1) if example else line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert uncommented >= 12
    checked = check_file(main)
    assert checked.findings == []
    assert set(checked.model.policy.timeline) == {
        "large-amount", "approval-amount", "term-max-years", "audit-deadline",
    }  # fmt: skip
    assert list(checked.model.decisions) == ["D2026-01"]
    assert sorted(a.kind for a in checked.model.audits) == ["external", "internal"]
    assert checked.model.budgets


def test_init_inside_an_existing_repository_says_where_hooks_belong(tmp_path: Path) -> None:
    assert run("git", "init", "-q", tmp_path).returncode == 0
    result = hz("init", "orgs/shiyan", "--title", TITLE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "位于已有 git 仓库" in result.stdout and "根目录" in result.stdout
    assert not (tmp_path / "orgs" / "shiyan" / ".git").exists(), "no nested repository"
    assert (tmp_path / "orgs" / "shiyan" / "main.beancount").is_file()
