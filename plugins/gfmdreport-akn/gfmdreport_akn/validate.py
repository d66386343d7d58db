"""Validation against the official Akoma Ntoso 3.0 schema, shipped in ``schema/``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from gfmdreport import Diagnostic
from gfmdreport import Location
from gfmdreport import Severity

SCHEMA_FILE = "akomantoso30.xsd"


@lru_cache(maxsize=1)
def schema() -> Any:
    """The compiled schema (compiled once per process: it takes a moment)."""
    from lxml import etree

    with resources.as_file(resources.files(__package__) / "schema" / SCHEMA_FILE) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def validate(data: bytes, path: str | None = None) -> list[Diagnostic]:
    """Every way ``data`` fails to be a valid Akoma Ntoso 3.0 document, located; an
    empty list when it is valid."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        document = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        return [Diagnostic(Severity.ERROR, "akn-xml", f"not well-formed XML: {exc.msg}",
                           Location(path, line, (column or 0) + 1),
                           "the file is damaged or is not XML")]
    checker = schema()
    if checker.validate(document):
        return []
    return [Diagnostic(Severity.ERROR, "akn-schema", _message(error.message),
                       Location(path, error.line, (error.column or 0) + 1))
            for error in checker.error_log]


def _message(text: str) -> str:
    return text.replace("{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}", "")
