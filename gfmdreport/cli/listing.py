"""The listing commands: ``rules``, ``plugins``, ``formats`` and ``schema``."""

from __future__ import annotations

import json

import click

from gfmdreport.cli.common import get_plugins

as_json_option = click.option("--json", "as_json", is_flag=True,
                              help="Print JSON for machines.")

@click.command("rules")
@as_json_option
@click.pass_context
def rules_command(ctx: click.Context, as_json: bool) -> None:
    """List every validation rule: id, name, default severity, plugin, description."""
    registry = get_plugins(ctx).registry
    rules = sorted(registry.rules.values(), key=lambda r: r.id)
    if as_json:
        click.echo(json.dumps([{"id": r.id, "name": r.name, "severity": r.severity.value,
                                "plugin": r.plugin, "description": r.description}
                               for r in rules], indent=2, ensure_ascii=False))
        return
    id_width = max((len(r.id) for r in rules), default=0)
    name_width = max((len(r.name) for r in rules), default=0)
    plugin_width = max((len(r.plugin) for r in rules), default=0)
    for r in rules:
        click.echo(f"{r.id:<{id_width}}  {r.name:<{name_width}}  {r.severity.value:<7}  "
                   f"{r.plugin:<{plugin_width}}  {r.description}")


@click.command("plugins")
@as_json_option
@click.pass_context
def plugins_command(ctx: click.Context, as_json: bool) -> None:
    """List every plugin, its distribution, and what it provides."""
    registry = get_plugins(ctx).registry
    infos = sorted(registry.plugins.values(), key=lambda p: p.name)
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in infos], indent=2))
        return
    for info in infos:
        dist = f"{info.dist} {info.version}" if info.dist else "(no distribution)"
        click.echo(f"{info.name}  [{dist}]  {info.module}")
        if info.error:
            click.echo(f"    FAILED: {info.error}")
        for kind in ("readers", "writers", "rules", "languages"):
            names = getattr(info, kind)
            if names:
                click.echo(f"    {kind}: {', '.join(names)}")
        extra = [h for h in info.hooks if h not in ("register_readers", "register_writers",
                                                    "register_rules", "register_languages")]
        if extra:
            click.echo(f"    hooks: {', '.join(extra)}")


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
