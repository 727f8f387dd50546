"""`hzledger report submission` and `hzledger rollup`: submissions up the union hierarchy (art. 35)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from figure_ledgers import benefit, dues, head, project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from report_ledgers import copy_example, write

from hzledger.reports.common import Period
from hzledger.reports.context import ReportContext
from hzledger.reports.rollup import RollupError, rollup, row_label
from hzledger.reports.source import load_ledger
from hzledger.reports.submission import Submission, submission_report

D = Decimal
PROVINCE = "乙省职工互助保障会"


def org(title: str, level: str, parent: str | None, dues_amount: int, paid: int) -> str:
    return (
        head(title, level, parent)
        + project("P", "2024-01-01", "2025-12-31")
        + dues("P", "2024-01-05", f"{dues_amount}.00", dues_amount // 50)
        + benefit("P", "2024-06-01", f"{paid}.00", max(1, paid // 1000))
    )


def hierarchy(tmp_path: Path) -> dict[str, Path]:
    return {
        "province": write(tmp_path / "sheng", org(PROVINCE, "province", "乙省总工会", 30000, 9000)),
        "a": write(tmp_path / "a", org("甲市职工互助保障会", "city", PROVINCE, 20000, 24000)),
        "b": write(tmp_path / "b", org("丙市职工互助保障会", "city", PROVINCE, 10000, 4000)),
    }


def submit(path: Path, year: int, out: Path) -> Path:
    sub = submission_report(ReportContext(load_ledger(path), Period.year(year)))
    out.write_text(sub.model_dump_json(indent=2), encoding="utf-8")
    return out


def test_submission_is_json_without_format_and_refuses_other_formats(
    small: Path, tmp_path: Path, cli
) -> None:
    out = tmp_path / "sub.json"
    result = cli("report", "submission", small, "--year", "2024", "-o", out)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["kind"] == "submission"
    refused = cli("report", "submission", small, "--year", "2024", "--format", "text")
    assert refused.returncode == 2 and "只能是 JSON" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
    english = cli("report", "submission", small, "--format", "xlsx", "-o", tmp_path / "s.xlsx",
                  "--lang", "en")  # fmt: skip
    assert english.returncode == 2 and "always JSON" in english.stderr


def test_submission_json(small: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "small.json"
    result = cli("report", "submission", small, "--year", "2024", "--format", "json", "-o", out)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["kind"] == "submission" and data["hzledger"]
    assert (data["organisation"], data["level"], data["parent"]) == (
        "测试市职工互助保障会",
        "city",
        "测试省总工会",
    )
    assert len(data["digest"]) == 64
    assert data["check"]["errors"] == 0 and data["check"]["transactions"] == 17
    assert data["statistics"]["members"] == 1400
    assert data["solvency"]["projects_below"] == 1 and data["solvency"]["worst_ratio"] == "0.9916"
    by_project = {p["code"]: p for p in data["solvency"]["by_project"]}
    assert set(by_project["Q"]) >= {
        "unearned_reserve",
        "claims_booked",
        "claims_estimated",
        "obligations",
        "ratio",
        "below",
    }
    assert "ratio" not in data["solvency"]  # never a pooled ratio


def test_digest_changes_with_any_included_file(small: Path, tmp_path: Path) -> None:
    first = submission_report(ReportContext(load_ledger(small), Period.year(2024))).digest
    again = submission_report(ReportContext(load_ledger(small), Period.year(2024))).digest
    assert first == again
    small.write_text(small.read_text(encoding="utf-8") + "\n; 注释\n", encoding="utf-8")
    assert submission_report(ReportContext(load_ledger(small), Period.year(2024))).digest != first


def test_rows_nest_by_parent(tmp_path: Path) -> None:
    paths = hierarchy(tmp_path)
    result = rollup([str(paths["a"]), str(paths["province"]), str(paths["b"])], 2024, jobs=1)
    shape = [(r.row, r.depth, r.organisation, r.organisations) for r in result.rows]
    assert shape == [
        ("org", 0, PROVINCE, 1),
        ("org", 1, "甲市职工互助保障会", 1),
        ("org", 1, "丙市职工互助保障会", 1),
        ("subtotal", 0, PROVINCE, 3),
        ("total", 0, None, 3),
    ]
    # The labels are for people: text, Excel and HTML show them, the JSON keeps the data.
    assert [row_label(r) for r in result.rows[-2:]] == [f"小计：{PROVINCE}（含下级 2 个）", "合计"]
    total = result.rows[-1]
    # Two-year term cover: 366 of 731 days earned in 2024 (10,013.68 + 15,020.52 + 5,006.84).
    assert total.dues == D("30041.04") and total.benefits == D("37000.00")
    assert total.payout_ratio == D("1.2316")  # 37,000 / 30,041.04, not an average
    # 甲市 paid 24,000 of 20,000 dues: its project is below 100%, and the total says so.
    assert total.projects_below == 1 and total.worst_project == "甲市职工互助保障会/P"
    # The roll-up is itself a submission one level up: the province's.
    assert (result.organisation, result.level, result.parent) == (
        f"{PROVINCE}（汇总）",
        "province",
        "乙省总工会",
    )


def test_rollup_json_rolls_up_again_without_ledgers(tmp_path: Path, cli) -> None:
    paths = hierarchy(tmp_path)
    sheng = tmp_path / "sheng.json"
    result = cli("rollup", *paths.values(), "--year", "2024", "--format", "json", "-o", sheng)
    assert result.returncode == 0, result.stderr
    other = write(
        tmp_path / "other", org("丁省职工互助保障会", "province", "全国总工会", 5000, 100)
    )
    other_json = submit(other, 2024, tmp_path / "other.json")
    national = cli("rollup", sheng, other_json, "--year", "2024", "--format", "json")
    assert national.returncode == 0, national.stderr
    data = Submission.model_validate_json(national.stdout)
    assert [r.organisation for r in data.rows if r.row == "org"] == [
        f"{PROVINCE}（汇总）",
        "丁省职工互助保障会",
    ]
    assert data.statistics.dues == D("30041.04") + D("2503.42")  # 丁省: 5,000 × 366/731
    assert data.level == "national"


def test_duplicates_and_missing_inputs_exit_2(small: Path, tmp_path: Path, cli) -> None:
    twice = cli("rollup", small, small.parent / ".." / small.parent.name / small.name)
    assert twice.returncode == 2 and "重复" in twice.stderr
    copy = tmp_path / "copy"
    shutil.copytree(small.parent, copy)
    same = cli("rollup", small, copy / "main.beancount", "--year", "2024", "-j", "1")
    assert same.returncode == 2
    assert "同一组织重复输入" in same.stderr and str(copy.name) in same.stderr
    missing = cli("rollup", small, tmp_path / "nowhere" / "main.beancount")
    assert missing.returncode == 2 and "找不到账本文件" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    refused = cli("rollup", small, bad)
    assert refused.returncode == 2
    # The first few problems, each named and said in Chinese (not "11 validation errors").
    assert "处不符" in refused.stderr and "hzledger：缺少必填项" in refused.stderr, refused.stderr
    assert "validation error" not in refused.stderr and "另有" in refused.stderr


def test_submission_that_no_longer_matches_its_ledger(small: Path, tmp_path: Path, cli) -> None:
    old = submit(small, 2024, tmp_path / "old.json")
    small.write_text(small.read_text(encoding="utf-8") + "\n; 改动\n", encoding="utf-8")
    result = cli("rollup", old, small, "--year", "2024", "-j", "1")
    assert result.returncode == 2 and "摘要" in result.stderr and "不一致" in result.stderr


def test_year_outside_the_ledger_warns(small: Path, cli) -> None:
    result = cli("rollup", small, "--year", "2031")
    assert result.returncode == 0
    assert "不在账本的记账范围" in result.stderr
    report = cli("report", "funds", small, "--year", "2031")
    assert "不在账本的记账范围" in report.stderr


def test_ledger_with_errors_is_included_and_marked(small: Path, broken: Path, cli) -> None:
    result = cli("rollup", small, broken, "--year", "2024", "--format", "json", "-j", "1")
    assert result.returncode == 0, result.stderr
    rows = {r["organisation"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["错误县职工互助保障会"]["status"] == "errors"
    assert rows[None]["row"] == "total" and rows[None]["errors"] == 1
    assert "已列入汇总并标注" in result.stderr


def test_rollup_in_parallel_processes_matches_serial(small: Path, tmp_path: Path) -> None:
    example = copy_example(tmp_path)
    parallel = rollup([str(small), str(example)], 2025, jobs=2)
    serial = rollup([str(small), str(example)], 2025, jobs=1)
    assert parallel.model_dump() == serial.model_dump()


def test_rollup_xlsx(tmp_path: Path, cli) -> None:
    paths = hierarchy(tmp_path)
    out = tmp_path / "汇总.xlsx"
    result = cli("rollup", *paths.values(), "--year", "2024", "--format", "xlsx", "-o", out)
    assert result.returncode == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames[:4] == ["组织", "统计汇总", "收支汇总", "偿付能力汇总"]
    ws = book["统计汇总"]
    assert ws.freeze_panes == "A2"
    names = [r[0].value for r in ws.iter_rows(min_row=2, max_row=6)]
    assert names[0] == PROVINCE and names[1].strip() == "甲市职工互助保障会"
    assert names[-1] == "合计"
    # Organisation and period on every sheet, not only 说明.
    for sheet in book.sheetnames:
        texts = [str(r[0].value) for r in book[sheet].iter_rows() if r[0].value]
        assert any("期间：2024年度" in t for t in texts), sheet


def test_rollup_errors_are_report_errors() -> None:
    with pytest.raises(RollupError):
        rollup(["/nonexistent/sub.json"], 2024)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    orgs=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=400).map(lambda n: n * 100),
            st.integers(min_value=0, max_value=500).map(lambda n: n * 37),
            st.integers(min_value=-1, max_value=3),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_rollup_of_submissions_equals_rollup_of_ledgers(
    tmp_path_factory: pytest.TempPathFactory, orgs: list[tuple[int, int, int]]
) -> None:
    base = tmp_path_factory.mktemp("prop")
    ledgers: list[str] = []
    names = [f"第{i}市职工互助保障会" for i in range(len(orgs))]
    for i, (dues_amount, paid, parent) in enumerate(orgs):
        # A parent among the earlier organisations, or none.
        up = names[parent] if 0 <= parent < i else None
        ledgers.append(
            str(write(base / f"o{i}", org(names[i], "city", up, dues_amount, max(paid, 1))))
        )
    subs = [str(submit(Path(p), 2024, base / f"o{i}.json")) for i, p in enumerate(ledgers)]
    from_ledgers = rollup(ledgers, 2024, jobs=1)
    from_subs = rollup(subs, 2024, jobs=1)
    assert [r.model_dump() for r in from_subs.rows] == [r.model_dump() for r in from_ledgers.rows]
    assert from_subs.statistics == from_ledgers.statistics
    assert from_subs.funds == from_ledgers.funds
    assert from_subs.solvency == from_ledgers.solvency
    total = from_ledgers.rows[-1]
    orgs_rows = [r for r in from_ledgers.rows if r.row == "org"]
    assert total.dues == sum((r.dues for r in orgs_rows), D(0))
    assert total.members == sum(r.members for r in orgs_rows)
