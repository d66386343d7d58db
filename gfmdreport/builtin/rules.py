"""The built-in validation rules: structure (GFMD1xx), metadata (GFMD2xx) and text quality
(GFMD3xx). ``gfmdreport rules`` lists them; docs/rules.md describes each with examples."""

from __future__ import annotations

from .. import hookimpl
from .rules_metadata import RULES as METADATA
from .rules_structure import RULES as STRUCTURE
from .rules_text import RULES as TEXT

RULES = (*STRUCTURE, *METADATA, *TEXT)


@hookimpl
def register_rules(register):
    for rule in RULES:
        register(rule)
