"""Labels, dates and times per language; a summary's own labels; languages from plugins."""

from __future__ import annotations

import pytest

from gfmdreport import InputError
from gfmdreport import Language
from gfmdreport import RegistryError
from gfmdreport import SessionSummary
from gfmdreport import Writer
from gfmdreport import hookimpl
from gfmdreport import loads
from gfmdreport import render
from gfmdreport.hooks.manager import make_plugin_manager
from gfmdreport.labels import KEYS
from gfmdreport.labels import LABELS
from gfmdreport.labels import format_date
from gfmdreport.labels import format_time_range
from gfmdreport.labels import labels_for
from gfmdreport.labels import table_headings


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "6 September 2017"),
    ("fr", "6 septembre 2017"),
    ("es", "6 de septiembre de 2017"),
    ("fr-CH", "6 septembre 2017"),
    ("de", "6 September 2017"),  # unknown: English
])
def test_dates(language, expected):
    assert format_date("2017-09-06", language) == expected


def test_first_of_the_month_in_french():
    assert format_date("2017-09-01", "fr") == "1er septembre 2017"
    assert format_date("2017-09-01", "es") == "1 de septiembre de 2017"


def test_an_impossible_date_is_printed_as_written():
    assert format_date("2017-02-30", "en") == "2017-02-30"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "10:30–12:30"), ("fr", "10\u00a0h\u00a030 – 12\u00a0h\u00a030"), ("es", "10:30–12:30")])
def test_time_ranges(language, expected):
    assert format_time_range("10:30", "12:30", language) == expected
    assert format_time_range("09:05", "", language).startswith("9")


def test_every_language_has_every_label():
    for language, table in LABELS.items():
        assert set(KEYS) <= set(table), language
        assert len(table["months"].split()) == 12


def test_table_headings():
    assert table_headings("fr") == ("Points de convergence", "Recommandations pratiques",
                                    "Défis et questions à approfondir")
    assert table_headings("es") == ("Puntos de convergencia", "Recomendaciones prácticas",
                                    "Desafíos y cuestiones pendientes")


def test_a_summary_overrides_labels():
    summary = loads("language: fr\nlabels: {question: Thème}\nbody: []\n", "yaml")
    assert labels_for(summary.language, summary.labels)["question"] == "Thème"
    assert labels_for(summary.language, summary.labels)["chair"] == "Présidence"
    assert loads(render(summary, "json"), "json") == summary
    assert summary != loads("language: fr\nbody: []\n", "yaml")


def test_an_unknown_label_key_is_located():
    with pytest.raises(InputError) as info:
        loads("body: []\nlabels:\n  questoin: Theme\n", "yaml", path="n.yaml")
    assert str(info.value.diagnostics[0]).startswith(
        "n.yaml:3:3: error[unknown-key]: unknown key 'questoin' in labels "
        "(did you mean 'question'?)")


class German:
    @hookimpl
    def register_languages(self, register):
        register(Language("de", {"question": "Frage", "date_format": "{day}. {month} {year}",
                                 "months": "Januar Februar März April Mai Juni Juli August "
                                           "September Oktober November Dezember"}))

    @hookimpl
    def register_writers(self, register):
        def write(summary, options):
            table = labels_for(summary.language)
            return f"{table['question']} / {format_date(summary.date, summary.language)} / " \
                   f"{table['chair']}".encode()

        register(Writer(name="probe", write=write))


def test_hook_register_languages():
    plugins = make_plugin_manager(extra=[("german", German())])
    assert plugins.registry.plugins["german"].languages == ["de"]
    summary = SessionSummary(language="de", date="2017-03-06")
    # German labels where the plugin gives them, English for the rest.
    assert render(summary, "probe", plugins=plugins) == b"Frage / 6. M\xc3\xa4rz 2017 / Chair"
    # Outside a render of these plugins, the language is unknown again.
    assert labels_for("de")["question"] == "Question"


def test_a_plugin_cannot_redefine_a_builtin_language():
    class French:
        @hookimpl
        def register_languages(self, register):
            register(Language("fr", {"question": "Q"}))

    with pytest.raises(RegistryError, match="language 'fr', which is built in"):
        make_plugin_manager(extra=[("fr2", French())])


def test_a_plugin_language_with_unknown_keys_is_refused():
    class Typo:
        @hookimpl
        def register_languages(self, register):
            register(Language("pt", {"questao": "Pergunta"}))

    with pytest.raises(RegistryError, match="unknown labels: questao"):
        make_plugin_manager(extra=[("pt", Typo())])
