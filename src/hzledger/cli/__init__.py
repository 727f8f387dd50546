"""The `hzledger` command line. Each sub-command lives in its own module and stays thin:
it parses arguments, calls the library, and prints.

Sub-command modules are imported only when needed: `hzledger check` in CI should
not pay for importing Fava's web application.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from hzledger import __version__
from hzledger.cli import click_zh

# Modules that add commands to `main` when imported, and where the common commands live.
COMMAND_MODULES = (
    "check",
    "demo",
    "serve",
    "users",
    "report",
    "scaffold",
    "baseline",
    "history",
    "export",
    "imports",
)
_HOME = {
    "check": "check",
    "serve": "serve",
    "user": "users",
    "report": "report",
    "history": "history",
    "export": "export",
    "import": "imports",
}


def _import(module: str) -> None:
    try:
        importlib.import_module(f"hzledger.cli.{module}")
    except ModuleNotFoundError as exc:  # a sub-command module not written yet
        if exc.name != f"hzledger.cli.{module}":
            raise


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is run."""

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

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Usage errors in the run's language, as one `hzledger: …` line like every other error.

        The language must be known before click parses anything (its own errors come first),
        and before the sub-command modules build their parameter types.
        """
        argv = list(sys.argv[1:] if args is None else args)
        click_zh.install(click_zh.wanted_lang(argv))
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        try:
            return super().main(argv, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            en = click_zh.current() == "en"
            click.echo(f"hzledger: {exc.format_message()}", err=True)
            if exc.ctx is not None:
                path = exc.ctx.command_path
                click.echo(
                    f"Try '{path} --help' for help." if en else f"运行 '{path} --help' 查看用法。",
                    err=True,
                )
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!" if click_zh.current() == "en" else "已中止。", err=True)
            sys.exit(1)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hzledger")
def main() -> None:
    """hzledger：职工互助保障组织基金核算与合规检查（《职工互助保障组织监督管理办法》）。"""
