"""`hzledger demo generate` as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from demo_support import tree

Cli = Callable[..., CompletedProcess[str]]


def test_generate_writes_a_checkable_organisation_and_says_so_in_chinese(
    tmp_path: Path, cli: Cli
) -> None:
    out = tmp_path / "org"
    run = cli("demo", "generate", out, "--transactions", "1k", "--projects", "4", "--seed", "8")
    assert run.returncode == 0, run.stderr
    assert "已生成 示例市职工互助保障会" in run.stdout
    assert "交易 1,000 笔" in run.stdout
    check = cli("check", out / "main.beancount", "--format", "json")
    assert check.returncode == 0, check.stdout + check.stderr
    report = json.loads(check.stdout)
    assert report["ledgers"][0]["transactions"] == 1000
    assert report["findings"] == []
    assert [p.name for p in tmp_path.iterdir()] == ["org"], "no temporary directory left behind"


def test_violations_flag_reports_the_rules_that_check_then_finds(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "bad"
    run = cli("demo", "generate", out, "-n", "1500", "--violations", "--lang", "en")
    assert run.returncode == 0, run.stderr
    promised = run.stdout.split("rules ", 1)[1].split(" (see", 1)[0].split(", ")
    check = cli("check", out / "main.beancount", "--format", "json")
    assert check.returncode == 1
    found = {f["rule"] for f in json.loads(check.stdout)["findings"]}
    assert found == set(promised)


def test_refuses_a_non_empty_directory_unless_forced(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "org"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    run = cli("demo", "generate", out, "-n", "800")
    assert run.returncode == 2
    assert "已存在且不为空" in run.stderr and "--force" in run.stderr
    assert "Traceback" not in run.stderr
    assert tree(out) == {"notes.txt": b"keep me"}
    forced = cli("demo", "generate", out, "-n", "800", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "notes.txt" not in tree(out) and "main.beancount" in tree(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org"]


@pytest.mark.parametrize(
    ("args", "lang", "expected"),
    [
        (["-n", "abc"], "zh", "不是整数"),
        (["-n", "20"], "zh", "至少需要"),
        (["-n", "20"], "en", "need at least"),
        (["-n", "5000", "--projects", "0"], "en", "out of range"),
        (["-n", "5000", "--years", "11"], "zh", "不在 1–10 之间"),
        ([], "zh", "缺少选项"),
        ([], "en", "Missing option"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    tmp_path: Path, cli: Cli, args: list[str], lang: str, expected: str
) -> None:
    run = cli("demo", "generate", tmp_path / "x", *args, "--lang", lang)
    assert run.returncode == 2
    assert expected in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "x").exists()


def test_out_dir_that_is_a_file_is_refused(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    run = cli("demo", "generate", target, "-n", "800")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert target.read_text(encoding="utf-8") == "x"


def test_output_does_not_depend_on_the_interpreter_hash_seed(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "hzledger"
    for hash_seed in ("1", "2"):
        subprocess.run(
            [str(exe), "demo", "generate", str(tmp_path / hash_seed), "-n", "700", "--violations"],
            check=True,
            capture_output=True,
            cwd=tmp_path,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
    first, second = tree(tmp_path / "1"), tree(tmp_path / "2")
    first["README.md"] = first["README.md"].replace(b"1/main", b"X/main")
    second["README.md"] = second["README.md"].replace(b"2/main", b"X/main")
    assert first == second
