"""gfmdreport-pdf: the session summary as PDF (``-t pdf``): the ``docx`` writer's Word
report, converted by LibreOffice running headless.

The module stays light: nothing is started or imported until a PDF is written.
"""

from __future__ import annotations

from gfmdreport import Option
from gfmdreport import Writer
from gfmdreport import hookimpl

__version__ = "0.1.0"

OPTIONS = (
    # The DOCX writer's options, passed on to it: same names and help, so that one
    # command-line flag serves both formats.
    Option("reference-doc", "Take styles, page setup, headers and footers from this "
           ".docx/.dotx", kind="path"),
    Option("toc", "Add a table of contents (refreshed when Word opens the file)",
           kind="flag", default=False),
    Option("author", "Author in the document properties (default: the rapporteurs)",
           kind="text"),
    Option("pdf-timeout", "Seconds LibreOffice may take to convert one report (default "
           "120, or GFMDREPORT_PDF_TIMEOUT)", kind="text"),
)


def write(summary, options):
    from .convert import write_pdf

    return write_pdf(summary, options)


def write_proceedings(proceedings, options):
    from .proceedings import write_proceedings as write_pdf

    return write_pdf(proceedings, options)


@hookimpl
def batch_worker():
    """In a batch worker, one LibreOffice is kept for all its PDFs (started at the first)."""
    from .office import kept_office

    return kept_office()


@hookimpl
def register_writers(register):
    register(Writer(
        name="pdf",
        write=write,
        suffix=".pdf",
        media_type="application/pdf",
        description="PDF of the Word report (LibreOffice, tagged PDF)",
        binary=True,
        options=OPTIONS,
        write_proceedings=write_proceedings,
    ))
