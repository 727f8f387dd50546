"""The `hzledger` command line. Each sub-command lives in its own module and stays thin:
it parses arguments, calls the library, and prints.

Sub-command modules are imported only when needed: `hzledger check` in CI should
not pay for importing Fava's web application.
"""

from __future__ import annotations

import importlib

import click

from hzledger import __version__

# Modules that add commands to `main` when imported, and where the common commands live.
COMMAND_MODULES = (
    "check",
    "demo",
    "serve",
    "users",
    "report",
    "scaffold",
    "baseline",
    "export",
    "imports",
)
_HOME = {"check": "check", "serve": "serve", "user": "users", "report": "report"}


def _import(module: str) -> None:
    try:
        importlib.import_module(f"hzledger.cli.{module}")
    except ModuleNotFoundError as exc:  # a sub-command module not written yet
        if exc.name != f"hzledger.cli.{module}":
            raise


class LazyGroup(click.Group):
    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            home = _HOME.get(cmd_name)
            for module in ((home,) if home else ()) + COMMAND_MODULES:
                _import(module)
                if cmd_name in self.commands:
                    break
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in COMMAND_MODULES:
            _import(module)
        return super().list_commands(ctx)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hzledger")
def main() -> None:
    """hzledger：职工互助保障组织基金核算与合规检查（《职工互助保障组织监督管理办法》）。"""
