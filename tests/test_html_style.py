"""The default stylesheet: WCAG 2.2 AA contrast for every colour pair it sets (light and
dark schemes, print footer), and the print and narrow-screen rules the page relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gfmdreport.formats.html.page import default_css
from gfmdreport.formats.html.page import page_css

CSS = default_css()
TEXT_AA = 4.5  # WCAG 2.2 SC 1.4.3, normal-size text
NON_TEXT_AA = 3.0  # SC 1.4.11: table rules, focus ring


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#595959", "#ffffff") == pytest.approx(7.0, abs=0.01)


def strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def palette(scheme: str) -> dict[str, str]:
    """The custom properties of the light scheme, or of the dark one (light overridden)."""
    css = strip_comments(CSS)
    blocks = re.findall(r":root\s*\{([^{}]*)\}", css)
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", blocks[0]))
    if scheme == "dark":
        colours.update(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", blocks[1]))
    return colours


def declared_pairs() -> set[tuple[str, str]]:
    """Each (foreground, background) custom-property pair a rule sets: a rule's colour on
    its own background, or on the page background when it sets none."""
    pairs = set()
    for body in re.findall(r"\{([^{}]*)\}", strip_comments(CSS)):
        colour = re.search(r"(?<![-\w])color:\s*var\(--([\w-]+)\)", body)
        background = re.search(r"background(?:-color)?:\s*var\(--([\w-]+)\)", body)
        if colour:
            pairs.add((colour.group(1), background.group(1) if background else "bg"))
    return pairs


def test_the_stylesheet_has_two_schemes_and_colours_only_from_them():
    assert set(palette("light")) == set(palette("dark"))
    body = re.sub(r":root\s*\{[^{}]*\}", "", strip_comments(CSS))
    assert not re.findall(r"#[0-9a-fA-F]{3,6}\b", body)  # no stray literal colours


def test_declared_pairs_are_found():
    pairs = declared_pairs()
    assert ("text", "bg") in pairs and ("table-head-text", "table-head-bg") in pairs
    assert ("accent", "bg") in pairs and ("muted", "bg") in pairs and ("link", "bg") in pairs


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_meet_aa(scheme):
    colours = palette(scheme)
    pairs = declared_pairs() | {
        ("text", "code-bg"),  # code spans
        ("link", "table-head-bg"), ("accent", "table-head-bg"),  # markup inside headings
        ("text", "table-head-bg"),
    }
    failures = {(fg, bg): round(contrast(colours[fg], colours[bg]), 2) for fg, bg in pairs
                if contrast(colours[fg], colours[bg]) < TEXT_AA}
    assert not failures, f"{scheme} scheme below {TEXT_AA}:1: {failures}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_rules_and_focus_ring_meet_non_text_aa(scheme):
    colours = palette(scheme)
    for fg, bg in [("rule", "bg"), ("rule", "table-head-bg"), ("focus", "bg"),
                   ("accent", "bg")]:
        assert contrast(colours[fg], colours[bg]) >= NON_TEXT_AA, (scheme, fg, bg)


def test_printed_footer_colour_meets_aa():
    footer = re.search(r"@bottom-center\s*\{[^}]*color:\s*(#[0-9a-fA-F]{6})", page_css("en"))
    assert contrast(footer.group(1), "#ffffff") >= TEXT_AA


def test_print_rules():
    css = strip_comments(CSS)
    assert re.search(r"@page\s*\{\s*size:\s*A4;", css)
    print_css = css[css.index("@media print"):]
    assert re.search(r"\.summary-table thead\s*\{\s*display:\s*table-header-group", print_css)
    avoided = {selector.strip() for group in re.findall(
        r"([^{}]*)\{\s*break-inside:\s*avoid;", print_css) for selector in group.split(",")}
    for selector in ("h1", "h2", "ul.takeaways > li", ".summary-table.keep-together tr",
                     ".summary-table li"):
        assert selector in avoided
    # the dark scheme is for screens only: print is always dark on white
    assert "@media screen and (prefers-color-scheme: dark)" in css


def test_the_printed_margins_are_those_the_guide_gives():
    guide = (Path(__file__).parent.parent / "docs" / "html.md").read_text(encoding="utf-8")
    said = re.search(r"A4 with (\d+) mm margins \((\d+) mm at the bottom", guide)
    assert said, "docs/html.md no longer says what the printed margins are"
    margin = re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*([^;]+);", strip_comments(CSS))
    assert margin.group(1).split() == [f"{said.group(1)}mm", f"{said.group(1)}mm",
                                       f"{said.group(2)}mm"]


def test_narrow_screens_stack_the_table_under_visible_headings():
    narrow = strip_comments(CSS)
    narrow = narrow[narrow.index("@media screen and (max-width: 40rem)"):]
    assert "content: attr(data-label)" in narrow
    assert re.search(r"\.summary-table td\s*\{\s*display:\s*block", narrow) or \
        re.search(r"\.summary-table td\s*\{[^}]*display:\s*block", narrow, re.S)
