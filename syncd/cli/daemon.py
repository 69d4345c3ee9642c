"""`syncd run` (the resident service, see syncd.daemon) and `syncd status` (its health)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from syncd.app import views
from syncd.cli.common import app_of, out
from syncd.errors import UsageError


def run_cmd(ctx: typer.Context) -> None:
    """Run as a service: pull on a schedule, classify, post the weekly digest (systemd-aware)."""
    from syncd.daemon import Daemon

    raise typer.Exit(Daemon(app_of(ctx).config_path).run())


def status(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Health for people and monitoring: exit 0 healthy, 1 degraded, 2 broken."""
    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {fmt!r}.")
    report = views.status(app_of(ctx))
    if fmt == "json":
        sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
    else:
        for line in report["lines"]:
            out.print(line, soft_wrap=True, highlight=False)
    raise typer.Exit(report["exit_code"])


def register(app: typer.Typer) -> None:
    app.command("run")(run_cmd)
    app.command()(status)
