"""`validation_message` and `os_error_message`: pydantic and OS errors said in Chinese first."""

from __future__ import annotations

import errno
import socket
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hzledger.messages import os_error_message, validation_message


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["city", "province"]
    count: int


class Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    items: list[Inner]


def _errors(raw: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Outer.model_validate(raw)
    return caught.value


def test_each_error_type_is_named_and_said_in_chinese() -> None:
    exc = _errors({"name": 5, "items": [{"kind": "town", "count": "x", "colour": 1}]})
    msg = validation_message(exc, limit=10)
    assert "name：应为文本" in msg.zh
    assert "items[0].kind：只能是 'city' 或 'province'" in msg.zh
    assert "items[0].count：应为整数" in msg.zh
    assert "items[0].colour：不认识的键" in msg.zh
    assert "Input should" not in msg.zh and "errors.pydantic.dev" not in msg.zh
    assert "items[0].count: should be an integer" in msg.en
    assert "\n" not in msg.zh and "\n" not in msg.en


def test_missing_empty_and_the_first_few_only() -> None:
    assert validation_message(_errors({"name": ""})).zh == "name：不能为空；items：缺少必填项"
    many = _errors({"name": "", "items": [{}, {}, {}]})
    msg = validation_message(many, limit=3)
    assert msg.zh.endswith("（另有 4 处）") and msg.en.endswith("(and 4 more)")
    assert msg.zh.count("；") == 2


def test_os_errors_keep_the_english_beside_a_chinese_description() -> None:
    gone = os_error_message(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    assert (gone.zh, gone.en) == ("没有该文件或目录", "No such file or directory")
    busy = os_error_message(OSError(errno.EADDRINUSE, "Address already in use"))
    assert busy.zh == "端口已被占用" and busy.en == "Address already in use"
    assert os_error_message(socket.gaierror(-2, "Name or service not known")).zh.startswith(
        "无法解析"
    )
    assert "主机地址" in os_error_message(ValueError("Invalid host/port specified.")).zh
    other = os_error_message(OSError(errno.EIO, "Input/output error"))
    assert "Input/output error" in other.zh
