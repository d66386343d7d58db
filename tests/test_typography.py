"""French typography in finished output."""

from __future__ import annotations

import pytest

from gfmdreport import load
from gfmdreport.typography import NBSP
from gfmdreport.typography import NNBSP
from gfmdreport.typography import apply
from gfmdreport.typography import french

from conftest import EXAMPLES


@pytest.mark.parametrize(("text", "expected"), [
    ("Question 1 : pourquoi ?", f"Question 1{NBSP}: pourquoi{NNBSP}?"),
    ("Vraiment?!", f"Vraiment{NNBSP}?!"),
    ("deux points: ici", f"deux points{NBSP}: ici"),
    ("liste ; suite", f"liste{NNBSP}; suite"),
    ("« bonjour »", f"«{NBSP}bonjour{NBSP}»"),
    ("«bonjour»", f"«{NBSP}bonjour{NBSP}»"),
    ("de 10:30 à 12:30", "de 10:30 à 12:30"),
    ("Question 1:", f"Question 1{NBSP}:"),
    ("voir https://example.org/a?b=1", "voir https://example.org/a?b=1"),
    (f"déjà{NBSP}: fait", f"déjà{NBSP}: fait"),
])
def test_french(text, expected):
    assert french(text) == expected


def test_french_is_idempotent():
    once = french("Pourquoi ? « Ainsi » : oui ; non !")
    assert french(once) == once


def test_the_french_example_is_already_set_this_way():
    summary = load(EXAMPLES / "gcm-cluster-3.fr.yaml")
    texts = [b.text for b in summary.body if hasattr(b, "text")]
    texts += [t.text for q in summary.questions for t in q.takeaways]
    assert any("«" in t for t in texts)
    assert [french(t) for t in texts] == texts


def test_other_languages_are_untouched():
    assert apply("Why ? Because: « x »", "en") == "Why ? Because: « x »"
    assert apply("Why?", "fr-CA") == f"Why{NNBSP}?"
