"""The Word round trip as a property: every valid model, rendered to DOCX and read back,
is the same model, and nothing says the document and its model disagree
(tests/strategies.py generates the models).

The suite runs a fixed set of examples (``GFMDREPORT_PROPERTY_EXAMPLES``, default 200) so
that a run is reproducible. Hunting for new failures is an opt-in job, run before a
release and after any change to the writer or the reader::

    GFMDREPORT_PROPERTY_RANDOM=1 GFMDREPORT_PROPERTY_EXAMPLES=3000 \\
        python -m pytest -q tests/test_docx_properties.py

This module holds only the Word round trip (tests/test_properties.py checks every
format at once), so such a run costs minutes, not hours. Texts that look alike but are
written differently (``São #`` and ``São \\#``) are drawn on purpose: each must come back
with its own source.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from strategies import inline_texts
from strategies import summaries
from strategies import tricky_texts

from gfmdreport import SessionSummary
from gfmdreport import loads
from gfmdreport import render

EXAMPLES = int(os.environ.get("GFMDREPORT_PROPERTY_EXAMPLES", "200"))
PROFILE = settings(
    max_examples=EXAMPLES, deadline=None, database=None,
    derandomize=os.environ.get("GFMDREPORT_PROPERTY_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Words whose shown text is the same written two ways (escaped or not, emphasised with
# stars or underscores): a reader that matched texts by what they show alone would give
# one the other's source.
LOOKALIKES = st.sampled_from([
    "São #", "São \\#", "a\\_b", "a_b", "*x*", "_x_", "**y**", "__y__", "\\*", "\\\\",
    "Question 1: x", "&amp;", "\\&amp;",
])
DISAGREEMENT = {"docx-edited", "docx-model", "docx-model-changed", "docx-people",
                "docx-markup", "docx-line-break", "docx-unnumbered"}
TEXTS = st.one_of(inline_texts(), tricky_texts(), LOOKALIKES)


def round_trip(summary: SessionSummary) -> SessionSummary:
    return loads(render(summary, "docx"), "docx")


@PROFILE
@given(summaries(text=TEXTS, max_blocks=4))
def test_a_report_reads_back_as_its_model(summary):
    again = round_trip(summary)
    assert again.to_dict() == summary.to_dict()
    # What the reader notices of the model itself (question numbers out of order) may
    # be said; nothing may say the document and its model disagree.
    assert not [str(d) for d in again.diagnostics if d.rule in DISAGREEMENT]
