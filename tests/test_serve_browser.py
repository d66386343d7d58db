"""gfmdreport serve in a real browser: Debian's Chromium driven by Playwright for Python,
against the command itself (``python -m gfmdreport serve FOLDER --port 0``).

A rapporteur types a mistake, sees it listed and marked and the report change, goes to
it, fixes it and downloads the Word report, which reads back to the same summary; two
tabs saving one file get a conflict with both versions; a reload, a closed tab or a lost
server loses nothing; other origins, pages without the token and paths outside the
folder get nothing; the page passes axe-core and works with the keyboard alone, at 1280
and 375 px. The screenshot in the README is taken here (GFMDREPORT_SCREENSHOTS=docs
writes it to docs/serve.png).

Skipped, with the reason, without Chromium or Playwright for Python; CI has both."""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gfmdreport import pipeline

from conftest import EXAMPLES
from conftest import ROOT

try:
    from playwright.sync_api import expect
    from playwright.sync_api import sync_playwright
except ImportError:  # the test extra installs it
    sync_playwright = None

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
AXE = Path(__file__).parent / "vendor" / "axe-core"
SEED_MD = (EXAMPLES / "gcm-cluster-3.md").read_text("utf-8")
SECRET = "TOP-SECRET-OUTSIDE-THE-FOLDER"
VIEW = "GfmdCodeMirror.EditorView.findFromDOM(document.querySelector('.cm-editor'))"

pytestmark = pytest.mark.skipif(CHROMIUM is None or sync_playwright is None,
                                reason="chromium (apt-get install chromium) or Playwright "
                                "for Python (pip install '.[test]') is missing")


# ---- the server, as the command starts it ----------------------------------------------------

class Served:
    """``gfmdreport serve`` running in a process of its own."""

    def __init__(self, folder: Path, *args: str, port: int = 0):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gfmdreport", "serve", str(folder), "--port", str(port),
             "--workers", "2", *args], stderr=subprocess.PIPE, text=True, env=env,
            start_new_session=True)
        self.url = self._read_url()
        self.base = self.url.split("?")[0]
        self.port = int(re.search(r":(\d+)/", self.url).group(1))

    def _read_url(self) -> str:
        deadline = time.monotonic() + 60
        seen = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stderr], [], [], 0.5)
            if ready:
                line = self.process.stderr.readline()
                seen += line
                found = re.search(r"(http://\S+)", line)
                if found:
                    return found.group(1)
            if self.process.poll() is not None:
                break
        self.process.kill()
        raise AssertionError(f"gfmdreport serve did not start:\n{seen}")

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a rapporteur stops it: its exit status and what it said."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            rest = self.process.communicate(timeout=30)[1]
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            rest = self.process.communicate()[1]
        return self.process.returncode, rest


def make_folder(root: Path) -> Path:
    folder = root / "notes"
    folder.mkdir()
    (folder / "gcm-cluster-3.md").write_text(SEED_MD, "utf-8")
    (folder / "gcm-cluster-3.fr.yaml").write_bytes((EXAMPLES / "gcm-cluster-3.fr.yaml")
                                                   .read_bytes())
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"---\ntitle: {SECRET}\n---\n\n{SECRET}\n", "utf-8")
    os.symlink(outside / "secret.md", folder / "leads-out.md")
    return folder


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                            "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    folder = make_folder(root)
    server = Served(folder)
    yield server, folder, root
    _, said = server.stop()
    assert "Traceback" not in said, said


@pytest.fixture
def context(browser):
    """A browser context whose pages must raise no script error and break no rule of
    the page's Content-Security-Policy (the editor's styles, the preview's frame)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  accept_downloads=True)
    broken = []
    context.on("console", lambda m: "Content Security Policy" in m.text and
               broken.append(m.text))
    context.on("weberror", lambda e: broken.append(str(e.error)))
    yield context
    context.close()
    assert broken == []


def open_page(context, url: str, errors: list | None = None):
    page = context.new_page()
    found = errors if errors is not None else []
    page.on("console", lambda m: m.type == "error" and found.append(m.text))
    page.on("pageerror", lambda e: found.append(str(e)))
    response = page.goto(url)
    if response.status == 200:
        expect(page.locator("body[data-ready]")).to_have_count(1)
    return page


def open_file(context, served, name="gcm-cluster-3.md", errors=None):
    server, _, _ = served
    page = open_page(context, f"{server.base}#file={name}", errors)
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator("#problem-list .problem").first).to_be_visible()
    expect(page.frame_locator("#preview").locator("[data-line]").first).to_be_attached()
    return page


def editor_text(page) -> str:
    return page.evaluate(f"{VIEW}.state.doc.toString()")


def cursor_line(page) -> int:
    return page.evaluate(f"(() => {{ const v = {VIEW}; "
                         "return v.state.doc.lineAt(v.state.selection.main.head).number; })()")


def reveal(page, line_text: str) -> None:
    """Scroll the editor to the line holding ``line_text`` (the editor draws only the
    lines in view)."""
    position = editor_text(page).index(line_text)
    page.evaluate(f"{VIEW}.dispatch({{effects: GfmdCodeMirror.EditorView.scrollIntoView("
                  f"{position}, {{y: 'center'}})}})")


def replace_on_line(page, line_text: str, old: str, new: str) -> None:
    """Click on the line holding ``line_text`` and type ``new`` over ``old`` in it, with
    the keyboard, as a rapporteur does."""
    reveal(page, line_text)
    page.locator(".cm-line", has_text=line_text).first.click(position={"x": 3, "y": 6})
    page.keyboard.press("Home")
    start = line_text.index(old)
    for _ in range(start):
        page.keyboard.press("ArrowRight")
    for _ in range(len(old)):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.type(new)


def preview(page):
    return page.frame_locator("#preview")


# ---- a rapporteur's session -------------------------------------------------------------------

def test_a_mistake_is_shown_found_fixed_and_the_word_report_reads_back(context, served):
    errors: list[str] = []
    page = open_file(context, served, errors=errors)
    expect(preview(page).locator("h2", has_text="Question 2:")).to_be_visible()

    replace_on_line(page, "## Question 2: How can the GCM", "2", "7")
    # (questions out of order are a warning: the report is still written)
    problem = page.locator("#problem-list .problem.warning", has_text="GFMD105").first
    expect(problem).to_contain_text("Line 97")
    expect(problem).to_contain_text("question 7 follows question 1")
    expect(preview(page).locator("h2", has_text="Question 7:")).to_be_visible()
    expect(page.locator(".cm-problem-warning")).not_to_have_count(0)  # the line is marked
    expect(page.locator("#save-state")).to_have_text("Unsaved changes")

    reveal(page, "title: GFMD Thematic")
    page.locator(".cm-line", has_text="title: GFMD Thematic").click()  # elsewhere
    problem.click()
    assert cursor_line(page) == 97
    expect(page.locator("#cursor-problem")).to_contain_text("Line 97: warning GFMD105")
    expect(page.locator(".cm-editor")).to_have_class(re.compile("cm-focused"))

    replace_on_line(page, "## Question 7: How can the GCM", "7", "2")
    expect(page.locator("#problem-list .problem", has_text="GFMD105")).to_have_count(0)
    expect(preview(page).locator("h2", has_text="Question 2:")).to_be_visible()
    replace_on_line(page, "venue: Hotel Savoyen", "Hotel Savoyen", "Palais des Nations")
    expect(preview(page).locator(".venue")).to_have_text("Palais des Nations – Mancini 3b")

    with page.expect_download() as download:
        page.locator("#download-docx").click()
    name = download.value.suggested_filename
    assert name.startswith("GCM Cluster 3 - International cooperation") and \
        name.endswith(".docx")
    data = Path(download.value.path()).read_bytes()
    assert pipeline.loads(data, None, path=name) == pipeline.loads(editor_text(page), "md")
    assert errors == []


def test_every_format_downloads_from_the_menu(context, served):
    page = open_file(context, served)
    for to, suffix in (("html", ".html"), ("md", ".md"), ("yaml", ".yaml"),
                       ("json", ".json"), ("notes", ".md")):
        page.locator("#formats-menu summary").click()
        with page.expect_download() as download:
            page.locator(f"#download-{to}").click()
        assert download.value.suggested_filename.endswith(suffix)
    text = Path(download.value.path()).read_text("utf-8")
    assert text == editor_text(page)  # the notes as typed, byte for byte


def test_the_preview_elements_know_their_lines_and_scroll_with_the_notes(context, served):
    page = open_file(context, served)
    lines = page.evaluate("Array.from(document.getElementById('preview').contentDocument"
                          ".querySelectorAll('[data-line]'), e => Number(e.dataset.line))")
    assert len(lines) == 31 and lines[0] == 6  # every element the writer made from a block
    page.evaluate(f"{VIEW}.dispatch({{effects: GfmdCodeMirror.EditorView.scrollIntoView("
                  f"{VIEW}.state.doc.line(134).from, {{y: 'start'}})}})")
    page.wait_for_timeout(400)
    question3 = preview(page).locator("h2", has_text="Question 3:")
    expect(question3).to_be_in_viewport()
    top = page.evaluate("document.getElementById('preview').contentDocument.evaluate("
                        "\"//h2[contains(., 'Question 3')]\", document.getElementById('preview')"
                        ".contentDocument, null, 9, null).singleNodeValue"
                        ".getBoundingClientRect().top")
    assert -40 < top < 120, "the question at the top of the notes is at the top of the report"
    # and the other way: the report scrolled to the table brings the notes to it
    page.evaluate("document.getElementById('preview').contentWindow.scrollTo(0, document"
                  ".getElementById('preview').contentDocument.querySelector('.table-wrap')"
                  ".getBoundingClientRect().top + document.getElementById('preview')"
                  ".contentWindow.scrollY)")
    page.wait_for_timeout(400)
    top_line = page.evaluate(f"{VIEW}.state.doc.lineAt({VIEW}.lineBlockAtHeight("
                             f"{VIEW}.scrollDOM.scrollTop).from).number")
    assert 150 <= top_line <= 172
    # a double click on a paragraph of the report puts the cursor on its notes
    preview(page).locator("ol.paragraphs > li").first.dblclick()
    assert cursor_line(page) == 33


def test_the_language_switch_rewrites_the_notes_and_the_report(context, served):
    page = open_file(context, served)
    page.locator("#language-select").select_option("fr")
    expect(preview(page).locator("h2", has_text="Question 1 :")).to_be_visible()
    assert "\nlanguage: fr\n" in editor_text(page)
    expect(preview(page).locator("html")).to_have_attribute("lang", "fr")
    page.keyboard.press("Control+z")  # the change is one step of the editor's history
    page.locator(".cm-content").click()
    page.keyboard.press("Control+z")
    expect(preview(page).locator("h2", has_text="Question 1:")).to_be_visible()


def test_new_notes_start_from_the_template_in_spanish(context, served):
    server, _, _ = served
    page = open_page(context, server.base)
    page.locator("#new-button").click()
    page.locator("#new-dialog input[value='es']").check()
    page.locator("#new-dialog button[value='create']").click()
    expect(page.locator(".cm-content")).to_contain_text("language: es")
    expect(page.locator("#doc-name")).to_have_text("New notes")
    expect(page.locator("#save-state")).to_have_text("Not saved yet")


def test_new_notes_are_saved_as_a_new_file_of_the_folder(context, served):
    server, folder, _ = served
    page = open_page(context, server.base)
    page.locator("#new-button").click()
    page.locator("#new-dialog button[value='create']").click()
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nA paragraph typed in the browser.\n")
    page.keyboard.press("Control+s")
    page.locator("#save-name").fill("sessions/../x.md")
    page.locator("#save-dialog button[value='save']").click()
    expect(page.locator("#save-error")).to_contain_text("inside the folder")
    page.locator("#save-name").fill("typed-in-browser.md")
    page.locator("#save-dialog button[value='save']").click()
    expect(page.locator("#save-state")).to_have_text("Saved")
    assert (folder / "typed-in-browser.md").read_text("utf-8") == editor_text(page)
    expect(page.locator("#file-list a[aria-current='page']")).to_contain_text(
        "typed-in-browser.md")
    assert page.url.endswith("#file=typed-in-browser.md")
    (folder / "typed-in-browser.md").unlink()


def test_a_word_report_uploaded_becomes_notes(context, served, tmp_path):
    server, _, _ = served
    docx = tmp_path / "edited report.docx"
    docx.write_bytes(pipeline.render(pipeline.loads(SEED_MD, "md"), "docx"))
    page = open_page(context, server.base)
    with page.expect_file_chooser() as chooser:
        page.locator("#upload-button").click()
    chooser.value.set_files(str(docx))
    expect(page.locator("#doc-name")).to_have_text("New notes from edited report.docx")
    assert pipeline.loads(editor_text(page), "md") == pipeline.loads(SEED_MD, "md")
    expect(preview(page).locator("h2", has_text="Question 3:")).to_be_visible()


# ---- nothing typed is lost -------------------------------------------------------------------

def test_two_tabs_saving_one_file_get_a_conflict_with_both_versions(context, served):
    _, folder, _ = served
    first = open_file(context, served, "gcm-cluster-3.fr.yaml")
    second = open_file(context, served, "gcm-cluster-3.fr.yaml")
    replace_on_line(first, "venue: Hotel Savoyen", "Hotel Savoyen", "Salle A")
    first.keyboard.press("Control+s")
    expect(first.locator("#save-state")).to_have_text("Saved")
    saved = (folder / "gcm-cluster-3.fr.yaml").read_text("utf-8")
    assert "Salle A" in saved

    replace_on_line(second, "venue: Hotel Savoyen", "Hotel Savoyen", "Salle B")
    second.locator("#save-button").click()
    dialog = second.locator("#conflict-dialog")
    expect(dialog).to_be_visible()
    expect(second.locator("#conflict-mine")).to_have_value(re.compile("Salle B"))
    expect(second.locator("#conflict-theirs")).to_have_value(re.compile("Salle A"))
    second.locator("#conflict-dialog summary").click()
    expect(second.locator("#conflict-diff .del")).to_contain_text("Salle A")
    expect(second.locator("#conflict-diff .ins")).to_contain_text("Salle B")
    assert (folder / "gcm-cluster-3.fr.yaml").read_text("utf-8") == saved  # nothing lost
    second.locator("#conflict-dialog button[value='mine']").click()
    expect(second.locator("#save-state")).to_have_text("Saved")
    assert "Salle B" in (folder / "gcm-cluster-3.fr.yaml").read_text("utf-8")
    (folder / "gcm-cluster-3.fr.yaml").write_bytes((EXAMPLES / "gcm-cluster-3.fr.yaml")
                                                   .read_bytes())


def test_a_reload_offers_back_what_was_not_saved(context, served):
    page = open_file(context, served)
    replace_on_line(page, "venue: Hotel Savoyen", "Hotel Savoyen", "Unsaved Room")
    expect(page.locator("#file-list")).to_contain_text("Unsaved changes in this browser")
    page.wait_for_timeout(600)  # the draft is kept a moment after typing stops
    page.reload()
    banner = page.locator(".banner[data-id='draft']")
    expect(banner).to_contain_text("were not saved were kept in this browser")
    assert "Unsaved Room" not in editor_text(page)
    banner.locator("button", has_text="Restore them").click()
    assert "venue: Unsaved Room – Mancini 3b" in editor_text(page)
    expect(page.locator("#save-state")).to_have_text("Unsaved changes")
    expect(preview(page).locator(".venue")).to_have_text("Unsaved Room – Mancini 3b")


def test_closing_with_unsaved_changes_asks_first(context, served):
    page = open_file(context, served)
    replace_on_line(page, "venue: Hotel Savoyen", "Hotel Savoyen", "Room C")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]


def test_a_lost_server_loses_nothing(browser, tmp_path):
    folder = make_folder(tmp_path)
    server = Served(folder)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = open_page(context, f"{server.base}#file=gcm-cluster-3.md")
        expect(page.locator("#save-state")).to_have_text("Saved")
        port = server.port
        status, said = server.stop()
        assert status == 130 and said.strip().endswith("gfmdreport: interrupted")
        assert "Traceback" not in said
        replace_on_line(page, "venue: Hotel Savoyen", "Hotel Savoyen", "Offline Room")
        expect(page.locator(".banner[data-id='offline']")).to_contain_text(
            "does not answer")
        page.wait_for_timeout(600)
        draft = page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)"
                              ".find(k => k.endsWith('.gcm-cluster-3.md'))))")
        assert "Offline Room" in draft["text"]
        server = Served(folder, port=port)  # started again: the page carries on
        expect(page.locator(".banner[data-id='offline']")).to_have_count(0, timeout=15000)
        expect(preview(page).locator(".venue")).to_have_text("Offline Room – Mancini 3b")
    finally:
        context.close()
        server.stop()


# ---- nothing is given to whom should not have it ---------------------------------------------

def test_another_origin_gets_nothing(context, served, tmp_path):
    """A page of another origin on this machine (another port: the same address space,
    so the browser's own private-network checks do not stop it) posts a form and fetches
    from the server, and tries to save a file: refused by the server, nothing written."""
    import functools
    import http.server
    import threading

    server, folder, _ = served
    before = (folder / "gcm-cluster-3.md").read_bytes()
    (tmp_path / "index.html").write_text(f"""<!DOCTYPE html><html><body>
<form id="f" method="POST" enctype="text/plain"
      action="{server.base}api/import?name=x.md"><input name="a" value="b"></form>
<script>
fetch('{server.base}api/preview?format=md&editor=e&seq=1', {{method: 'POST', mode: 'no-cors',
      body: 'x', credentials: 'include'}})
  .finally(() => fetch('{server.base}api/files/gcm-cluster-3.md', {{method: 'PUT',
      body: 'pwned', credentials: 'include', headers: {{'If-Match': '*', 'X-CSRF-Token': 'x'}}}}))
  .catch(() => {{ document.title = 'blocked'; }});
</script></body></html>""", "utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    page = context.new_page()
    # what the server answered, as the browser's network layer saw it (a response the
    # browser then blocks, Cross-Origin-Resource-Policy, never reaches the page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sent, seen = {}, []
    cdp.on("Network.requestWillBeSent", lambda e: sent.setdefault(
        e["requestId"], (e["request"]["method"], e["request"]["url"])))
    cdp.on("Network.responseReceivedExtraInfo", lambda e: seen.append(
        (e["requestId"], e["statusCode"])))
    try:
        page.goto(f"http://127.0.0.1:{evil.server_address[1]}/index.html")
        expect(page).to_have_title("blocked")
        with page.expect_navigation():
            page.evaluate("document.getElementById('f').submit()")
        page.wait_for_timeout(300)
    finally:
        evil.shutdown()
    seen = [(*sent.get(rid, ("?", "?")), status) for rid, status in seen]
    seen = [(m, u.split("?")[0].rsplit("/", 1)[-1], s) for m, u, s in seen
            if u.startswith(server.base)]
    assert ("POST", "preview", 403) in seen
    assert ("POST", "import", 403) in seen
    assert ("OPTIONS", "gcm-cluster-3.md", 403) in seen  # the PUT's preflight: refused
    assert not any(method == "PUT" for method, _, _ in seen)  # so the PUT never went
    assert (folder / "gcm-cluster-3.md").read_bytes() == before


def test_paths_outside_the_folder_are_refused(context, served):
    server, _, _ = served
    for name in ("..%2Foutside%2Fsecret.md", "leads-out.md", "%2Fetc%2Fpasswd.md"):
        page = open_page(context, f"{server.base}#file={name}")
        expect(page.locator(".banner[data-id='open']")).to_contain_text("cannot be opened")
        assert SECRET not in page.content() and SECRET not in editor_text(page)
        page.close()


def test_without_the_token_nothing_is_served(browser, tmp_path):
    folder = make_folder(tmp_path)
    server = Served(folder, "--token")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        assert "?token=" in server.url
        page = context.new_page()
        response = page.goto(server.base)
        assert response.status == 403
        expect(page.locator("h1")).to_have_text("Not allowed")
        page.goto(server.url)  # the address printed at start
        assert page.url == server.base  # the token is not left in the address bar
        expect(page.locator("#file-list")).to_contain_text("gcm-cluster-3.md")
        page.goto(server.base + "#file=gcm-cluster-3.md")
        expect(page.locator("#save-state")).to_have_text("Saved")
        other = browser.new_context()  # another browser: no cookie
        assert other.new_page().goto(server.base + "api/files").status == 403
        other.close()
    finally:
        context.close()
        server.stop()


# ---- for everyone ----------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_violation(browser, served, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  color_scheme=scheme)
    context.add_init_script(path=str(AXE / "axe.min.js"))
    try:
        page = open_file(context, served)
        results = page.evaluate("""async () => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
          return {passes: r.passes.length, violations:
            r.violations.map(v => ({id: v.id, help: v.help,
                                    nodes: v.nodes.map(n => n.target.join(' '))}))};
        }""")
    finally:
        context.close()
    assert results["passes"] > 10
    assert results["violations"] == []


def test_the_keyboard_alone_reaches_every_control_and_the_problems(context, served):
    page = open_file(context, served)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")  # skip to the notes
    expect(page.locator(".cm-content")).to_be_focused()
    page.keyboard.press("F8")  # to the next problem: the seed's lone "U", line 175
    assert cursor_line(page) == 175
    expect(page.locator("#cursor-problem")).to_contain_text("GFMD301")
    page.keyboard.press("Tab")  # Tab leaves the editor: nothing traps the keyboard
    expect(page.locator(".cm-content")).not_to_be_focused()
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || "
                                  "document.activeElement.className"))
    for control in ("new-button", "upload-button", "save-button", "language-select",
                    "download-docx"):
        assert control in reached, control
    assert any("problem" in str(r) for r in reached)
    labels = page.evaluate("""Array.from(document.querySelectorAll(
      'button, select, input, textarea, [role=textbox], iframe, a[href]'))
      .filter(e => e.offsetParent !== null)
      .filter(e => !(e.getAttribute('aria-label') || e.labels?.length || e.title ||
                     e.textContent.trim())).map(e => e.outerHTML.slice(0, 80))""")
    assert labels == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_page_fits_the_screen_and_the_screenshot_is_taken(browser, served, width):
    context = browser.new_context(viewport={"width": width, "height": 800 if width > 400
                                            else 740}, device_scale_factor=1)
    try:
        page = open_file(context, served)
        overflow = page.evaluate("document.documentElement.scrollWidth - "
                                 "document.documentElement.clientWidth")
        assert overflow <= 0
        if width < 400:
            expect(page.locator(".cm-editor")).to_be_visible()
            expect(page.locator("#preview")).to_be_hidden()
            page.locator("#show-report").click()
            expect(preview(page).locator("h1")).to_be_visible()
            expect(page.locator(".cm-editor")).to_be_hidden()
            page.locator("#show-notes").click()
        else:
            expect(page.locator("#preview")).to_be_visible()
            expect(page.locator(".cm-editor")).to_be_visible()
            # the README's picture: a mistake listed, marked on its line, the report
            # beside it at the same place
            replace_on_line(page, "## Question 2: How can the GCM", "2", "7")
            page.locator("#problem-list .problem", has_text="GFMD105").first.click()
            expect(preview(page).locator("h2", has_text="Question 7:")).to_be_in_viewport()
            page.locator(".file-list a").first.hover()
            page.wait_for_timeout(1500)  # the cursor line's flash is over
        shot = page.screenshot()
    finally:
        context.close()
    target = os.environ.get("GFMDREPORT_SCREENSHOTS")
    if target:
        name = "serve.png" if width > 400 else "serve-375.png"
        folder = ROOT / "docs" if target == "docs" else Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(shot)
    assert shot.startswith(b"\x89PNG")
