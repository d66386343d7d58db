"""French typography in finished output."""

from __future__ import annotations

import pytest

from gfmdreport.typography import NBSP, NNBSP, apply, french


@pytest.mark.parametrize(("text", "expected"), [
    ("Question 1 : pourquoi ?", f"Question 1{NBSP}: pourquoi{NNBSP}?"),
    ("Vraiment?!", f"Vraiment{NNBSP}?!"),
    ("deux points: ici", f"deux points{NBSP}: ici"),
    ("liste ; suite", f"liste{NNBSP}; suite"),
    ("« bonjour »", f"«{NNBSP}bonjour{NNBSP}»"),
    ("«bonjour»", f"«{NNBSP}bonjour{NNBSP}»"),
    ("de 10:30 à 12:30", "de 10:30 à 12:30"),
    ("voir https://example.org/a?b=1", "voir https://example.org/a?b=1"),
    (f"déjà{NBSP}: fait", f"déjà{NBSP}: fait"),
])
def test_french(text, expected):
    assert french(text) == expected


def test_french_is_idempotent():
    once = french("Pourquoi ? « Ainsi » : oui ; non !")
    assert french(once) == once


def test_other_languages_are_untouched():
    assert apply("Why ? Because: « x »", "en") == "Why ? Because: « x »"
    assert apply("Why?", "fr-CA") == f"Why{NNBSP}?"
