"""The listing commands: ``rules``, ``plugins``, ``formats`` and ``schema``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from gfmdreport.cli.common import get_plugins
from gfmdreport.cli.common import json_text


def _listed(name: str, about: str, rows: Callable[[Any], tuple[list[Any], list[str]]]
            ) -> click.Command:
    """A listing command: ``rows(registry)`` gives what ``--json`` prints and the lines
    printed otherwise."""

    @click.command(name, help=about)
    @click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
    @click.pass_context
    def command(ctx: click.Context, as_json: bool) -> None:
        data, lines = rows(get_plugins(ctx).registry)
        if as_json:
            click.echo(json_text(data))
            return
        for line in lines:
            click.echo(line)

    return command


def _rules(registry: Any) -> tuple[list[Any], list[str]]:
    rules = sorted(registry.rules.values(), key=lambda r: r.id)
    data = [{"id": r.id, "name": r.name, "severity": r.severity.value, "plugin": r.plugin,
             "description": r.description} for r in rules]
    widths = [max((len(r[key]) for r in data), default=0) for key in ("id", "name", "plugin")]
    lines = [f"{r['id']:<{widths[0]}}  {r['name']:<{widths[1]}}  {r['severity']:<7}  "
             f"{r['plugin']:<{widths[2]}}  {r['description']}" for r in data]
    return data, lines


def _plugins(registry: Any) -> tuple[list[Any], list[str]]:
    infos = sorted(registry.plugins.values(), key=lambda p: p.name)
    lines = []
    for info in infos:
        dist = f"{info.dist} {info.version}" if info.dist else "(no distribution)"
        lines.append(f"{info.name}  [{dist}]  {info.module}")
        if info.error:
            lines.append(f"    FAILED: {info.error}")
        for kind in ("readers", "writers", "rules", "languages"):
            names = getattr(info, kind)
            if names:
                lines.append(f"    {kind}: {', '.join(names)}")
        extra = [h for h in info.hooks if h not in ("register_readers", "register_writers",
                                                    "register_rules", "register_languages")]
        if extra:
            lines.append(f"    hooks: {', '.join(extra)}")
    return [p.to_dict() for p in infos], lines


rules_command = _listed(
    "rules", "List every validation rule: id, name, default severity, plugin, description.",
    _rules)
plugins_command = _listed(
    "plugins", "List every plugin, its distribution, and what it provides.", _plugins)


@click.command("formats")
@click.pass_context
def formats_command(ctx: click.Context) -> None:
    """List input and output formats with their file suffixes."""
    registry = get_plugins(ctx).registry
    click.echo("Readers (--from):")
    for r in sorted(registry.readers.values(), key=lambda r: r.name):
        click.echo(f"  {r.name:<10} {' '.join(r.suffixes):<18} {r.description}  "
                   f"[{r.plugin}]")
    click.echo("Writers (--to):")
    for w in sorted(registry.writers.values(), key=lambda w: w.name):
        click.echo(f"  {w.name:<10} {w.suffix:<18} {w.description}  [{w.plugin}]")
    missing = registry.missing_known()
    if missing:
        click.echo("Not available (plugins that come with gfmdreport's source):")
        for name, plugin in sorted(missing.items()):
            click.echo(f"  {name:<10} {plugin.suffix:<18} {plugin.what}  [{plugin.dist}]")
            click.echo(f"  {'':<10} {registry.advice(name)}")


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the interchange format (JSON and YAML)."""
    from gfmdreport.formats.interchange.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
