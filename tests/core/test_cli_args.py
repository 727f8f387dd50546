"""Arguments read the same way by every command, and click's own usage errors in Chinese.

An organisation's folder stands for its main.beancount in `check`, `report`, `rollup` and
`baseline`, as in `serve`. Usage errors (`--year abc`, an unknown report kind, a folder where a
file is needed, a missing argument) are one `hzledger:` line in Chinese, English with `--lang en`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import click
import pytest

from hzledger.cli.click_zh import ZH, wanted_lang

from hztest import HZLEDGER

CJK = re.compile(r"[\u4e00-\u9fff]")


def _hz(
    *args: str | Path, cwd: Path, lang_env: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("HZLEDGER_LANG", None)
    if lang_env:
        env["HZLEDGER_LANG"] = lang_env
    return subprocess.run(
        [str(HZLEDGER), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env,
        timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def org(example_ledger: Path) -> Path:
    return example_ledger.parent


def test_check_report_rollup_and_baseline_take_an_organisation_folder(org: Path) -> None:
    cwd = org.parent
    by_dir = _hz("check", org.name, "--format", "json", cwd=cwd)
    by_file = _hz("check", f"{org.name}/main.beancount", "--format", "json", cwd=cwd)
    assert by_dir.returncode == 0, by_dir.stderr
    assert json.loads(by_dir.stdout) == json.loads(by_file.stdout)
    assert json.loads(by_dir.stdout)["ledgers"][0]["path"] == f"{org.name}/main.beancount"

    report_dir = _hz("report", "funds", org.name, "--format", "json", cwd=cwd)
    report_file = _hz("report", "funds", f"{org.name}/main.beancount", "--format", "json", cwd=cwd)
    assert report_dir.returncode == 0, report_dir.stderr
    assert report_dir.stdout == report_file.stdout

    rollup = _hz("rollup", org.name, "--format", "json", cwd=cwd)
    assert rollup.returncode == 0, rollup.stderr
    rows = json.loads(rollup.stdout)["rows"]
    assert [r["status"] for r in rows if r["row"] == "org"] == ["ok"]

    baseline = _hz("baseline", "b.json", org.name, cwd=cwd)
    assert baseline.returncode == 0, baseline.stderr
    assert json.loads((cwd / "b.json").read_text(encoding="utf-8"))["total"] == 0


def test_a_folder_without_main_beancount_names_the_organisations_below(org: Path) -> None:
    for args in (["check", "."], ["report", "funds", "."], ["rollup", "."]):
        result = _hz(*args, cwd=org.parent)
        assert result.returncode == 2, (args, result.stderr)
        assert "是目录，其中没有 main.beancount" in result.stderr
        assert f"{org.name}/main.beancount" in result.stderr
        assert "Traceback" not in result.stderr


USAGE_ERRORS = [
    (["report", "funds", "{org}", "--year", "abc"], "'--year' 的值无效：'abc' 不是有效的数值",
     "Invalid value for '--year': 'abc' is not a valid integer"),
    (["report", "nope", "{org}"], "'KIND' 的值无效：'nope' 不是可选值之一",
     "'nope' is not one of 'funds'"),
    (["report", "funds", "{org}", "-o", "{org}"], "是目录，这里需要文件", "is a directory"),
    (["report", "funds"], "缺少参数 'LEDGER'", "Missing argument 'LEDGER'"),
    (["rollup"], "缺少参数", "Missing argument"),
    (["rollup", "{org}", "--year", "20x4"], "'--year' 的值无效", "Invalid value for '--year'"),
    (["check", "{org}", "--format", "xml"], "'--format' 的值无效：'xml' 不是可选值之一",
     "'xml' is not one of"),
    (["check", "{org}", "--bogus"], "没有这个选项", "No such option"),
    (["chek", "{org}"], "没有这个命令 'chek'。 是否要用 'check'？", "No such command 'chek'"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "zh", "en"), USAGE_ERRORS)
def test_usage_errors_in_chinese_and_english(org: Path, args: list[str], zh: str, en: str) -> None:
    argv = [a.format(org=org) for a in args]
    chinese = _hz(*argv, cwd=org.parent)
    assert chinese.returncode == 2
    assert chinese.stderr.startswith("hzledger: "), chinese.stderr
    assert zh in chinese.stderr, chinese.stderr
    assert "查看用法" in chinese.stderr and "Traceback" not in chinese.stderr
    assert len(chinese.stderr.splitlines()) == 2, "one error line and one help hint"
    for english in (_hz(*argv, "--lang", "en", cwd=org.parent),
                    _hz(*argv, cwd=org.parent, lang_env="en")):  # fmt: skip
        assert english.returncode == 2
        assert en in english.stderr, english.stderr
        assert not CJK.search(english.stderr.replace(str(org), "")), english.stderr


def test_help_and_version_still_work(org: Path) -> None:
    helped = _hz("report", "--help", cwd=org.parent)
    assert helped.returncode == 0 and "用法: hzledger report" in helped.stdout
    assert "[必需]" in _hz("init", "--help", cwd=org.parent).stdout
    assert _hz("--version", cwd=org.parent).stdout.strip().startswith("hzledger, version")


def test_every_translated_template_is_one_click_uses() -> None:
    """A click upgrade that rewords a message shows up here, not as English in front of users."""
    source = "\n".join(
        Path(click.__file__).with_name(name).read_text(encoding="utf-8")
        for name in (
            "core.py",
            "decorators.py",
            "exceptions.py",
            "formatting.py",
            "parser.py",
            "types.py",
        )
    )
    missing = [key for key in ZH if f'"{key}"' not in source]
    assert not missing, missing


@pytest.mark.parametrize(
    ("argv", "lang"),
    [([], "zh"), (["--lang", "en"], "en"), (["x", "--lang=en"], "en"), (["--lang", "zh"], "zh")],
)
def test_language_is_known_before_parsing(argv: list[str], lang: str) -> None:
    os.environ.pop("HZLEDGER_LANG", None)
    assert wanted_lang(argv) == lang


def test_precommit_takes_an_organisation_folder(org: Path) -> None:
    repo = org.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    for args in (["init", "-q"], ["add", "."]):
        assert (
            subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True).returncode == 0
        )
    result = _hz("precommit", org.name, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{org.name}/main.beancount" in result.stdout
