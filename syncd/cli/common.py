"""What the command modules share: the consoles, the app of the current command, the options
every command spells the same, and the helpers that parse and print for more than one."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import structlog
import typer
from rich.console import Console

from syncd.app import App
from syncd.errors import RateLimitStop, UsageError

# Piped output keeps whole lines (Rich would wrap at 80 columns).
out = Console() if sys.stdout.isatty() else Console(width=160)
err = Console(stderr=True)
log = structlog.get_logger("syncd.cli")

AthleteOption = Annotated[str | None, typer.Option(
    help="Store id, Strava id or name, when several athletes are stored.")]
ActivityId = Annotated[str, typer.Argument(help="The id `syncd activities` prints.")]


def command_group(help_text: str) -> typer.Typer:
    """A group of commands (`syncd db ...`): its help, and its help again when run bare."""
    return typer.Typer(help=help_text, no_args_is_help=True)


def app_of(ctx: typer.Context) -> App:
    """The command's application context (made by the root callback, opened lazily)."""
    return ctx.obj


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} expects a date as YYYY-MM-DD, not {text!r}.") from None


def print_classified(report: Any) -> None:
    """New and changed activities are classified as part of the pull or import: say so."""
    if report is not None:
        out.print(report.summary_line(), soft_wrap=True)


def waiter(no_wait: bool, source: str = "",
           remaining: Callable[[], int] = lambda: 0) -> Callable[[float, str], None]:
    """What a source does when its rate budget is spent: with `no_wait` stop (exit code 4),
    else wait for the next window, with a countdown on a terminal."""

    def wait(seconds: float, reason: str) -> None:
        if no_wait:
            raise RateLimitStop(
                f"{source.capitalize()}'s {reason}; stopped as asked (--no-wait). "
                f"{remaining()} activities still wait for streams.",
                hint="The next pull resumes where this one stopped.",
            )
        log.info("ratelimit.wait", seconds=round(seconds), reason=reason)
        deadline = time.monotonic() + seconds
        if err.is_terminal:
            with err.status("") as status:
                while (left := deadline - time.monotonic()) > 0:
                    status.update(f"{reason}: resuming in {int(left) // 60}:{int(left) % 60:02d}")
                    time.sleep(min(1.0, left))
        else:
            time.sleep(seconds)

    return wait
