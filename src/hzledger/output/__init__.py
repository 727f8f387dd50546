"""Renderers of `hzledger check` results: one module per `--format`.

Each module has `render(results: list[CheckResult], *, lang: str) -> str`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from hzledger.result import CheckResult

__all__ = ["FORMATS", "CheckResult", "Renderer", "renderer"]

FORMATS = ("text", "json", "github", "sarif")


Renderer = Callable[..., str]


def renderer(name: str) -> Renderer:
    """The `render` function of `hzledger.output.<name>_format` (or `.<name>`)."""
    try:
        module = importlib.import_module(f"hzledger.output.{name}_format")
    except ModuleNotFoundError:
        module = importlib.import_module(f"hzledger.output.{name}")
    return module.render  # type: ignore[no-any-return]
