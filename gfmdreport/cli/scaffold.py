"""``gfmdreport plugin new NAME --kind writer|reader|rule``: start a plugin distribution
(see :mod:`gfmdreport.scaffold`)."""

from __future__ import annotations

from gfmdreport import hookimpl


@hookimpl
def register_commands(cli):
    import click

    @cli.group("plugin")
    def plugin_group():
        """Create gfmdreport plugins."""

    @plugin_group.command("new")
    @click.argument("name")
    @click.option("--kind", type=click.Choice(["writer", "reader", "rule"]), default="writer",
                  show_default=True, help="What the plugin provides.")
    @click.option("--dir", "parent", default=".", metavar="FOLDER", show_default=True,
                  help="Where to create the package's folder.")
    def new(name, kind, parent):
        """Create the plugin distribution gfmdreport-NAME: pyproject.toml with the entry
        point, the plugin module, a README and tests that use the conformance kit."""
        from gfmdreport.scaffold import create

        folder = create(name, kind, parent)
        click.echo(f"created {folder}")
        click.echo("next:")
        click.echo(f"  pip install -e '{folder}[test]'    # the plugin, with pytest")
        click.echo(f"  python -m pytest {folder}")
