"""``gfmdreport new``: the commented notes template to start from, in English, French or
Spanish. Command-line code: it prints and exits."""

from __future__ import annotations

import os

import click

from gfmdreport.formats.markdown.reader import TEMPLATE_LANGUAGES
from gfmdreport.formats.markdown.reader import notes_template


@click.command("new")
@click.option("-o", "--output", metavar="FILE",
              help="Write the template to FILE (default: standard output).")
@click.option("--language", type=click.Choice(TEMPLATE_LANGUAGES), default="en",
              show_default=True, help="Language of the summary.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def new(output: str | None, language: str, force: bool) -> None:
    """Write a commented Markdown notes template to start from."""
    from gfmdreport.diagnostics import UsageError
    from gfmdreport.files import write_atomic

    text = notes_template(language)
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    if os.path.isdir(output):
        raise UsageError(f"{output} is a folder; give a file name such as notes.md")
    if os.path.lexists(output) and not force:
        raise UsageError(f"{output} already exists; use --force to overwrite it")
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"{output}: notes template written; fill it in, then run "
               f"'gfmdreport render {output} -o summary.docx'", err=True)
