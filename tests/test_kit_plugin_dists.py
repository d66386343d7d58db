"""The plugin distributions in plugins/ install from their folders into a fresh virtual
environment and work there: listed by `gfmdreport formats`, the seed session rendered to
schema-valid Akoma Ntoso and to PDF."""

from __future__ import annotations

import json
import shutil

import pytest
from test_scaffold import fresh_venv
from test_scaffold import pip_install
from test_scaffold import run

from conftest import EXAMPLE_YAML
from conftest import ROOT

PLUGINS = ROOT / "plugins"


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plugin-dists")
    python = fresh_venv(folder / "venv")
    # not editable: a built wheel must carry everything, the schema files included
    pip_install(python, PLUGINS / "gfmdreport-akn", PLUGINS / "gfmdreport-pdf", editable=False)
    return python


def test_both_are_listed_from_the_fresh_environment(venv):
    formats = run(venv, "-m", "gfmdreport", "formats").stdout
    assert "  akn        .xml" in formats and "  pdf        .pdf" in formats
    listed = {p["name"]: p for p in json.loads(run(venv, "-m", "gfmdreport", "plugins",
                                                   "--json").stdout)}
    assert (listed["akn"]["dist"], listed["akn"]["writers"]) == ("gfmdreport-akn", ["akn"])
    assert (listed["pdf"]["dist"], listed["pdf"]["writers"]) == ("gfmdreport-pdf", ["pdf"])
    assert "register_commands" in listed["akn"]["hooks"]
    where = run(venv, "-c", "import gfmdreport_akn, gfmdreport_pdf, sys; "
                "print(gfmdreport_akn.__file__); print(gfmdreport_pdf.__file__); "
                "print(sys.prefix)").stdout.split()
    assert all(path.startswith(where[2]) for path in where[:2]), where  # the installed copies


def test_the_seed_renders_to_valid_akoma_ntoso(venv, tmp_path):
    out = tmp_path / "seed.xml"
    run(venv, "-m", "gfmdreport", "render", EXAMPLE_YAML, "-t", "akn", "-o", out)
    checked = run(venv, "-m", "gfmdreport", "akn-validate", out)
    assert checked.stdout == f"{out}: valid Akoma Ntoso 3.0\n"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed")
def test_the_seed_renders_to_pdf(venv, tmp_path):
    out = tmp_path / "seed.pdf"
    run(venv, "-m", "gfmdreport", "render", EXAMPLE_YAML, "-o", out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    text = run("pdftotext", out, "-").stdout
    assert "GFMD Thematic Workshop on GFMD's contribution to the GCM" in text
