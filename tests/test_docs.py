"""The README documents every command and every config key (as sqlite-utils tests its docs).

A command or a config key added without a line in README.md fails here, with the list of what
is missing, so the self-hoster's one page of documentation cannot fall behind the code.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import typer.core
import typer.main
from pydantic import BaseModel

from syncd.cli import app
from syncd.config import Config

README = Path(__file__).resolve().parents[1] / "README.md"


def command_paths(group: typer.core.TyperGroup, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every runnable command as the user types it ("syncd plan import"), hidden ones left out.

    Groups themselves are not listed: they only exist to hold their commands. Groups are told
    apart by their `commands` (typer vendors its own click, so isinstance(click.Group) fails).
    """
    paths: list[str] = []
    for name, cmd in sorted(group.commands.items()):
        if cmd.hidden:
            continue
        if hasattr(cmd, "commands"):
            paths += command_paths(cmd, (*prefix, name))
        else:
            paths.append(" ".join(("syncd", *prefix, name)))
    return paths


def _section_model(annotation: object) -> type[BaseModel] | None:
    """The model behind a field that is a config section (`X` or `X | None`), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _section_model(arg)
            if found is not None:
                return found
    return None


def config_keys(model: type[BaseModel] = Config, prefix: str = "") -> list[str]:
    """Every TOML key, written as the README's table writes it: `strava.client_id`.

    A top-level table of free-form keys (`classify`, overrides by threshold name) has no fixed
    keys to list, so it is documented as the table itself: `[classify]`.
    """
    keys: list[str] = []
    for name, info in model.model_fields.items():
        if info.exclude:  # not a TOML key (e.g. Config.source, where the config came from)
            continue
        key = info.alias or name
        section = _section_model(info.annotation)
        if section is not None:
            keys += config_keys(section, f"{prefix}{key}.")
        elif not prefix and typing.get_origin(info.annotation) is dict:
            keys.append(f"[{key}]")
        else:
            keys.append(f"{prefix}{key}")
    return keys


def readme_config_table(text: str) -> set[str]:
    """The keys named in the first column of the table under '## Configuration'."""
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert rows, "README.md's Configuration section has no table"
    documented: set[str] = set()
    for row in rows[2:]:  # after the header and the |---| line
        first_cell = row.split("|")[1]
        documented.update(re.findall(r"`([^`]+)`", first_cell))
    return documented


def _mentioned(command: str, text: str) -> bool:
    words = r"\s+".join(re.escape(w) for w in command.split())
    return re.search(rf"(?<![\w-]){words}(?![\w-])", text) is not None


def test_the_walks_find_what_they_should():
    """Guards the walks themselves: an empty list would make the tests below pass vacuously."""
    commands = command_paths(typer.main.get_command(app))
    assert {"syncd pull", "syncd plan import", "syncd db upgrade", "syncd auth strava"} <= set(
        commands
    )
    assert "syncd db" not in commands
    keys = config_keys()
    assert {"database.url", "strava.client_id", "import.watch", "schedule.digest",
            "[classify]"} <= set(keys)
    assert not any(k.startswith(("imports.", "source")) for k in keys)


def test_readme_documents_every_command():
    text = README.read_text(encoding="utf-8")
    missing = [c for c in command_paths(typer.main.get_command(app)) if not _mentioned(c, text)]
    assert not missing, "README.md does not mention these commands: " + ", ".join(missing)


def test_readme_documents_every_config_key():
    documented = readme_config_table(README.read_text(encoding="utf-8"))
    missing = [k for k in config_keys() if k not in documented]
    assert not missing, (
        "README.md's configuration table lacks these keys: " + ", ".join(missing)
    )


def test_readme_config_table_names_only_real_keys():
    documented = readme_config_table(README.read_text(encoding="utf-8"))
    stale = sorted(documented - set(config_keys()))
    assert not stale, "README.md's configuration table names keys syncd does not have: " + (
        ", ".join(stale)
    )
