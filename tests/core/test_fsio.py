"""The one atomic write and the one bilingual error base."""

from __future__ import annotations

from pathlib import Path

import pytest

from hzledger.fsio import write_text_atomic
from hzledger.messages import BilingualError, Msg


def test_atomic_write_replaces_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "基线.json"
    target.write_text("旧内容\n", encoding="utf-8")
    write_text_atomic(target, "新内容\n")
    assert target.read_text(encoding="utf-8") == "新内容\n"
    assert [p.name for p in tmp_path.iterdir()] == ["基线.json"]


def test_failed_atomic_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "\udcff")  # a lone surrogate cannot be encoded
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_bilingual_error_says_chinese_first() -> None:
    error = BilingualError("文件不存在", "file not found")
    assert str(error) == "文件不存在"
    assert error.msg == Msg("文件不存在", "file not found")
    assert (error.zh, error.en) == ("文件不存在", "file not found")
    assert error.msg.text("en") == "file not found"
