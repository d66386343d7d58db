"""YAML in and out: the interchange format (safe loading only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gfmdreport import hookimpl
from gfmdreport.hooks.registry import Reader
from gfmdreport.hooks.registry import Writer
from gfmdreport.model import SessionSummary


def read(text: str, path: str | None = None) -> SessionSummary:
    from gfmdreport.formats.interchange.shape import read_yaml

    return read_yaml(text, path)


def write(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    import yaml

    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(summary.to_dict(), Dumper=dumper, sort_keys=False, allow_unicode=True,
                     width=88, default_flow_style=False)
    return text.encode("utf-8")


@hookimpl
def register_readers(register):
    register(Reader(name="yaml", read=read, suffixes=(".yaml", ".yml"),
                    description="Interchange format, YAML"))


@hookimpl
def register_writers(register):
    register(Writer(name="yaml", write=write, suffix=".yaml", media_type="application/yaml",
                    description="Interchange format, YAML"))
