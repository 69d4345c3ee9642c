"""The `syncd` command line: one small module per command group, each a thin shell over the
application layer (`syncd.app`): parse the options, call the app, print.

User errors (`SyncdError`) are shown as one message without a traceback, through `main()`,
which maps them to exit codes; `python -m syncd` goes through the same `main()`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from syncd import __version__
from syncd.app import App
from syncd.cli import activities, auth, classify, daemon, db, digest, importing, plan, pull
from syncd.cli.common import err, out
from syncd.errors import ConfigError, SyncdError, UsageError
from syncd.logs import configure_logging, redact

__all__ = ["app", "main"]

app = typer.Typer(
    name="syncd",
    help="Pull runs from Strava and activity files into a local store you own.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# In this order in `syncd --help`: the commands, then the groups.
for module in (pull, importing, classify, activities, plan, digest, daemon):
    module.register(app)
app.add_typer(auth.group, name="auth")
app.add_typer(db.group, name="db")
app.add_typer(plan.group, name="plan")


def _version(value: bool) -> None:
    if value:
        out.print(f"syncd {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Config file (default: $SYNCD_CONFIG, "
        "$XDG_CONFIG_HOME/syncd/config.toml, /etc/syncd/config.toml).",
        dir_okay=False)] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug events.")] = False,
    log_format: Annotated[str, typer.Option(
        help="Log format: auto (JSON unless a terminal), json or console.")] = "auto",
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """Pull runs from Strava and activity files into a local store you own."""
    c = App(config)
    ctx.obj = c
    if log_format not in ("auto", "json", "console"):
        raise UsageError(f"--log-format must be auto, json or console, not {log_format!r}.")
    level = "debug" if verbose else None
    fmt = log_format
    try:
        level = level or c.config.logging.level
        fmt = fmt if fmt != "auto" else c.config.logging.format
    except ConfigError:
        level = level or "info"  # the command reports the config error itself
    configure_logging(level=level, json=None if fmt == "auto" else fmt == "json")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and map errors to messages and exit codes by their kind
    (`syncd.errors.KINDS`: 1 transient/crash, 2 bad input, 3 auth/subscription, 4 rate limit,
    5 writer lock busy; 130 interrupted)."""
    try:
        rv = app(args=argv, prog_name="syncd", standalone_mode=False)
    except SyncdError as exc:
        err.print(f"[bold red]error:[/] {redact(str(exc))}", soft_wrap=True, highlight=False)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:  # usage errors: typer's own message, exit 2
        show = getattr(exc, "show", None)
        if show:
            show()
        else:
            err.print(f"error: {exc.format_message()}")
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)
