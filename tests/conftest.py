"""Shared fixtures. Each feature's own fixtures live in its test module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gfmdreport import load
from gfmdreport.hooks.manager import make_plugin_manager

ROOT = Path(__file__).resolve().parent.parent
# GFMDREPORT_UPDATE_GOLDEN=1 rewrites every golden file from today's output (then read the
# diff): the one switch for all of them.
UPDATE_GOLDEN = os.environ.get("GFMDREPORT_UPDATE_GOLDEN") == "1"
EXAMPLES = ROOT / "examples"
SEED_DIR = ROOT / "seeds"
EXAMPLE_YAML = EXAMPLES / "gcm-cluster-3.yaml"


@pytest.fixture(scope="session")
def plugins():
    """Every installed plugin, as the CLI would load them."""
    return make_plugin_manager()


@pytest.fixture(scope="session")
def example():
    """The seed's session, read from examples/gcm-cluster-3.yaml."""
    return load(EXAMPLE_YAML)


def all_texts(summary):
    """Every text of a summary in document order: paragraphs, headings and questions,
    their items and takeaways (nested ones too), table headings and cells."""
    from gfmdreport.model import walk_texts

    return [ref.text for ref in walk_texts(summary)]
