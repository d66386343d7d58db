"""The HTML writer: structure checked with a strict HTML5 parser, numbering, metadata,
languages, the --fragment, --css and --template options, and the command line."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import re
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

from gfmdreport import Heading
from gfmdreport import InputError
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Question
from gfmdreport import SessionSummary
from gfmdreport import SummaryTable
from gfmdreport import UsageError
from gfmdreport import loads
from gfmdreport import render
from gfmdreport.cli import build_cli
from gfmdreport.model import Column
from gfmdreport.model import Person

from conftest import EXAMPLE_YAML
from conftest import UPDATE_GOLDEN

HERE = Path(__file__).parent
GOLDEN = HERE / "html" / "gcm-cluster-3.fragment.html"


def parse(data: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


@pytest.fixture(scope="module")
def page(example):
    return parse(render(example, "html"))


# ---- structure ------------------------------------------------------------------------------

def test_page_is_html5_with_language_and_metadata(page, example):
    assert page.tag == "html" and page.get("lang") == "en"
    head = page.find("head")
    assert head[0].tag == "meta" and head[0].get("charset") == "utf-8"
    metas = {m.get("name"): m.get("content") for m in head.iter("meta") if m.get("name")}
    assert metas["author"] == "Dr. Steffen Angenendt, Ms. Michelle Klein-Solomon"
    assert metas["date"] == "2017-09-06"
    assert metas["description"].startswith(
        "GFMD Thematic Workshop on GFMD's contribution to the GCM — GCM Cluster 3: ")
    assert metas["description"].endswith("— 6 September 2017, 10:30–12:30")
    assert head.find("title").text.startswith("GCM Cluster 3: International cooperation")


def test_header_has_title_session_when_and_people(page):
    header = page.find("body/main/article/header")
    # the event is part of the page's one h1, so heading navigation meets it; a dash
    # (shown only without the stylesheet) parts it from the session when read out
    (h1,) = header.findall("h1")
    assert h1.find("span[@class='event']").text == \
        "GFMD Thematic Workshop on GFMD's contribution to the GCM"
    assert h1.find("span[@class='title-sep']").text == " — "
    assert h1.find("span[@class='session']").text.startswith(
        "GCM Cluster 3: International cooperation")
    assert "".join(h1.itertext()).startswith(
        "GFMD Thematic Workshop on GFMD's contribution to the GCM — GCM Cluster 3: ")
    assert header.find("p[@class='event']") is None
    # date and times are time elements; venue and times are parted by a comma that is
    # read out (no aria-hidden text in the line)
    when = header.find("p[@class='when']")
    assert [(t.get("datetime"), t.text) for t in when.iter("time")] == [
        ("2017-09-06", "6 September 2017"), ("2017-09-06T10:30", "10:30"),
        ("2017-09-06T12:30", "12:30")]
    assert "".join(when.itertext()) == \
        "6 September 2017, 10:30–12:30, Hotel Savoyen – Mancini 3b"
    assert not [e for e in when.iter() if e.get("aria-hidden")]
    groups = [[text(c) for c in div] for div in header.find("dl")]
    assert groups == [
        ["Chair", "Mr. Ola Henrikson, Director General for Migration and Asylum, "
                  "Swedish Ministry of Justice"],
        ["Rapporteurs", "Dr. Steffen Angenendt, GCM rapporteur, Stiftung Wissenschaft und "
                        "Politik",
         "Ms. Michelle Klein-Solomon, Director of the Migration Policy and Research "
         "Department, IOM"],
    ]


def numbers(article) -> list[int]:
    """The number each paragraph gets from its list's ``start`` attribute."""
    out = []
    for ol in article.findall("ol[@class='paragraphs']"):
        start = int(ol.get("start", "1"))
        out.extend(range(start, start + len(ol.findall("li"))))
    return out


def test_paragraphs_are_numbered_continuously_across_headings_and_questions(page):
    article = page.find("body/main/article")
    kinds = [el.tag + ("." + el.get("class") if el.get("class") else "") for el in article]
    assert kinds == ["header.summary-header", "ol.paragraphs", "h2", "ol.paragraphs",
                     "section.question", "section.question", "section.question",
                     "ol.paragraphs", "div.table-wrap"]
    assert [ol.get("start") for ol in article.findall("ol")] == [None, "3", "5"]
    assert numbers(article) == [1, 2, 3, 4, 5]
    ids = [li.get("id") for li in article.findall("ol/li")]
    assert ids == [f"gfmd-para-{n}" for n in range(1, 6)]


def test_lettered_sub_list_and_inline_markup(page):
    paras = page.findall("body/main/article/ol[@class='paragraphs']/li")
    letters = paras[2].find("ol")
    assert letters.get("type") == "a" and letters.get("class") == "letters"
    assert len(letters.findall("li")) == 4
    assert text(letters[3]).startswith("The topic of return and reintegration")
    assert paras[1].find("strong").text == "Mr. Ola Henrikson"


def test_headings_and_questions(page):
    article = page.find("body/main/article")
    h2 = [text(h) for h in article.iter("h2")]
    assert h2[0] == "Overview on the GFMD Report's Chapter on GCM Cluster 3"
    assert [h.split(":")[0] for h in h2[1:]] == ["Question 1", "Question 2", "Question 3"]
    assert h2[1].startswith("Question 1: How can the GCM facilitate")
    for n, section in enumerate(article.findall("section"), 1):
        # each question is a region named by its short label, not its whole text
        (label,) = [e for e in section.iter() if e.get("id") == section.get("aria-labelledby")]
        assert label.text == f"Question {n}:"
        assert label.get("class") == "question-label" and label in section.find("h2")
    takeaways = [len(s.findall("ul[@class='takeaways']/li")) for s in
                 article.findall("section")]
    assert takeaways == [3, 4, 2]


def test_closing_table_is_a_real_table(page):
    table = page.find(".//table")
    assert table.find("caption").text == "Summary table"
    ths = table.findall("thead/tr/th")
    assert [th.get("scope") for th in ths] == ["col"] * 3
    assert [text(th) for th in ths] == ["Points of Convergence", "Practical Recommendations",
                                        "Challenges / Issues for further discussion"]
    cells = table.findall("tbody/tr/td")
    assert [len(td.findall("ul/li")) for td in cells] == [2, 1, 2]
    assert [td.get("data-label") for td in cells] == [text(th) for th in ths]
    assert "keep-together" in table.get("class")  # short: printed on one page


def test_a_long_table_may_break_across_pages():
    long_items = tuple(Item("an item long enough to take two printed lines of a column")
                       for _ in range(30))
    summary = SessionSummary(title="t", body=(SummaryTable((Column("A", long_items),)),))
    table = parse(render(summary, "html")).find(".//table")
    assert "keep-together" not in table.get("class")


def test_numbering_runs_through_any_arrangement_of_blocks():
    summary = SessionSummary(title="T", body=(
        Heading("Opening"), Paragraph("one"), Question(1, "q?", (Item("t"),)),
        Paragraph("two"), Paragraph("three"), Heading("Later"), Paragraph("four"),
        SummaryTable((Column("A", (Item("x"),)),)), Paragraph("five")))
    article = parse(render(summary, "html")).find("body/main/article")
    assert numbers(article) == [1, 2, 3, 4, 5]
    assert [ol.get("start") for ol in article.findall("ol")] == [None, "2", "4", "5"]


def test_no_empty_heading_without_title_or_session():
    root = parse(render(SessionSummary(venue="Geneva"), "html"))
    assert root.find(".//h1") is None
    assert root.find("head/title").text == "Summary"


def test_empty_parts_are_left_out():
    summary = SessionSummary(title="Only a title", body=(SummaryTable(()),))
    root = parse(render(summary, "html"))
    article = root.find("body/main/article")
    assert [el.tag for el in article] == ["header"]
    assert text(article.find("header/h1")) == "Only a title"
    assert article.find("header/p") is None and article.find("header/dl") is None
    names = {m.get("name") for m in root.iter("meta")}
    assert "date" not in names and "author" not in names


def test_golden_fragment(example):
    """The fragment of the example session, byte for byte (regenerate with
    GFMDREPORT_UPDATE_GOLDEN=1 after a deliberate change, and look at the diff)."""
    data = render(example, "html", fragment=True)
    if UPDATE_GOLDEN:
        GOLDEN.write_bytes(data)
    assert data.decode("utf-8") == GOLDEN.read_text(encoding="utf-8")


# ---- languages and dates --------------------------------------------------------------------

@pytest.mark.parametrize(("language", "date", "when", "question", "chair", "caption"), [
    ("en", "2017-09-01", "1 September 2017, 10:30–12:30", "Question 1:", "Chair",
     "Summary table"),
    ("fr", "2017-09-01", "1er septembre 2017, 10\xa0h\xa030 – 12\xa0h\xa030", "Question 1\xa0:",
     "Présidence", "Tableau récapitulatif"),
    ("fr", "2017-09-06", "6 septembre 2017, 10\xa0h\xa030 – 12\xa0h\xa030", "Question 1\xa0:",
     "Présidence", "Tableau récapitulatif"),
    ("es", "2017-09-06", "6 de septiembre de 2017, 10:30–12:30", "Pregunta 1:", "Presidencia",
     "Cuadro resumen"),
])
def test_localized_labels_and_dates(example, language, date, when, question, chair, caption):
    summary = dataclasses.replace(example, language=language, date=date)
    root = parse(render(summary, "html"))
    assert root.get("lang") == language
    assert "".join(root.find(".//p[@class='when']").itertext()).startswith(when)
    assert root.find(".//span[@class='question-label']").text == question
    assert root.find(".//dt").text == chair
    assert root.find(".//caption").text == caption


def test_page_footer_counts_pages_in_the_summary_language(example):
    css = {lang: parse(render(dataclasses.replace(example, language=lang), "html"))
           .find("head/style").text for lang in ("en", "fr", "es")}
    assert 'content: "Page " counter(page) " of " counter(pages);' in css["en"]
    assert 'content: "Page " counter(page) " sur " counter(pages);' in css["fr"]
    assert 'content: "P\u00e1gina " counter(page) " de " counter(pages);' in css["es"]


def test_regional_language_tag_and_unknown_language():
    root = parse(render(SessionSummary(title="T", language="fr-CH", date="2017-09-06"),
                        "html"))
    assert root.get("lang") == "fr-CH"
    assert root.find(".//time").text == "6 septembre 2017"
    root = parse(render(SessionSummary(title="T", language="de", date="2017-09-06"), "html"))
    assert root.get("lang") == "de" and root.find(".//time").text == "6 September 2017"


def test_impossible_date_is_printed_as_written_without_time_element():
    root = parse(render(SessionSummary(title="T", date="2017-02-30", start_time="10:30"),
                        "html"))
    assert [(t.get("datetime"), t.text) for t in root.iter("time")] == [("10:30", "10:30")]
    assert text(root.find(".//p[@class='when']")) == "2017-02-30, 10:30"


def test_times_that_are_not_hh_mm_are_printed_as_written():
    root = parse(render(SessionSummary(session="S", start_time="9h", end_time="12:00",
                                       language="fr", venue="V"), "html"))
    when = root.find(".//p[@class='when']")
    assert [(t.get("datetime"), t.text) for t in when.iter("time")] == [
        ("12:00", "12\xa0h\xa000")]
    assert "".join(when.itertext()) == "9h – 12\xa0h\xa000, V"


# ---- --fragment ---------------------------------------------------------------------------------

def test_fragment_is_the_article_alone(example):
    data = render(example, "html", fragment=True).decode("utf-8")
    assert data.startswith('<article class="gfmd-summary" lang="en">')
    assert data.rstrip().endswith("</article>")
    root = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(data)
    article = root[0]
    assert len(root) == 1 and numbers(article) == [1, 2, 3, 4, 5]
    for tag in ("html", "head", "body", "style", "meta", "main"):
        assert not re.search(f"<{tag}[ >]", data), tag


def test_fragment_refuses_css(tmp_path, example):
    css = tmp_path / "x.css"
    css.write_text("p { color: red }")
    with pytest.raises(UsageError, match="--css does not apply to --fragment"):
        render(example, "html", fragment=True, css=str(css))


# ---- --css --------------------------------------------------------------------------------------

def csp_style_hash(root) -> tuple[str, str]:
    policy = next(m.get("content") for m in root.iter("meta") if m.get("http-equiv"))
    declared = re.search(r"style-src 'sha256-([^']+)'", policy).group(1)
    style = root.find("head/style").text
    actual = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return declared, actual


def test_policy_forbids_scripts_and_allows_exactly_the_embedded_style(page):
    policy = next(m.get("content") for m in page.iter("meta") if m.get("http-equiv"))
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert "unsafe-inline" not in policy
    declared, actual = csp_style_hash(page)
    assert declared == actual


def test_css_is_added_after_the_default(tmp_path, example):
    css = tmp_path / "house.css"
    css.write_text("h1 { color: #004b87; }\n", encoding="utf-8")
    root = parse(render(example, "html", css=str(css)))
    style = root.find("head/style").text
    assert "--table-head-bg" in style
    assert style.index("--table-head-bg") < style.index("h1 { color: #004b87; }")
    declared, actual = csp_style_hash(root)
    assert declared == actual


def test_css_replaces_the_default(tmp_path, example):
    css = tmp_path / "house.css"
    css.write_text("body { font-family: serif; }", encoding="utf-8")
    root = parse(render(example, "html", css=str(css), css_mode="replace"))
    style = root.find("head/style").text
    assert style.strip() == "body { font-family: serif; }"
    declared, actual = csp_style_hash(root)
    assert declared == actual


def test_css_that_would_end_the_style_element_is_refused(tmp_path, example):
    css = tmp_path / "bad.css"
    css.write_text("p { color: red }\nh1 { }</style><script>alert(1)</script>")
    with pytest.raises(InputError) as info:
        render(example, "html", css=str(css))
    (diag,) = info.value.diagnostics
    assert str(diag).startswith(f"{css}:2:7: error[css]: '</style'")


def test_css_file_problems_are_located(tmp_path, example):
    with pytest.raises(InputError, match="no such file"):
        render(example, "html", css=str(tmp_path / "missing.css"))
    bad = tmp_path / "latin1.css"
    bad.write_bytes(b"p {\n  content: '\xe9';\n}\n")
    with pytest.raises(InputError) as info:
        render(example, "html", css=str(bad))
    assert str(info.value.diagnostics[0]).startswith(f"{bad}:2:13: error[encoding]")


def test_css_mode_replace_needs_a_stylesheet(example):
    with pytest.raises(UsageError, match="needs a stylesheet"):
        render(example, "html", css_mode="replace")


# ---- --template -----------------------------------------------------------------------------

def write(path: Path, body: str) -> str:
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_user_template_receives_model_labels_and_filters(tmp_path, example):
    tpl = write(tmp_path / "page.html.j2", """\
<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ summary.title }}</title></head>
<body><h1>{{ summary.session }}</h1><p>{{ date_text }}</p>
{% for part in parts if part.kind == "paragraphs" %}
<ol start="{{ part.start }}">
{%- for n, p in part.paragraphs %}<li>{{ p | inline }}</li>{% endfor -%}
</ol>
{% endfor %}
<p id="q">{{ labels.question }} {{ summary.questions | length }}</p>
<p id="c">{{ summary.chairs[0] | person }}</p>
</body></html>
""")
    root = parse(render(example, "html", template=tpl))
    assert root.find("head/title").text == example.title
    assert [ol.get("start") for ol in root.iter("ol")] == ["1", "3", "5"]
    assert root.find(".//strong").text == "Mr. Ola Henrikson"
    assert root.find(".//p[@id='q']").text == "Question 3"
    assert text(root.find(".//p[@id='c']")).startswith("Mr. Ola Henrikson, Director")


def test_user_template_is_autoescaped(tmp_path):
    tpl = write(tmp_path / "t.html.j2", "<p>{{ summary.title }}</p>")
    data = render(SessionSummary(title="<script>alert(1)</script>"), "html", template=tpl)
    assert data.decode() == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_user_template_extends_the_builtin_page(tmp_path, example):
    tpl = write(tmp_path / "house.html.j2", """\
{% extends "gfmdreport/page.html.j2" %}
{% block summary %}<p class="banner">Draft</p>
{{ super() }}{% endblock %}
""")
    root = parse(render(example, "html", template=tpl))
    main = root.find("body/main")
    assert [el.tag for el in main] == ["p", "article"]
    assert numbers(main.find("article")) == [1, 2, 3, 4, 5]


def test_user_template_includes_its_neighbours(tmp_path, example):
    write(tmp_path / "part.j2", "<b>{{ summary.venue }}</b>")
    tpl = write(tmp_path / "page.j2", "{% include 'part.j2' %}")
    assert render(example, "html", template=tpl).decode() == \
        "<b>Hotel Savoyen – Mancini 3b</b>\n"


def test_user_template_is_reloaded_when_it_changes(tmp_path, example):
    tpl = tmp_path / "t.j2"
    write(tpl, "one")
    assert render(example, "html", template=str(tpl)) == b"one\n"
    write(tpl, "two")
    os.utime(tpl, (1_000_000_000, 1_000_000_000))
    assert render(example, "html", template=str(tpl)) == b"two\n"


@pytest.mark.parametrize(("body", "line", "rule", "message"), [
    ("<p>\n{% for x in parts %}\n{{ x }\n{% endfor %}", 3, "template-syntax", "unexpected '}'"),
    ("<p>\n{% if summary.title %}\n{% endfor %}\n", 3, "template-syntax",
     "Encountered unknown tag 'endfor'"),
    ("<p>\n\n{{ summary.titel }}</p>", 3, "template-error",
     "'gfmdreport.model.SessionSummary object' has no attribute 'titel'"),
    ("a\n{{ nothing_here }}", 2, "template-error", "'nothing_here' is undefined"),
    ("a\nb\n{{ summary.__class__.__mro__ }}", 3, "template-error",
     "access to attribute '__class__' of 'SessionSummary' object is unsafe"),
    ("{{ summary.to_dict.__globals__ }}", 1, "template-error", "__globals__"),
    ("a\n{% include 'missing.j2' %}", 2, "template-error",
     "template 'missing.j2' not found"),
    ("a\n{{ 1 / 0 }}", 2, "template-error", "division by zero"),
])
def test_template_errors_name_the_file_and_line(tmp_path, example, body, line, rule,
                                                 message):
    tpl = write(tmp_path / "bad.html.j2", body)
    with pytest.raises(InputError) as info:
        render(example, "html", template=tpl)
    (diag,) = info.value.diagnostics
    assert (diag.location.path, diag.location.line, diag.rule) == (tpl, line, rule)
    assert message in diag.message
    assert diag.hint


def test_template_error_inside_an_included_file_names_that_file(tmp_path, example):
    inner = write(tmp_path / "inner.j2", "ok\n{{ summary.nope }}")
    tpl = write(tmp_path / "outer.j2", "{% include 'inner.j2' %}")
    with pytest.raises(InputError) as info:
        render(example, "html", template=tpl)
    loc = info.value.diagnostics[0].location
    assert (loc.path, loc.line) == (inner, 2)


def test_missing_template_file(tmp_path, example):
    with pytest.raises(InputError, match="no such file"):
        render(example, "html", template=str(tmp_path / "nope.j2"))


def test_relative_template_path_is_reported_as_given(tmp_path, example, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "rel.j2", "x\n{{ undefined_name }}")
    with pytest.raises(InputError) as info:
        render(example, "html", template="rel.j2")
    assert str(info.value.diagnostics[0]).startswith("rel.j2:2:1: error[template-error]")


# ---- the command line -----------------------------------------------------------------------

def test_cli_renders_a_file(tmp_path, plugins):
    out = tmp_path / "out.html"
    result = CliRunner().invoke(build_cli(plugins), ["render", str(EXAMPLE_YAML), "-o",
                                                     str(out)])
    assert result.exit_code == 0, result.output
    assert numbers(parse(out.read_bytes()).find("body/main/article")) == [1, 2, 3, 4, 5]


def test_cli_template_error_is_one_line_and_writes_nothing(tmp_path, plugins):
    tpl = write(tmp_path / "bad.j2", "<p>\n{{ summary.nope }}")
    out = tmp_path / "out.html"
    result = CliRunner().invoke(build_cli(plugins), [
        "render", str(EXAMPLE_YAML), "-t", "html", "--template", tpl, "-o", str(out)])
    assert result.exit_code == 1
    assert f"{tpl}:2:1: error[template-error]:" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "bad.j2"]


def test_cli_prints_unsafe_link_warnings_and_still_renders(tmp_path, plugins):
    notes = tmp_path / "notes.yaml"
    notes.write_text("title: T\nbody:\n  - paragraph: see [x](ftp://example.org/a)\n")
    out = tmp_path / "out.html"
    result = CliRunner().invoke(build_cli(plugins), ["render", str(notes), "--no-validate",
                                                     "-o", str(out)])
    assert result.exit_code == 0
    assert f"{notes}:3:5: warning[unsafe-link]: link to 'ftp://example.org/a' dropped" \
        in result.output
    assert "ftp:" not in out.read_text()


def test_options_are_offered_on_the_command_line(plugins):
    result = CliRunner().invoke(build_cli(plugins), ["render", "--help"])
    for option in ("--template FILE", "--css FILE", "--css-mode", "--fragment"):
        assert option in result.output


def test_writer_is_registered_by_its_plugin(plugins):
    writer = plugins.registry.writer("html")
    assert (writer.suffix, writer.media_type, writer.plugin) == (".html", "text/html", "html")
    assert [o.name for o in writer.options] == ["template", "css", "css-mode", "fragment"]


def test_plugin_module_is_light():
    import subprocess
    import sys

    code = ("import sys, gfmdreport.formats.html.writer; "
            "print(sorted(m for m in ('jinja2', 'markupsafe', 'gfmdreport.formats.html.page') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_people_labels_follow_their_number():
    one = SessionSummary(title="T", chairs=(Person("A"),), rapporteurs=(Person("B"),))
    two = dataclasses.replace(one, chairs=(Person("A"), Person("C")))
    assert [dt.text for dt in parse(render(one, "html")).iter("dt")] == ["Chair", "Rapporteur"]
    assert [dt.text for dt in parse(render(two, "html")).iter("dt")] == ["Co-Chairs",
                                                                        "Rapporteur"]


def test_loads_from_yaml_keeps_locations_for_warnings():
    summary = loads("title: T\nbody:\n  - heading: see [x](r.pdf)\n", "yaml", path="n.yaml")
    from gfmdreport.pipeline import render_report

    (diag,) = render_report(summary, "html").diagnostics
    assert str(diag).startswith("n.yaml:3:5: warning[unsafe-link]")
