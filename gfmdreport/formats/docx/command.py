"""``gfmdreport docx-template``: the default Word template to restyle, or a house
template checked against the style contract. Command-line code: it prints and exits."""

from __future__ import annotations

import click


@click.command("docx-template")
@click.option("-o", "--output", metavar="FILE",
              help="Write the default template here, to customise in Word.")
@click.option("--check", "check", metavar="FILE",
              help="List the contract styles this template lacks.")
@click.pass_context
def docx_template(ctx: click.Context, output: str | None, check: str | None) -> None:
    """Write the default Word template, or check a house template against the style
    contract (docs/docx.md)."""
    from gfmdreport.diagnostics import UsageError

    if bool(output) == bool(check):
        raise UsageError("docx-template needs exactly one of -o FILE or --check FILE")
    if output:
        from gfmdreport.files import write_atomic
        from gfmdreport.formats.docx.write import default_template_bytes

        write_atomic(output, default_template_bytes())
        click.echo(f"wrote {output}: the default template; restyle its GFMD styles "
                   "in Word and pass it with --reference-doc", err=True)
        return
    from gfmdreport.formats.docx.write import CONTRACT
    from gfmdreport.formats.docx.write import check_template
    from gfmdreport.formats.docx.write import retired_template_styles

    problems = check_template(check)
    for name, instead in retired_template_styles(check):
        click.echo(f"{check}: style '{name}' is no longer used: restyle {instead} "
                   "instead", err=True)
    if not problems:
        click.echo(f"{check}: has all {len(CONTRACT)} styles of the contract")
        return
    for spec, problem in problems:
        click.echo(f"{check}: {spec.type} style '{spec.label}' {problem} "
                   f"({spec.role})")
    click.echo(f"{check}: {len(problems)} of {len(CONTRACT)} contract styles need "
               "attention; missing ones are taken from the default template when "
               "rendering", err=True)
    ctx.exit(1)
