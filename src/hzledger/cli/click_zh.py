"""Click's own usage errors in Chinese (`--year abc`, an unknown report kind, a missing argument).

Click looks every user-facing message up through `gettext.gettext` / `ngettext`, imported into
each of its modules. Installing a catalog the standard way would need compiled `.mo` files and
the process-wide default text domain; instead the few modules that print usage errors get this
dictionary's lookup. Keys are click's exact English templates (tests/core/test_cli_args.py checks
that each still exists in the installed click), values keep their `{placeholders}`.
With `--lang en` (or `HZLEDGER_LANG=en`) nothing is replaced.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

ZH: dict[str, str] = {
    "Error: {message}": "错误：{message}",
    "Usage:": "用法:",  # click adds a space and the ASCII colon of "选项:" follows it
    "Options": "选项",
    "Commands": "命令",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Invalid value: {message}": "参数值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少子命令。",
    "No such option {name!r}.": "没有这个选项 {name!r}。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要用其中之一：{possibilities}？）",
    "No such command {name!r}.": "没有这个命令 {name!r}。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数值（{number_type}）。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值之一：{choices}。",
    "{value!r} is not {choice}.": "{value!r} 不是可选值：{choice}。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} 不是有效的布尔值，可用：{states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录，这里需要文件。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，这里需要目录。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Show the version and exit.": "显示版本并退出。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Aborted!": "已中止。",
    "required": "必需",
    "default: {default}": "默认：{default}",
}
_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
)


def _gettext(message: str) -> str:
    return ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return ZH.get(chosen, chosen)


def wanted_lang(argv: Sequence[str]) -> str:
    """The language asked for, before click has parsed anything (its own errors need it)."""
    lang = os.environ.get("HZLEDGER_LANG", "zh")
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            lang = argv[index + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return "en" if lang == "en" else "zh"


_LANG = ["zh"]


def current() -> str:
    """The language installed for this run (parameter types word their own errors by it)."""
    return _LANG[0]


_ORIGINAL = {
    module: (module.__dict__.get("_"), module.__dict__.get("ngettext")) for module in _MODULES
}


def install(lang: str) -> None:
    """Chinese click messages for `zh`; click's own English for `en`."""
    _LANG[0] = lang
    for module, (gettext, ngettext) in _ORIGINAL.items():
        if gettext is not None:
            module._ = _gettext if lang == "zh" else gettext  # type: ignore[attr-defined]
        if ngettext is not None:
            module.ngettext = _ngettext if lang == "zh" else ngettext  # type: ignore[attr-defined]
