"""Proceedings: the manifest, reading the sessions once (in workers too), the collection
rules (each failing and passing), the extend_annex hook, the command and its Markdown and
JSON output. The Word and HTML proceedings have tests of their own."""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt

from gfmdreport import AnnexSection
from gfmdreport import InputError
from gfmdreport import Item
from gfmdreport import hookimpl
from gfmdreport.proceedings.build import compile_proceedings
from gfmdreport.proceedings.build import load_proceedings
from gfmdreport.proceedings.manifest import read_manifest

from conftest import EXAMPLES
from proceedings_support import EVENT
from proceedings_support import generated
from proceedings_support import manifest
from proceedings_support import session

# ---- the manifest ---------------------------------------------------------------------------

def test_the_example_manifest_lists_its_sessions_under_their_parts():
    read = read_manifest(EXAMPLES / "proceedings.yaml")
    assert [(e.part, e.path) for e in read.entries] == [
        ("Day 1: 6 September 2017", "gcm-cluster-3.yaml"),
        ("Day 1: 6 September 2017", "gcm-cluster-4.yaml"),
        ("Day 2: 7 September 2017", "gcm-cluster-6.yaml")]
    assert read.meta["start_date"] == "2017-09-06"
    assert read.meta["end_date"] == "2017-09-07"
    assert len(read.meta["introduction"]) == 2


@pytest.mark.parametrize(("text", "where", "words"), [
    ("title: X\nsesions: [a.yaml]\n", (2, 1), "did you mean 'sessions'"),
    ("title: X\nsessions: []\n", (2, 11), "list of the summaries"),
    ("sessions: [a.yaml]\n", (1, 1), "no 'title'"),
    ("title: X\nnumbering: roman\nsessions: [a.yaml]\n", (2, 12), "continuous"),
    ("title: X\ndates: 2019-13-01\nsessions: [a.yaml]\n", (2, 8), "YYYY-MM-DD"),
    ("title: X\nsessions:\n  - part: P\n    sessions:\n      - part: Q\n"
     "        sessions: [a.yaml]\n", (5, 9), "part inside a part"),
    ("title: X\nsessions:\n  - ~\n", (3, 5), "a session is empty"),
    ("title: X\ntitle: Y\nsessions: [a.yaml]\n", (2, 1), "duplicate key"),
    ("title: X\nsessions: [a.yaml\n", (3, 1), "expected"),
    ("title: X\nsessions:\n  - [a.yaml]\n", (3, 5), "a session is a list"),
])
def test_a_wrong_manifest_is_reported_where_it_is_with_the_fix(tmp_path, text, where, words):
    path = tmp_path / "proceedings.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_manifest(path)
    (found,) = [d for d in caught.value.diagnostics if words in d.message + (d.hint or "")]
    assert (found.location.path, found.location.line, found.location.column) == \
        (str(path), *where)
    assert found.hint


def test_a_missing_session_file_is_reported_at_its_line(tmp_path):
    path = manifest(tmp_path, ["nowhere.yaml"])
    with pytest.raises(InputError) as caught:
        load_proceedings(path)
    (found,) = caught.value.diagnostics
    assert found.rule == "missing-session" and found.location.line == entry_line(path, 0)
    assert "nowhere.yaml" in found.message


# ---- reading once, validating each session -------------------------------------------------

def test_each_session_is_read_once_and_its_findings_name_its_file(tmp_path, monkeypatch):
    from gfmdreport import pipeline

    good = session(tmp_path, "good.yaml", session="A", date="2019-05-14")
    bad = session(tmp_path, "bad.yaml", session="B", date="2019-05-15", venue="",
                  chairs=[])
    path = manifest(tmp_path, [good, bad])
    opened = []
    original = pipeline.read_bytes
    monkeypatch.setattr(pipeline, "read_bytes",
                        lambda p: opened.append(str(p)) or original(p))
    loaded = load_proceedings(path)
    sessions = [p for p in opened if not p.endswith("proceedings.yaml")]
    assert sorted(sessions) == sorted([str(tmp_path / good), str(tmp_path / bad)])
    assert loaded.diagnostics, "the session without a chair is reported"
    assert {d.location.path for d in loaded.diagnostics} == {str(tmp_path / bad)}


def test_worker_processes_give_the_same_proceedings_and_findings(tmp_path):
    path = generated(tmp_path, 10)
    session(tmp_path, "session-03.yaml", session="Roundtable 3", date="2019-05-15",
            chairs=[])  # a finding in one session
    alone = load_proceedings(path, jobs=1)
    together = load_proceedings(path, jobs=2)
    assert together.proceedings == alone.proceedings
    assert together.diagnostics == alone.diagnostics
    assert {d.location.path for d in alone.diagnostics} == {str(tmp_path / "session-03.yaml")}
    assert [c.summary.source for c in together.proceedings.chapters] == \
        [str(tmp_path / f"session-{i:02d}.yaml") for i in range(1, 11)]


def test_an_unreadable_session_stops_the_proceedings_and_says_where(tmp_path):
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    path = manifest(tmp_path, ["broken.yaml"])
    loaded = load_proceedings(path)
    assert loaded.proceedings is None and loaded.unread == 1
    assert loaded.diagnostics[0].location.path == str(tmp_path / "broken.yaml")
    assert loaded.diagnostics[0].location.line


# ---- the collection rules: each failing, then passing ---------------------------------------

def entry_line(path, n: int) -> int:
    """The line of the manifest's ``n``-th session entry."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("sessions:")
    return [i + 1 for i, line in enumerate(lines) if i > start and
            line.lstrip().startswith("- ")][n]


def rules_found(tmp_path, sessions, **keys):
    path = manifest(tmp_path, sessions, **keys)
    loaded = load_proceedings(path)
    lines = {entry_line(path, i): i for i in range(len(sessions))}
    return [(d.rule, lines[d.location.line]) for d in loaded.diagnostics
            if d.rule.startswith("GFMD4")], loaded


def test_gfmd401_a_session_listed_twice(tmp_path):
    a = session(tmp_path, "a.yaml", session="A")
    found, _ = rules_found(tmp_path, [a, "./a.yaml"])
    assert found == [("GFMD401", 1)]


def test_gfmd401_the_same_session_in_two_files(tmp_path):
    a = session(tmp_path, "a.yaml", session="A")
    b = session(tmp_path, "copy-of-a.yaml", session="A")
    found, _ = rules_found(tmp_path, [a, b])
    assert found == [("GFMD401", 1)]


def test_gfmd401_passes_for_different_sessions(tmp_path):
    a = session(tmp_path, "a.yaml", session="A")
    b = session(tmp_path, "b.yaml", session="B")
    assert rules_found(tmp_path, [a, b])[0] == []


def test_gfmd402_another_events_title(tmp_path):
    a = session(tmp_path, "a.yaml", session="A", title="Another workshop")
    found, loaded = rules_found(tmp_path, [a])
    assert found == [("GFMD402", 0)]
    assert "Another workshop" in loaded.diagnostics[-1].message


def test_gfmd402_a_date_outside_the_events(tmp_path):
    a = session(tmp_path, "a.yaml", session="A", date="2019-06-01")
    found, loaded = rules_found(tmp_path, [a])
    assert found == [("GFMD402", 0)]
    assert "2019-06-01" in next(d for d in loaded.diagnostics if d.rule == "GFMD402").message


def test_gfmd402_passes_with_the_same_title_written_otherwise(tmp_path):
    a = session(tmp_path, "a.yaml", session="A", title="  " + EVENT.upper() + " ",
                date="2019-05-16")
    assert rules_found(tmp_path, [a])[0] == []


def test_gfmd403_sessions_out_of_date_order(tmp_path):
    a = session(tmp_path, "a.yaml", session="A", date="2019-05-15")
    b = session(tmp_path, "b.yaml", session="B", date="2019-05-14")
    assert rules_found(tmp_path, [a, b])[0] == [("GFMD403", 1)]


def test_gfmd403_same_day_out_of_time_order(tmp_path):
    a = session(tmp_path, "a.yaml", session="A", start_time="14:00", end_time="15:00")
    b = session(tmp_path, "b.yaml", session="B", start_time="09:00", end_time="10:00")
    assert rules_found(tmp_path, [a, b])[0] == [("GFMD403", 1)]


def test_gfmd403_passes_in_the_agendas_order(tmp_path):
    a = session(tmp_path, "a.yaml", session="A", start_time="09:00", end_time="10:00")
    b = session(tmp_path, "b.yaml", session="B", start_time="14:00", end_time="15:00")
    c = session(tmp_path, "c.yaml", session="C", date="2019-05-15")
    assert rules_found(tmp_path, [a, b, c])[0] == []


def test_gfmd404_a_session_in_another_language(tmp_path):
    a = session(tmp_path, "a.yaml", session="A")
    b = session(tmp_path, "b.yaml", session="B", language="fr", title=EVENT)
    assert rules_found(tmp_path, [a, b])[0] == [("GFMD404", 1)]


def test_gfmd404_passes_when_the_manifest_says_the_language(tmp_path):
    b = session(tmp_path, "b.yaml", session="B", language="fr", title=EVENT)
    assert rules_found(tmp_path, [b], language="fr")[0] == []


# ---- the hook ------------------------------------------------------------------------------

class Governments:
    @hookimpl
    def extend_annex(self, proceedings):
        names = sorted({p.organization for s in proceedings.summaries for p in s.chairs})
        return AnnexSection("Participating governments",
                            items=tuple(Item(n) for n in names))


def test_hook_extend_annex(tmp_path, gfmd_plugins):
    path = generated(tmp_path, 3)
    plugins = gfmd_plugins(("governments", Governments()))
    loaded = load_proceedings(path, plugins=plugins)
    data = json.loads(compile_proceedings(loaded.proceedings, "json", plugins=plugins).data)
    (section,) = data["annexes"]
    assert section["title"] == "Participating governments"
    assert section["plugin"] == "governments"
    assert section["items"] == ["Government 0", "Government 1", "Government 2"]
    markdown = compile_proceedings(loaded.proceedings, "md", plugins=plugins).data.decode()
    assert markdown.index("### Participating governments") > markdown.index("## Annex")


def test_a_failing_annex_plugin_is_named(tmp_path, gfmd_plugins):
    from gfmdreport import PluginError

    class Broken:
        @hookimpl
        def extend_annex(self):
            raise RuntimeError("no list today")

    plugins = gfmd_plugins(("broken", Broken()))
    loaded = load_proceedings(generated(tmp_path, 1), plugins=plugins)
    with pytest.raises(PluginError, match=r"broken.*extend_annex.*no list today"):
        compile_proceedings(loaded.proceedings, "md", plugins=plugins)


# ---- the consolidated annex and the index in the data ----------------------------------------

def test_json_proceedings_trace_every_annex_item_to_its_session(tmp_path):
    loaded = load_proceedings(generated(tmp_path, 4))
    data = json.loads(compile_proceedings(loaded.proceedings, "json").data)
    assert [s["summary"]["session"] for s in data["sessions"]] == \
        [f"Roundtable {i}: theme {i}" for i in range(1, 5)]
    tables = {t["heading"]: t["items"] for t in data["annex"]}
    assert list(tables) == ["Points of Convergence", "Practical Recommendations",
                            "Challenges / Issues for further discussion"]
    for entry in tables["Practical Recommendations"]:
        assert entry["item"].endswith(str(entry["chapter"])), entry
    assert len(tables["Practical Recommendations"]) == 8
    shared = [e for e in data["index"] if e["person"]["name"] == "Rapporteur Shared"]
    assert shared[0]["reported"] == [1, 2, 3, 4]


def test_headings_written_otherwise_share_a_table(tmp_path):
    a = session(tmp_path, "a.yaml", session="A", table={"Points of  convergence": ["x"]})
    b = session(tmp_path, "b.yaml", session="B", table={"**Points of Convergence**": ["y"]})
    loaded = load_proceedings(manifest(tmp_path, [a, b]))
    (table,) = loaded.proceedings.annex_tables()
    assert [(e.item.text, e.chapter) for e in table.entries] == [("x", 1), ("y", 2)]


# ---- the command, and Markdown ----------------------------------------------------------------

def test_compile_the_examples_to_markdown(gfmd_cli, tmp_path):
    out = tmp_path / "proceedings.md"
    result = gfmd_cli("compile", str(EXAMPLES / "proceedings.yaml"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens)
                if t.type == "heading_open" and t.tag == "h2"]
    assert headings[:3] == ["Contents", "Foreword", "Introduction"]
    assert headings[3].startswith("1. GCM Cluster 3")
    assert headings[5].startswith("3. GCM Cluster 6") and headings[-1] == "Annex"
    assert "remittances are private funds that policies should facilitate, not direct " \
           "*(Session 2)*" in text


@pytest.mark.parametrize(("numbering", "first_of_second"), [
    ("restart", "1. Session 2 opened"), ("continuous", "4. Session 2 opened"),
    ("prefixed", "2.1. Session 2 opened")])
def test_markdown_numbering(tmp_path, numbering, first_of_second):
    loaded = load_proceedings(generated(tmp_path, 2), numbering=numbering)
    text = compile_proceedings(loaded.proceedings, "md").data.decode()
    assert first_of_second in text


@pytest.mark.parametrize("numbering", ["restart", "continuous", "prefixed"])
def test_markdown_lettered_items_are_list_items_under_every_numbering(numbering):
    """What a Markdown reader makes of the example's lettered items: list items holding
    "a) …", never a code block (an item indented after a "2.5." paragraph would be)."""
    loaded = load_proceedings(EXAMPLES / "proceedings.yaml", numbering=numbering)
    text = compile_proceedings(loaded.proceedings, "md").data.decode()
    tokens = MarkdownIt("commonmark").parse(text)
    assert not [t for t in tokens if t.type in ("code_block", "fence")]
    items = [tokens[i + 2].content for i, t in enumerate(tokens)
             if t.type == "list_item_open" and tokens[i + 2].type == "inline"]
    lettered = [c for c in items if re.match(r"[a-z]\) ", c)]
    assert lettered[:2] == [
        "a) Policy and institutional coherence can be enhanced through mainstreaming "
        "migration, a whole-of-government approach, robust monitoring mechanisms and "
        "regional partnerships;",
        "b) Multi-stakeholder involvement should be fostered through the participation of "
        "local governments and clarification of the respective roles and responsibilities "
        "of different stakeholders;"]


def test_compile_refuses_errors_and_writes_nothing(gfmd_cli, tmp_path):
    a = session(tmp_path, "a.yaml", session="A")
    path = manifest(tmp_path, [a, a])
    out = tmp_path / "out.md"
    result = gfmd_cli("compile", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert f"{path}:{entry_line(path, 1)}:3: error[GFMD401]" in result.stderr
    assert "not compiled" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    assert gfmd_cli("compile", str(path), "-o", str(out), "--no-validate").exit_code == 0


def test_compile_refuses_a_format_without_proceedings(gfmd_cli, tmp_path):
    result = gfmd_cli("compile", str(EXAMPLES / "proceedings.yaml"), "-t", "yaml")
    assert result.exit_code == 2
    assert "does not write proceedings" in result.stderr and "docx" in result.stderr


def test_compile_a_broken_manifest_says_where(gfmd_cli, tmp_path):
    path = tmp_path / "proceedings.yaml"
    path.write_text("title: X\nsessions: [a.yaml\n", encoding="utf-8")
    result = gfmd_cli("compile", str(path), "-t", "md")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:") and "Traceback" not in result.stderr


# ---- the JSON Schema ---------------------------------------------------------------------

def test_the_schema_file_is_the_schema_and_accepts_the_example():
    import jsonschema
    import yaml

    from gfmdreport.proceedings.schema import manifest_schema

    from conftest import ROOT

    shipped = json.loads((ROOT / "docs" / "proceedings.schema.json").read_text("utf-8"))
    assert shipped == manifest_schema()
    example = yaml.safe_load((EXAMPLES / "proceedings.yaml").read_text("utf-8"))
    example["dates"] = [str(d) for d in example["dates"]]
    jsonschema.validate(example, shipped)


@pytest.mark.parametrize("text", [
    "title: X\nsesions: [a.yaml]\n", "title: X\nsessions: []\n",
    "title: X\nnumbering: roman\nsessions: [a.yaml]\n",
    "title: X\nsessions:\n  - part: P\n    sessions:\n      - part: Q\n"
    "        sessions: [a.yaml]\n"])
def test_the_schema_and_the_reader_refuse_the_same_manifests(tmp_path, text):
    import jsonschema
    import yaml

    from gfmdreport.proceedings.schema import manifest_schema

    path = tmp_path / "proceedings.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        read_manifest(path)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(text), manifest_schema())


def test_docs_describe_each_collection_rule():
    from test_rules import doc_sections

    from gfmdreport.proceedings.rules import CATALOGUE

    sections = {k: v for k, v in doc_sections().items() if k.startswith("GFMD4")}
    assert sorted(sections) == [r.id for r in CATALOGUE]
    for rule in CATALOGUE:
        name, text = sections[rule.id]
        assert name == rule.name
        assert text.lstrip().startswith(f"**{rule.severity.value}**")
        assert "Fails" in text and "Passes" in text


def test_batch_takes_a_manifest_as_its_sessions(gfmd_cli, tmp_path):
    path = generated(tmp_path, 3)
    out = tmp_path / "out"
    result = gfmd_cli("batch", str(path), "-o", str(out), "-t", "md", "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        ["session-01.md", "session-02.md", "session-03.md"]
