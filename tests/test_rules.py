"""The built-in rules: each against a failing and a passing input, on exact lines."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from gfmdreport import Column
from gfmdreport import Finding
from gfmdreport import Item
from gfmdreport import Location
from gfmdreport import Paragraph
from gfmdreport import Person
from gfmdreport import Question
from gfmdreport import Rule
from gfmdreport import SessionSummary
from gfmdreport import Severity
from gfmdreport import SummaryTable
from gfmdreport import hookimpl
from gfmdreport import load
from gfmdreport import loads
from gfmdreport import validate
from gfmdreport.formats.interchange.shape import compose_yaml
from gfmdreport.formats.markdown.writer import render_markdown
from gfmdreport.hooks.manager import make_plugin_manager
from gfmdreport.rules import RULES
from gfmdreport.rules.common import visible
from gfmdreport.rules.text import close
from gfmdreport.rules.text import distance

from conftest import ROOT
from conftest import UPDATE_GOLDEN

FIXTURES = ROOT / "tests" / "rules"
DOCS = ROOT / "docs" / "rules.md"
_EXPECT = re.compile(r"#\s*expect:\s*(.+)$")


def expected(path: Path) -> set[tuple[str, int]]:
    """The (rule, line) pairs a fixture marks with ``# expect: RULE`` comments."""
    found = set()
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        match = _EXPECT.search(line)
        if match:
            found.update((rule, number) for rule in match.group(1).split())
    return found


def found(path: Path, plugins) -> set[tuple[str, int | None]]:
    return {(d.rule, d.location.line)
            for d in validate(load(path, plugins=plugins), plugins=plugins, config={})}


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_fixture(path, plugins):
    """A failing fixture gets exactly the diagnostics its comments mark, on those lines;
    a passing one gets none at all, from any rule."""
    want = expected(path)
    assert path.stem.endswith("-fail") == bool(want) or path.stem == "four-problems"
    assert found(path, plugins) == want


@pytest.mark.parametrize("path", [*sorted(FIXTURES.glob("*-fail.yaml")),
                                  FIXTURES / "four-problems.yaml"], ids=lambda p: p.stem)
def test_fixture_messages(path, plugins):
    """What a failing fixture prints, word for word: place, severity, rule, message and
    fix (tests/rules/*.diagnostics; GFMDREPORT_UPDATE_GOLDEN=1 rewrites them, then read
    the diff as a rapporteur would)."""
    summary = load(path.relative_to(ROOT), plugins=plugins)
    printed = "".join(f"{d}\n" for d in validate(summary, plugins=plugins, config={}))
    golden = path.with_suffix(".diagnostics")
    if UPDATE_GOLDEN:
        golden.write_text(printed, encoding="utf-8")
    assert printed == golden.read_text(encoding="utf-8")


def test_every_rule_has_a_failing_and_a_passing_case():
    ids = {p.stem.rsplit("-", 1)[0] for p in FIXTURES.glob("GFMD*.yaml")}
    for rule in RULES:
        assert rule.id in ids, rule.id
        assert (FIXTURES / f"{rule.id}-fail.yaml").is_file()
        assert (FIXTURES / f"{rule.id}-pass.yaml").is_file()
        assert any(r == rule.id for r, _ in expected(FIXTURES / f"{rule.id}-fail.yaml"))


def test_the_four_problems_of_the_issue_in_one_run(plugins):
    """No chair, a question with no takeaways, 12:30-10:30 and an empty column: four
    diagnostics, each on its line, in one run."""
    path = FIXTURES / "four-problems.yaml"
    diagnostics = validate(load(path, plugins=plugins), plugins=plugins, config={})
    assert [(d.rule, d.location.line, d.severity) for d in diagnostics] == [
        ("GFMD101", 2, Severity.ERROR),
        ("GFMD206", 5, Severity.ERROR),
        ("GFMD104", 14, Severity.ERROR),
        ("GFMD107", 21, Severity.ERROR),
    ]
    assert "ends at 10:30, before it starts at 12:30" in diagnostics[1].message


def test_the_seed_example_passes_but_for_its_damaged_cell(example, plugins):
    diagnostics = validate(example, plugins=plugins, config={})
    assert len(diagnostics) == 1
    (only,) = diagnostics
    assert (only.rule, only.severity) == ("GFMD301", Severity.WARNING)
    assert "'U'" in only.message and "Practical Recommendations" in only.message
    line = (ROOT / "examples" / "gcm-cluster-3.yaml").read_text().splitlines()[
        only.location.line - 1]
    assert line.strip() == "- U"


def test_rule_ids_names_and_families():
    ids = [r.id for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"GFMD[123]\d\d", rule.id)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.description.endswith(".")
        if rule.id.startswith("GFMD3"):
            assert rule.severity is Severity.WARNING  # text quality never stops a render


# ---- rules the YAML reader cannot feed: models built by hand -------------------------------

AT = Location("notes.md", 7, 1)


def summary(**changes) -> SessionSummary:
    return replace(load(FIXTURES / "base.yaml"), **changes)


def rules_of(s: SessionSummary, plugins) -> list[tuple[str, int | None]]:
    return [(d.rule, d.location.line) for d in validate(s, plugins=plugins, config={})]


def with_paragraph(text: str) -> SessionSummary:
    base = load(FIXTURES / "base.yaml")
    return summary(body=(Paragraph(text, loc=AT), *base.body[1:]))


def test_doubled_space(plugins):
    assert rules_of(with_paragraph("There was  wide recognition."), plugins) == [
        ("GFMD304", 7)]
    assert rules_of(with_paragraph("There was wide recognition."), plugins) == []
    # a hard line break ("two spaces, newline" in Markdown) is not a doubled space
    assert rules_of(with_paragraph("There was wide  \nrecognition."), plugins) == []


def test_split_hyphen_across_a_kept_line_break(plugins):
    assert rules_of(with_paragraph("an oppor-\ntunity"), plugins) == [("GFMD302", 7)]
    # even "and" continues a split word when the hyphen ends the line
    assert rules_of(with_paragraph("a consid- and then"), plugins) == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("date", "6 September 2017", "is not written YYYY-MM-DD"),
    ("date", "2017-13-01", "there is no month 13"),
    ("date", "2017-02-29", "February 2017 has no day 29"),
    ("start_time", "25:00", "start time '25:00' is not a time of day"),
    ("end_time", "10:30", "ends when it starts"),
    ("language", "English", "'English' is not a language code"),
    ("language", "", "the language is empty"),
])
def test_metadata_values_other_readers_may_produce(plugins, field, value, message):
    s = summary(**{field: value, "start_time": "10:30"} if field == "end_time" else
                {field: value})
    messages = [d.message for d in validate(s, plugins=plugins, config={})]
    assert any(message in m for m in messages), messages


def test_empty_table_heading_and_columns_count(plugins):
    table = SummaryTable((Column("", (Item("data"),), loc=AT),), loc=Location("n.md", 9, 1))
    s = summary(body=(*load(FIXTURES / "base.yaml").body[:-1], table))
    got = {(d.rule, d.location.line, d.message) for d in validate(s, plugins=plugins,
                                                                     config={})}
    assert ("GFMD109", 7, "the heading of table column 1 is empty") in got
    assert ("GFMD108", 9, "the closing table has 1 column, not 3: it lacks 'Points of "
            "Convergence', 'Practical Recommendations', 'Challenges / Issues for further "
            "discussion'") in got
    assert [r for r, _, _ in got].count("GFMD108") == 1  # the empty heading: GFMD109 only


def test_a_table_of_two_columns_names_the_one_it_lacks(plugins):
    base = load(FIXTURES / "base.yaml")
    table = base.body[-1]
    two = replace(table, columns=(table.columns[0], table.columns[2]))
    s = replace(base, body=(*base.body[:-1], two))
    found = [d for d in validate(s, plugins=plugins, config={}) if d.rule == "GFMD108"]
    assert (found[0].severity.value, found[0].message) == (
        "warning", "the closing table has 2 columns, not 3: it lacks 'Practical "
                   "Recommendations'")


def test_french_headings_follow_the_language(plugins):
    base = load(FIXTURES / "base.yaml")
    french = summary(language="fr")
    found = validate(french, plugins=plugins, config={"GFMD307": "off"})
    assert [d.rule for d in found] == ["GFMD108", "GFMD108", "GFMD108"]
    assert found[0].message == ("table column heading 'Points of Convergence' is not "
                                "'Points de convergence' (the English heading)")
    table = SummaryTable(tuple(Column(h, (Item("x y"),)) for h in (
        "Points de convergence", "Recommandations pratiques",
        "Défis et questions à approfondir")))
    assert validate(summary(language="fr", body=(*base.body[:-1], table)),
                    plugins=plugins, config={"GFMD307": "off"}) == []


def test_question_numbering_out_of_order(plugins):
    q = [Question(n, f"Question text {n}?", (Item(f"Takeaway of question {n} here."),),
                  loc=Location("n.md", 10 + n, 1)) for n in (2, 1)]
    s = summary(body=(*q, load(FIXTURES / "base.yaml").body[-1]))
    assert [(d.rule, d.location.line, d.message) for d in validate(
        s, plugins=plugins, config={})] == [
        ("GFMD105", 11, "question 1 comes after question 2"),
        ("GFMD105", 12, "question 2 follows the start: question 1 is missing"),
    ]


# ---- name spelling -------------------------------------------------------------------------

def test_name_distance():
    assert distance("Henrikson", "Henriksson") == 1
    assert distance("Henrikson", "Henrickson") == 1
    assert distance("Henrikson", "Hernikson") == 1  # a swap is one edit
    assert close("Henriksson", "Henrikson")
    assert not close("Henrikson", "Henrikson")
    assert not close("Generous", "Henrikson")  # another first letter
    assert not close("Ole", "Ola")  # under the four-letter floor
    assert close("Ole", "Ola", 3)


def _reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, written the slow and obvious way."""
    a, b = a.casefold(), b.casefold()

    @functools.cache
    def d(i: int, j: int) -> int:
        if i == 0 or j == 0:
            return i + j
        best = min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] != b[j - 1]))
        if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
            best = min(best, d(i - 2, j - 2) + 1)
        return best

    return d(len(a), len(b))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcAB", max_size=7), st.text(alphabet="abcAB", max_size=7))
def test_name_distance_is_the_optimal_alignment_distance(a, b):
    """Insertions, deletions, substitutions and swaps of neighbours, one edit each, case
    aside: the same as the textbook definition on any pair of words."""
    assert distance(a, b) == _reference_distance(a, b) == distance(b, a)


def spelling(text: str, plugins, *, chairs=None, rapporteurs=None) -> list[str]:
    s = summary(body=(Paragraph(text, loc=AT),),
                chairs=chairs or (Person("Ola Henrikson", "Mr."),),
                rapporteurs=rapporteurs or (Person("Michelle Klein-Solomon", "Ms."),))
    return [d.message for d in validate(s, plugins=plugins, config={})
            if d.rule == "GFMD305"]


@pytest.mark.parametrize("text", [
    "The session was chaired by Mr. Ola Henriksson.",
    "Mr. Henrickson opened the floor.",
    "Henriksson opened the floor.",
    "Ms. Klein-Salomon summed up.",
    "Michele Klein-Solomon summed up.",
    "As **Mr. Henriksson** said,",
])
def test_misspelt_names_are_found(plugins, text):
    assert len(spelling(text, plugins)) == 1


@pytest.mark.parametrize("text", [
    "The session was chaired by Mr. Ola Henrikson.",
    "Mr. Henrikson's opening and Ms. Klein-Solomon's summary.",
    "Hendrikse of the Netherlands spoke.",  # another person: two letters off and more
    "Henrik Larsson spoke for Sweden.",
    "Michelle Klein-Solomon summed up; Michael spoke after her.",
])
def test_names_written_right_or_other_people_are_left_alone(plugins, text):
    assert spelling(text, plugins) == []


def test_a_name_followed_or_preceded_by_another_name_is_another_name(plugins):
    chairs = (Person("Peter Sutherlund"),)
    assert spelling("The Sutherland Report invites states to act.", plugins,
                    chairs=chairs) == []
    assert spelling("Anna Henriksson spoke for Sweden.", plugins) == []
    assert len(spelling("As Mr. Sutherland said, states should act.", plugins,
                        chairs=chairs)) == 1
    # a sentence ending in a capitalised word does not hide the next one
    assert len(spelling("It was agreed at the IOM. Henriksson then closed.", plugins)) == 1


def test_people_with_close_names_do_not_flag_each_other(plugins):
    people = (Person("Anna Klein"), Person("Anne Kleine"))
    assert spelling("Ms. Anna Klein and Ms. Anne Kleine agreed.", plugins, chairs=people[:1],
                    rapporteurs=people[1:]) == []


def test_short_surnames_need_an_honorific(plugins):
    chairs = (Person("Li Haas"),)
    assert spelling("Has the GCM helped?", plugins, chairs=chairs) == []
    assert spelling("Mr. Haaz agreed.", plugins, chairs=chairs) == [
        "'Haaz' in paragraph 1 looks like a misspelling: the chair is listed as Li Haas"]


# ---- the engine ------------------------------------------------------------------------

class HousePlugin:
    """A third-party plugin providing one rule, and one that crashes."""

    @staticmethod
    def long_paragraph(s):
        for number, block in s.numbered():
            if number and len(block.text.split()) > 5:
                yield Finding(f"paragraph {number} has over 5 words", block.loc, "split it")

    @staticmethod
    def crash(s):
        raise KeyError("boom")
        yield

    @hookimpl
    def register_rules(self, register):
        register(Rule("HOUSE001", self.long_paragraph, "Short paragraphs.", Severity.WARNING,
                      "long-paragraph"))
        register(Rule("HOUSE002", self.crash, "Crashes.", Severity.ERROR, "crash"))


def test_a_third_party_rule_runs_and_a_crashing_one_is_reported():
    plugins = make_plugin_manager(extra=[("house", HousePlugin())])
    assert plugins.registry.rules["HOUSE001"].plugin == "house"
    s = load(FIXTURES / "base.yaml", plugins=plugins)
    diagnostics = validate(s, plugins=plugins, config={})
    assert [(d.rule, d.severity, d.location.line) for d in diagnostics] == [
        ("plugin-error", Severity.WARNING, None),
        ("HOUSE001", Severity.WARNING, 18),
    ]
    assert "plugin 'house' failed in rule HOUSE002: KeyError" in diagnostics[0].message
    # configuration reaches third-party rules by id, name and prefix
    assert validate(s, plugins=plugins, config={"HOUSE": "off"}) == []
    assert [d.rule for d in validate(s, plugins=plugins, config={"crash": "off"})] == [
        "HOUSE001"]


def test_reader_warnings_come_with_the_rules(plugins):
    from gfmdreport.diagnostics import warning

    noted = summary(diagnostics=(warning("md-guess", "guessed the date",
                                         Location("n.md", 3, 1)),))
    assert [d.rule for d in validate(noted, plugins=plugins, config={})] == ["md-guess"]


# ---- the documentation ----------------------------------------------------------------------

_SECTION = re.compile(r"^### (GFMD\d{3}) ([a-z-]+)\n(.*?)(?=^### |\Z)", re.M | re.S)
_EXAMPLE = re.compile(r"^(Fails|Passes)[^\n]*:\n\n```(yaml|markdown)\n(.*?)```", re.M | re.S)
METADATA = ("title", "session", "date", "time", "venue", "language")
PEOPLE = ("chair", "chairs", "rapporteurs")


def doc_sections() -> dict[str, tuple[str, str]]:
    return {m.group(1): (m.group(2), m.group(3)) for m in _SECTION.finditer(DOCS.read_text())}


def test_docs_have_a_section_per_rule_with_examples():
    sections = {k: v for k, v in doc_sections().items() if not k.startswith("GFMD4")}
    assert sorted(sections) == sorted(r.id for r in RULES)  # GFMD4xx: the collection's
    for rule in RULES:
        name, text = sections[rule.id]
        assert name == rule.name
        assert text.lstrip().startswith(f"**{rule.severity.value}**"), rule.id
        kinds = [m.group(1) for m in _EXAMPLE.finditer(text)]
        assert kinds == ["Fails", "Passes"], rule.id


def merged(snippet: str) -> str:
    """The base summary with the snippet's groups (metadata, people, body) replacing
    the base's: what the docs mean by "everything not shown is valid"."""
    base = compose_yaml((FIXTURES / "base.yaml").read_text(), None).data
    part = compose_yaml(snippet, None).data
    for group in (METADATA, PEOPLE, ("body",)):
        if any(k in part for k in group):
            for key in group:
                base.pop(key, None)
    base.update(part)
    return json.dumps(base)


@pytest.mark.parametrize("rule_id", sorted(r.id for r in RULES))
def test_docs_examples_fail_and_pass(plugins, rule_id):
    _, text = doc_sections()[rule_id]
    for kind, language, snippet in _EXAMPLE.findall(text):
        if language == "yaml":
            s = loads(merged(snippet), "json", plugins=plugins)
        else:  # a paragraph of Markdown notes, after the base summary's own notes
            notes = render_markdown(load(FIXTURES / "base.yaml")) + "\n" + snippet
            s = loads(notes, "md", plugins=plugins)
        fired = rule_id in {d.rule for d in validate(s, plugins=plugins, config={})}
        assert fired == (kind == "Fails"), f"{rule_id} {kind}:\n{snippet}"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_rules_read_text_as_the_inline_parser_does(source):
    """Rules skip the Markdown parser for text without markup; what they read is the same."""
    from gfmdreport.inline import plain

    assert visible(source) == plain(source)


def test_headings_follow_the_summary_s_own_labels(plugins):
    base = load(FIXTURES / "base.yaml")
    table = base.body[-1]
    renamed = replace(table, columns=(replace(table.columns[0], heading="Areas of agreement"),
                                      *table.columns[1:]))
    s = summary(body=(*base.body[:-1], renamed))
    assert [d.rule for d in validate(s, plugins=plugins, config={})] == ["GFMD108"]
    s = replace(s, labels={"convergence": "Areas of Agreement"})
    assert validate(s, plugins=plugins, config={}) == []


def test_a_language_from_a_plugin_is_known_and_gives_the_headings():
    from gfmdreport.hooks.registry import Language

    class German:
        @hookimpl
        def register_languages(self, register):
            register(Language("de", {"convergence": "Übereinstimmungen",
                                     "recommendations": "Praktische Empfehlungen",
                                     "challenges": "Offene Fragen"}))

    plain_plugins = make_plugin_manager()
    with_german = make_plugin_manager(extra=[("german", German())])
    s = summary(language="de")
    assert [d.rule for d in validate(s, plugins=plain_plugins, config={})] == ["GFMD207"]
    assert [d.rule for d in validate(s, plugins=with_german, config={})] == [
        "GFMD108", "GFMD108", "GFMD108"]
    table = SummaryTable(tuple(Column(h, (Item("x y"),)) for h in (
        "Übereinstimmungen", "Praktische Empfehlungen", "Offene Fragen")))
    german = summary(language="de", body=(*s.body[:-1], table))
    assert validate(german, plugins=with_german, config={}) == []


def test_every_check_in_the_catalogue_exists():
    import importlib

    from gfmdreport.rules import CATALOGUE

    for rule_id, _, _, where, _ in CATALOGUE:
        module, function = where.split(".")
        check = getattr(importlib.import_module(f"gfmdreport.rules.{module}"),
                        function, None)
        assert callable(check), rule_id


def test_loading_the_rules_plugin_loads_no_check():
    """Commands that validate nothing do not import the checks (nor the Markdown parser)."""
    import subprocess
    import sys

    code = ("import sys; from gfmdreport.hooks.manager import make_plugin_manager; "
            "p = make_plugin_manager(); assert 'GFMD101' in p.registry.rules; "
            "print(sorted(m for m in sys.modules if m.startswith('gfmdreport.rules.') "
            "or 'markdown_it' in m or m == 'gfmdreport.config'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("source", [
    "In opening the session, **Mr. Ola Henrikson** reflected",
    "*one* and **two** and ***three***",
    "a lone * star and 5 * 3",
    "**bold with *nested* italic**",
    "**unclosed bold",
    "snake_case and *emphasis*",
    "[a link](https://example.org) and **bold**",
])
def test_visible_text_matches_the_markdown_parser(source):
    """The fast path for emphasis gives what markdown-it gives."""
    from gfmdreport.inline import plain
    from gfmdreport.rules.common import visible

    assert visible(source) == plain(source)


def test_an_empty_body_is_pointed_at_by_the_header_and_a_body_by_its_ends(plugins):
    """With no block to point at, 'no guiding questions' and 'no closing table' point at
    the header (its title); with blocks, at the first block and at the last."""
    base = (FIXTURES / "base.yaml").read_text()
    head = base.split("body:", 1)[0]
    title = next(i for i, t in enumerate(head.splitlines(), 1) if t.startswith("title:"))
    empty = loads(head + "body: []\n", "yaml", path="s.yaml", plugins=plugins)
    found = {(d.rule, d.location.line) for d in validate(empty, plugins=plugins, config={})}
    assert {("GFMD103", title), ("GFMD106", title)} <= found
    body = ("body:\n  - paragraph: The session opened.\n  - heading: Context\n"
            "  - paragraph: It closed.\n")
    blocks = loads(head + body, "yaml", path="s.yaml", plugins=plugins)
    first = head.count("\n") + 2
    found = {(d.rule, d.location.line) for d in validate(blocks, plugins=plugins, config={})}
    assert {("GFMD103", first), ("GFMD106", first + 2)} <= found


@pytest.mark.parametrize(("name", "text"), [
    ("Ms. Jane Doe", "The session was chaired by Ms. Doe."),
    ("Ms Jane Doe", "Ms Doe opened the floor, and Mrs. Doe agreed."),
    ("H.E. Ms. Jane Doe", "H.E. Ms. Jane Doe opened the floor."),
    ("Sra. Ana Ruiz", "La Sra. Ruiz abrió la sesión."),
])
def test_an_honorific_typed_in_the_name_is_no_misspelling(name, text, plugins):
    """GFMD305 reads the honorific in ``name`` as one, and never reports an honorific."""
    assert spelling(text, plugins, chairs=(Person(name),)) == []


def test_a_misspelt_surname_after_an_honorific_typed_in_the_name(plugins):
    found = spelling("Ms. Dohetry opened the floor.", plugins,
                     chairs=(Person("Ms. Jane Doherty"),))
    assert found == ["'Dohetry' in paragraph 1 looks like a misspelling: the chair is listed "
                     "as Ms. Jane Doherty"]
