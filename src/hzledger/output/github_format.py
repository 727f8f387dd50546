"""`--format github`: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from hzledger.paths import display_path
from hzledger.result import CheckResult


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(results: list[CheckResult], *, lang: str = "zh") -> str:
    lines: list[str] = []
    for result in results:
        for f in result.findings:
            props = []
            path = display_path(f.file)
            if path and not path.startswith("<"):
                props.append(f"file={_escape_property(path)}")
                if f.line:
                    props.append(f"line={f.line}")
            title = f"{f.rule}" + (f" 第{f.article}条" if f.article and lang != "en" else "")
            props.append(f"title={_escape_property(title)}")
            command = "error" if f.severity.value == "error" else "warning"
            lines.append(f"::{command} {','.join(props)}::{_escape_data(f.text(lang))}")
    return "\n".join(lines)
