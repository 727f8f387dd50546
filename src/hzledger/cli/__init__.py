"""The `hzledger` command line. Each sub-command lives in its own module and stays thin:
it parses arguments, calls the library, and prints."""

from __future__ import annotations

import click

from hzledger import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hzledger")
def main() -> None:
    """hzledger：职工互助保障组织基金核算与合规检查（《职工互助保障组织监督管理办法》）。"""


def _register() -> None:
    # Imported for their side effect of adding commands to `main`.
    import importlib

    for name in ("check", "demo", "serve", "users", "report", "scaffold", "baseline"):
        try:
            importlib.import_module(f"hzledger.cli.{name}")
        except ModuleNotFoundError as exc:  # a sub-command module not written yet
            if exc.name != f"hzledger.cli.{name}":
                raise


_register()
