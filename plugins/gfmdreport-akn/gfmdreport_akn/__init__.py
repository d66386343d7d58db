"""gfmdreport-akn: the session summary as Akoma Ntoso 3.0 XML (``-t akn``), the OASIS
LegalDocML standard the UN system uses for official documents, marked up as AKN4UN's
meeting report with IRIs and eIds by the Naming Convention, and
``gfmdreport akn-validate FILE…`` to check files against the official schema.

The module stays light: lxml is imported when a document is written or checked.
"""

from __future__ import annotations

from gfmdreport import Option
from gfmdreport import Writer
from gfmdreport import hookimpl

__version__ = "0.1.0"


def write(summary, options):
    from .writer import write as write_akn

    return write_akn(summary, options)


def write_proceedings(proceedings, options):
    from .collection import write as write_collection

    return write_collection(proceedings, options)


OPTIONS = (
    Option("akn-number", "Akoma Ntoso: the session's number or symbol for the Work IRI "
           "(default: its start time, 10:30 giving 1030)."),
    Option("akn-original-language", "Akoma Ntoso: the language the summary was written "
           "in; a summary in another is marked as its translation (default: en)."),
)


@hookimpl
def register_writers(register):
    register(Writer(
        name="akn",
        write=write,
        suffix=".xml",
        media_type="application/akn+xml",
        description="Akoma Ntoso 3.0 XML meeting report (OASIS LegalDocML, AKN4UN)",
        options=OPTIONS,
        write_proceedings=write_proceedings,
    ))


@hookimpl
def register_commands(cli):
    import click

    @cli.command("akn-validate")
    @click.argument("files", nargs=-1, required=True, metavar="FILE...")
    def akn_validate(files):
        """Check Akoma Ntoso files against the official 3.0 schema."""
        from pathlib import Path

        from .validate import validate

        failed = 0
        for name in files:
            try:
                data = Path(name).read_bytes()
            except OSError as exc:
                click.echo(f"{name}: error[io]: {exc.strerror or exc}", err=True)
                failed += 1
                continue
            problems = validate(data, name)
            for problem in problems:
                click.echo(str(problem), err=True)
            if problems:
                failed += 1
            else:
                click.echo(f"{name}: valid Akoma Ntoso 3.0")
        if failed:
            raise click.exceptions.Exit(1)
