"""gfmdreport serve at the HTTP level: every endpoint, through a real uvicorn server on a
thread of the test process (gfmdreport.serve.app.running) and an HTTP client, with the
folder's files, conflicts, the security checks and hostile uploads.

The page itself, in Chromium, is tests/test_serve_browser.py."""

from __future__ import annotations

import io
import os
import re
import socket
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gfmdreport import pipeline
from gfmdreport.hooks.manager import make_plugin_manager

from conftest import EXAMPLES

httpx = pytest.importorskip("httpx", reason="the test extra installs httpx")
pytest.importorskip("starlette", reason="the serve extra installs starlette")

from gfmdreport.serve.app import running  # noqa: E402
from gfmdreport.serve.settings import Settings  # noqa: E402

SEED_MD = (EXAMPLES / "gcm-cluster-3.md").read_text("utf-8")
SEED_YAML = (EXAMPLES / "gcm-cluster-3.yaml").read_text("utf-8")
SECRET = "TOP-SECRET-OUTSIDE-THE-FOLDER"
BROKEN_MD = "---\ntitle: A workshop\nsession: A session\ndate: 2017-02-30\n---\n\nA paragraph.\n"


def make_folder(root: Path) -> Path:
    """A folder of notes as a secretariat has one: files, a hidden file, a sub-folder,
    links inside and out, a file that is not notes; and a secret beside it."""
    folder = root / "notes"
    (folder / "sub").mkdir(parents=True)
    (folder / "gcm-cluster-3.md").write_text(SEED_MD, "utf-8")
    (folder / "gcm-cluster-3.yaml").write_text(SEED_YAML, "utf-8")
    (folder / "broken.md").write_text(BROKEN_MD, "utf-8")
    (folder / "sub" / "other.md").write_text(SEED_MD.replace("Hotel Savoyen", "Palais"),
                                             "utf-8")
    (folder / ".hidden.md").write_text(SEED_MD, "utf-8")
    (folder / "legacy.txt").write_text("GFMD\n", "utf-8")
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"---\ntitle: {SECRET}\n---\n\n{SECRET}\n", "utf-8")
    os.symlink(outside / "secret.md", folder / "leads-out.md")
    os.symlink("gcm-cluster-3.md", folder / "alias.md")
    return folder


class Client:
    """An HTTP client as the page is one: the CSRF token from the page, its origin."""

    def __init__(self, url: str, **kwargs):
        self.url = url
        parts = urlsplit(url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.http = httpx.Client(base_url=self.origin, timeout=60, **kwargs)
        page = self.http.get(url)
        found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        self.csrf = found.group(1) if found else ""

    def headers(self, extra=None):
        return {"Origin": self.origin, "X-CSRF-Token": self.csrf, **(extra or {})}

    def get(self, path, **kwargs):
        return self.http.get(path, **kwargs)

    def post(self, path, body=b"", headers=None, **kwargs):
        data = body.encode("utf-8") if isinstance(body, str) else body
        return self.http.post(path, content=data, headers=self.headers(headers), **kwargs)

    def put(self, path, body, headers=None):
        return self.http.put(path, content=body.encode("utf-8"), headers=self.headers(headers))

    def preview(self, text, fmt="md", path=None, editor=None, seq=1):
        # each call its own editor unless a test says otherwise: the server answers
        # only the newest preview of an editor, and the client is shared by the module
        editor = editor or f"e{uuid.uuid4().hex}"
        params = {"format": fmt, "editor": editor, "seq": seq}
        if path:
            params["path"] = path
        return self.post("/api/preview", text, params=params)


@pytest.fixture(scope="module")
def plugins():
    return make_plugin_manager()


@pytest.fixture(scope="module")
def served(tmp_path_factory, plugins):
    root = tmp_path_factory.mktemp("served")
    folder = make_folder(root)
    settings = Settings(folder=str(folder), port=0, workers=2, timeout=60)
    with running(settings, plugins) as (url, server):
        yield {"url": url, "folder": folder, "root": root, "server": server}


@pytest.fixture
def client(served):
    client = Client(served["url"])
    yield client
    client.http.close()


# ---- the page and what it needs ----------------------------------------------------------

def test_the_page_carries_its_csrf_token_and_a_strict_policy(client):
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r'name="csp-nonce" content="([^"]+)"', page.text).group(1)
    assert f"'nonce-{nonce}'" in directives["style-src"]
    # the preview's stylesheets, by hash, in every language
    assert len(re.findall(r"'sha256-", directives["style-src"])) >= 3
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert len(client.csrf) >= 40
    # no inline script or style, no event handler attribute
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)
    assert not re.search(r"\s(on[a-z]+|style)=", page.text)
    assert client.get("/").headers["content-security-policy"] != policy  # a nonce each


def test_static_files_are_served_and_stay_in_their_folder(client):
    assert client.get("/static/app.js").headers["content-type"].startswith(
        ("text/javascript", "application/javascript"))
    licences = client.get("/static/vendor/codemirror/LICENSES.txt")
    assert licences.status_code == 200 and "MIT" in licences.text
    assert "@codemirror/view" in licences.text
    assert client.get("/static/%2e%2e/app.py").status_code == 404
    assert client.get("/static/../routes.py").status_code == 404


def test_the_config_names_writers_languages_and_the_folder(client, served):
    config = client.get("/api/config").json()
    names = [w["name"] for w in config["writers"]]
    assert names[0] == "docx" and {"html", "md", "yaml", "json"} <= set(names)
    assert {"en", "fr", "es"} <= set(config["languages"])
    assert config["folder"] == str(served["folder"])
    assert config["sync_selector"] and config["input_bytes"] > 0


@pytest.mark.parametrize("language, word", [("en", "language: en"), ("fr", "language: fr"),
                                            ("es", "language: es")])
def test_new_notes_start_from_the_template(client, language, word):
    data = client.get("/api/template", params={"language": language}).json()
    assert word in data["text"] and data["format"] == "md"


def test_a_template_in_an_unknown_language_is_refused(client):
    response = client.get("/api/template", params={"language": "xx"})
    assert response.status_code == 400 and "available" in response.json()["error"]["message"]


# ---- the folder --------------------------------------------------------------------------

def test_the_folder_is_listed_as_batch_finds_it(client):
    data = client.get("/api/files").json()
    paths = [f["path"] for f in data["files"]]
    assert paths == sorted(["alias.md", "broken.md", "gcm-cluster-3.md", "gcm-cluster-3.yaml",
                            "sub/other.md"])
    states = {f["path"]: f["state"] for f in data["files"]}
    assert states["broken.md"] == "errors"
    assert states["gcm-cluster-3.md"] == "warnings"  # GFMD301, the seed's lone "U"
    notices = {(n["rule"], n["file"]) for n in data["notices"]}
    assert ("symlink-outside", "leads-out.md") in notices
    assert SECRET not in client.get("/api/files").text


def test_a_file_opens_with_its_version(client):
    response = client.get("/api/files/gcm-cluster-3.yaml")
    data = response.json()
    assert data["text"] == SEED_YAML and data["format"] == "yaml"
    assert response.headers["etag"] == data["version"]
    assert client.get("/api/files/sub/other.md").json()["text"].count("Palais") == 1


@pytest.mark.parametrize("path, status, rule", [
    ("%2e%2e/outside/secret.md", 403, "outside"),
    ("sub/%2e%2e/%2e%2e/outside/secret.md", 403, "outside"),
    ("/etc/passwd.md", 403, "outside"),
    (".hidden.md", 403, "hidden"),
    ("leads-out.md", 403, "symlink-outside"),
    ("legacy.txt", 400, "not-notes"),
    ("missing.md", 404, "io"),
    ("sub", 400, "not-notes"),
    ("a%00b.md", 400, "bad-path"),
])
def test_paths_outside_the_folder_or_not_notes_are_refused(client, path, status, rule):
    response = client.get("/api/files/" + path)
    assert response.status_code == status, response.text
    assert response.json()["error"]["rule"] == rule
    assert SECRET not in response.text


def test_saving_writes_atomically_and_gives_the_new_version(client, served):
    opened = client.get("/api/files/sub/other.md").json()
    text = opened["text"] + "\nA paragraph added in the browser.\n"
    saved = client.put("/api/files/sub/other.md", text, {"If-Match": opened["version"]})
    assert saved.status_code == 200, saved.text
    on_disk = served["folder"] / "sub" / "other.md"
    assert on_disk.read_text("utf-8") == text
    assert saved.json()["version"] == client.get("/api/files/sub/other.md").json()["version"]
    assert [p.name for p in on_disk.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_two_saves_from_the_same_version_conflict(client, served):
    """Two tabs (or two people) opened the same file; the second save is refused, and
    gets the first one's text to compare."""
    first = client.get("/api/files/gcm-cluster-3.yaml").json()
    second = client.get("/api/files/gcm-cluster-3.yaml").json()
    mine = first["text"].replace("Hotel Savoyen", "Hotel Sacher")
    theirs = second["text"].replace("Hotel Savoyen", "Hofburg")
    assert client.put("/api/files/gcm-cluster-3.yaml", mine,
                      {"If-Match": first["version"]}).status_code == 200
    refused = client.put("/api/files/gcm-cluster-3.yaml", theirs,
                         {"If-Match": second["version"]})
    assert refused.status_code == 412
    body = refused.json()
    assert body["error"]["rule"] == "conflict"
    assert body["theirs"]["text"] == mine
    assert (served["folder"] / "gcm-cluster-3.yaml").read_text("utf-8") == mine
    # saving over it knowingly, with the version now on disk
    again = client.put("/api/files/gcm-cluster-3.yaml", theirs,
                       {"If-Match": body["theirs"]["version"]})
    assert again.status_code == 200
    assert (served["folder"] / "gcm-cluster-3.yaml").read_text("utf-8") == theirs
    client.put("/api/files/gcm-cluster-3.yaml", SEED_YAML,
               {"If-Match": again.json()["version"]})


def test_a_save_without_a_version_is_refused(client):
    response = client.put("/api/files/gcm-cluster-3.md", "x")
    assert response.status_code == 428


def test_a_new_file_is_created_only_if_there_is_none(client, served):
    text = SEED_MD.replace("Hotel Savoyen", "Room B")
    created = client.put("/api/files/sub/new-session.md", text, {"If-None-Match": "*"})
    assert created.status_code == 200
    assert (served["folder"] / "sub" / "new-session.md").read_text("utf-8") == text
    again = client.put("/api/files/sub/new-session.md", "other", {"If-None-Match": "*"})
    assert again.status_code == 412
    assert (served["folder"] / "sub" / "new-session.md").read_text("utf-8") == text
    assert "sub/new-session.md" in [f["path"] for f in client.get("/api/files").json()["files"]]
    (served["folder"] / "sub" / "new-session.md").unlink()


def test_line_endings_and_byte_order_mark_are_kept(client, served):
    path = served["folder"] / "windows.md"
    path.write_bytes(b"\xef\xbb\xbf" + BROKEN_MD.replace("\n", "\r\n").encode())
    opened = client.get("/api/files/windows.md").json()
    assert "\r" not in opened["text"] and not opened["text"].startswith("\ufeff")
    text = opened["text"].replace("2017-02-30", "2017-02-28")
    assert client.put("/api/files/windows.md", text,
                      {"If-Match": opened["version"]}).status_code == 200
    assert path.read_bytes() == b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    path.unlink()


def test_a_link_inside_the_folder_is_saved_where_it_leads(client, served):
    opened = client.get("/api/files/alias.md").json()
    text = opened["text"] + "\nSaved through the link.\n"
    assert client.put("/api/files/alias.md", text,
                      {"If-Match": opened["version"]}).status_code == 200
    assert (served["folder"] / "alias.md").is_symlink()
    assert (served["folder"] / "gcm-cluster-3.md").read_text("utf-8") == text
    (served["folder"] / "gcm-cluster-3.md").write_text(SEED_MD, "utf-8")


@pytest.mark.parametrize("path, status", [
    ("leads-out.md", 403), ("%2e%2e/outside/new.md", 403), (".hidden.md", 403),
    ("missing-folder/new.md", 404), ("notes.txt", 400), ("sub/.new.md", 403),
])
def test_saves_never_leave_the_folder(client, served, path, status):
    before = (served["root"] / "outside" / "secret.md").read_bytes()
    response = client.put("/api/files/" + path, "x", {"If-None-Match": "*"})
    assert response.status_code == status, response.text
    assert (served["root"] / "outside" / "secret.md").read_bytes() == before
    assert sorted(p.name for p in (served["root"] / "outside").iterdir()) == ["secret.md"]


# ---- the notes in the editor -------------------------------------------------------------

def test_a_preview_gives_the_page_the_lines_and_every_diagnostic(client):
    text = SEED_MD.replace("date: 2017-09-06", "date: 2017-02-30")
    data = client.preview(text, path="gcm-cluster-3.md").json()
    assert data["seq"] == 1 and data["language"] == "en"
    assert data["html"].startswith("<!DOCTYPE html>") and "data-line" not in data["html"]
    assert data["filename"].startswith("GCM Cluster 3 - International cooperation")
    rules = {(d["rule"], d["line"], d["severity"]) for d in data["diagnostics"]}
    assert ("GFMD301", 175, "warning") in rules
    dates = [d for d in data["diagnostics"] if d["line"] == 11]
    assert dates and dates[0]["severity"] == "error" and dates[0]["hint"]
    assert all(d["file"] is None for d in data["diagnostics"])
    assert data["counts"]["error"] >= 1
    assert data["lines"][0] == 6 and sorted(data["lines"]) == sorted(set(data["lines"]))


def test_notes_that_cannot_be_read_give_diagnostics_and_no_page(client):
    data = client.preview("title: [unclosed\n", fmt="yaml").json()
    assert data["html"] is None
    assert data["diagnostics"][0]["rule"] == "yaml-syntax"
    assert data["diagnostics"][0]["line"] in (1, 2)


def test_an_older_preview_than_one_already_answered_is_superseded(client):
    assert "html" in client.preview(SEED_MD, editor="stale", seq=5).json()
    assert client.preview(SEED_MD, editor="stale", seq=4).json() == {"superseded": True,
                                                                      "seq": 4}


@pytest.mark.parametrize("query", [{"editor": "a b", "seq": 1}, {"editor": "e", "seq": "x"},
                                   {"editor": "e", "seq": 1, "format": "docx"},
                                   {"editor": "e", "seq": 1, "path": "../x.md"}])
def test_a_preview_with_bad_parameters_is_refused(client, query):
    response = client.post("/api/preview", SEED_MD, params={"format": "md", **query})
    assert response.status_code in (400, 403)


def read_back(data: bytes, suffix: str):
    return pipeline.loads(data, None, path="report" + suffix)


def test_the_word_report_downloads_named_after_the_session_and_reads_back(client):
    response = client.post("/api/export/docx", SEED_MD,
                           params={"format": "md", "path": "gcm-cluster-3.md"})
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="GCM Cluster 3 - International')
    assert "filename*=UTF-8''GCM%20Cluster%203%20-%20International" in disposition
    assert disposition.endswith('.docx')
    assert zipfile.is_zipfile(io.BytesIO(response.content))
    assert read_back(response.content, ".docx") == pipeline.loads(SEED_MD, "md")
    assert response.headers["x-report-warnings"] == "1"


@pytest.mark.parametrize("to", ["html", "md", "yaml", "json", "akn"])
def test_every_text_format_downloads(client, plugins, to):
    if to not in plugins.registry.writers:
        pytest.skip(f"no writer '{to}' installed")
    response = client.post(f"/api/export/{to}", SEED_YAML, params={"format": "yaml"})
    assert response.status_code == 200
    suffix = plugins.registry.writers[to].suffix
    assert response.headers["content-disposition"].endswith(suffix)
    if to in ("md", "yaml", "json"):
        assert read_back(response.content, suffix) == pipeline.loads(SEED_YAML, "yaml")


def test_the_word_report_takes_the_server_reference_doc_and_author(tmp_path, plugins):
    """gfmdreport serve --reference-doc house.docx --author …: every Word download is in
    the secretariat's template (its header here), with the author given."""
    import docx

    from gfmdreport.formats.docx.write import default_template_bytes

    house = docx.Document(io.BytesIO(default_template_bytes()))
    header = house.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = "GFMD Secretariat house header"
    house.save(tmp_path / "house.docx")
    settings = Settings(port=0, workers=1, writer_options={
        "docx": {"reference_doc": str(tmp_path / "house.docx"), "author": "The Secretariat"}})
    with running(settings, plugins) as (url, _):
        client = Client(url)
        response = client.post("/api/export/docx", SEED_MD, params={"format": "md"})
        assert client.get("/api/config").json()["reference_doc"] is True
    report = docx.Document(io.BytesIO(response.content))
    assert report.sections[0].header.paragraphs[0].text == "GFMD Secretariat house header"
    assert report.core_properties.author == "The Secretariat"


def test_notes_with_errors_are_not_exported(client):
    response = client.post("/api/export/docx", BROKEN_MD, params={"format": "md"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["rule"] == "not-rendered"
    assert any(d["severity"] == "error" and d["line"] == 4 for d in body["diagnostics"])


def test_an_unknown_format_is_not_exported(client):
    assert client.post("/api/export/nope", SEED_MD, params={"format": "md"}).status_code == 404


def test_a_word_report_uploaded_comes_back_as_notes(client):
    docx = client.post("/api/export/docx", SEED_MD, params={"format": "md"}).content
    data = client.post("/api/import", docx, params={"name": "C:\\Users\\me\\report.docx"}).json()
    assert data["format"] == "md" and data["from"] == "docx" and data["name"] == "report.docx"
    assert pipeline.loads(data["text"], "md") == pipeline.loads(SEED_MD, "md")


@pytest.mark.parametrize("name, text", [("notes.md", SEED_MD), ("notes.yaml", SEED_YAML)])
def test_a_notes_file_uploaded_comes_back_as_it_is(client, name, text):
    data = client.post("/api/import", text, params={"name": name}).json()
    assert data["text"] == text and data["format"] == name.rsplit(".", 1)[1]


def test_an_upload_of_an_unknown_kind_is_refused(client):
    response = client.post("/api/import", b"\x89PNG\r\n", params={"name": "photo.png"})
    assert response.status_code == 422
    assert response.json()["error"]["rule"] == "input-format"


@pytest.mark.parametrize("fmt, text, code, expected", [
    ("md", "---\ntitle: T\nlanguage: en   # the language\n---\n\nText.\n", "fr",
     "---\ntitle: T\nlanguage: fr   # the language\n---\n\nText.\n"),
    ("md", "---\ntitle: T\n---\n\nText.\n", "es", "---\ntitle: T\nlanguage: es\n---\n\nText.\n"),
    ("md", "# Title\n\nText.\n", "fr", "---\nlanguage: fr\n---\n\n# Title\n\nText.\n"),
    ("yaml", "title: T\nlanguage: 'en'\nbody: []\n", "fr", "title: T\nlanguage: fr\nbody: []\n"),
    ("yaml", "title: T\nbody:\n  - paragraph: x\n", "es",
     "title: T\nlanguage: es\nbody:\n  - paragraph: x\n"),
    ("json", '{"title": "T", "body": []}', "fr",
     '{\n  "title": "T",\n  "body": [],\n  "language": "fr"\n}\n'),
])
def test_the_language_switch_sets_the_notes_language(client, fmt, text, code, expected):
    response = client.post("/api/language", text, params={"format": fmt, "language": code})
    assert response.json() == {"text": expected}


@pytest.mark.parametrize("fmt, text, code, status", [
    ("md", "---\ntitle: T\n", "fr", 422), ("json", "{", "fr", 422), ("md", "x", "xx", 400),
])
def test_the_language_switch_refuses_what_it_cannot_set(client, fmt, text, code, status):
    response = client.post("/api/language", text, params={"format": fmt, "language": code})
    assert response.status_code == status


# ---- security ----------------------------------------------------------------------------

def test_a_request_from_another_origin_is_refused(client):
    response = client.http.post("/api/preview", content=SEED_MD.encode(),
                                params={"format": "md", "editor": "x", "seq": 1},
                                headers={"Origin": "http://evil.example",
                                         "X-CSRF-Token": client.csrf})
    assert response.status_code == 403 and response.json()["error"]["rule"] == "cross-origin"


def test_a_save_from_another_origin_writes_nothing(client, served):
    opened = client.get("/api/files/broken.md").json()
    response = client.http.put("/api/files/broken.md", content=b"pwned",
                               headers={"Origin": "http://evil.example",
                                        "X-CSRF-Token": client.csrf,
                                        "If-Match": opened["version"]})
    assert response.status_code == 403
    assert (served["folder"] / "broken.md").read_text("utf-8") == BROKEN_MD


@pytest.mark.parametrize("headers, rule", [
    ({}, "cross-origin"),  # no Origin, no Sec-Fetch-Site: not from the page
    ({"Sec-Fetch-Site": "same-origin"}, "csrf"),  # no CSRF token
    ({"Sec-Fetch-Site": "cross-site", "X-CSRF-Token": "?"}, "cross-origin"),
    ({"ORIGIN": "null", "X-CSRF-Token": "?"}, "cross-origin"),
])
def test_a_request_that_changes_something_must_come_from_the_page(client, headers, rule):
    response = client.http.post("/api/import", content=SEED_MD.encode(),
                                params={"name": "x.md"}, headers=headers)
    assert response.status_code == 403 and response.json()["error"]["rule"] == rule


def test_a_wrong_csrf_token_is_refused(client):
    response = client.http.post("/api/import", content=SEED_MD.encode(),
                                params={"name": "x.md"},
                                headers={"Origin": client.origin, "X-CSRF-Token": "guess"})
    assert response.status_code == 403 and response.json()["error"]["rule"] == "csrf"


def test_a_read_marked_cross_site_by_the_browser_is_refused(client):
    response = client.get("/api/files/gcm-cluster-3.md", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403 and SEED_MD[:40] not in response.text


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.nip.io",
                                  "localhost:1"])
def test_another_host_name_is_refused_on_loopback(client, host):
    """DNS rebinding: a page whose own name resolves to 127.0.0.1 reaches the server with
    its own Host header."""
    for path in ("/", "/api/files", "/api/files/gcm-cluster-3.md"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 403, path
        assert SEED_MD[:40] not in response.text


def test_localhost_is_the_same_server(served):
    port = urlsplit(served["url"]).port
    response = httpx.get(f"http://127.0.0.1:{port}/api/config", headers={
        "Host": f"localhost:{port}"})
    assert response.status_code == 200


def test_a_body_over_the_input_size_limit_is_refused(client, monkeypatch):
    monkeypatch.setenv("GFMDREPORT_MAX_INPUT_BYTES", "1000")
    response = client.preview("x" * 1001)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["rule"] == "too-large" and "GFMDREPORT_MAX_INPUT_BYTES" in error["message"]

    def chunks():  # no Content-Length: refused as it passes the limit
        for _ in range(100):
            yield b"x" * 100

    streamed = client.http.post("/api/import", params={"name": "x.md"}, content=chunks(),
                                headers=client.headers())
    assert streamed.status_code == 413
    assert "GFMDREPORT_MAX_INPUT_BYTES" in streamed.json()["error"]["message"]


def test_responses_are_not_cached_or_framed(client):
    response = client.get("/api/files/gcm-cluster-3.md")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["cross-origin-resource-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.fixture(scope="module")
def with_token(tmp_path_factory, plugins):
    folder = make_folder(tmp_path_factory.mktemp("token"))
    settings = Settings(folder=str(folder), port=0, workers=1, token="s3cret-" + "x" * 40)
    with running(settings, plugins) as (url, server):
        yield url, server.settings


def test_with_a_token_nothing_is_served_without_it(with_token):
    url, _ = with_token
    base = url.split("?")[0]
    assert "?token=" in url
    for path in ("", "api/config", "api/files", "api/files/gcm-cluster-3.md",
                 "static/app.js", "?token=wrong"):
        response = httpx.get(base + path)
        assert response.status_code == 403, path
        assert SEED_MD[:40] not in response.text
    assert "access token" in httpx.get(base).text


def test_the_start_up_url_sets_the_token_as_a_cookie(with_token):
    url, settings = with_token
    with httpx.Client(follow_redirects=True) as http:
        first = http.get(url)
        assert first.status_code == 200  # after the redirect to the page without it
        assert first.history[0].status_code == 303
        assert first.history[0].headers["location"] == "/"
        cookie = first.history[0].headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert cookie.startswith(settings.cookie + "=" + settings.token)
        assert http.get(url.split("?")[0] + "api/files").status_code == 200
    authorised = httpx.get(url.split("?")[0] + "api/config",
                           headers={"Authorization": "token " + settings.token})
    assert authorised.status_code == 200


def test_any_host_name_may_be_used_with_the_token(with_token):
    url, settings = with_token
    response = httpx.get(url.split("?")[0] + "api/config",
                         headers={"Authorization": "token " + settings.token,
                                  "Host": "my-laptop.local:8000"})
    assert response.status_code == 200


# ---- hostile uploads ---------------------------------------------------------------------

CORPUS = Path(__file__).parent / "adversarial"


def corpus_files():
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix not in
                  (".py", ".toml", ".pyc"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_hostile_uploads_are_answered_never_crash_and_echo_no_secret(client, path, served):
    """Every file of the adversarial corpus, uploaded and previewed: a JSON answer with
    its diagnostics (never a server error), and the server still answers."""
    data = path.read_bytes()
    uploaded = client.post("/api/import", data, params={"name": path.name})
    assert uploaded.status_code in (200, 413, 422), uploaded.text[:500]
    body = uploaded.json()
    assert "text" in body or body["error"]["message"]
    assert "Traceback" not in uploaded.text and "internal-error" not in uploaded.text
    reader = make_plugin_manager().registry.reader_for_name(path.name)
    if reader is not None and reader.name in ("md", "yaml", "json"):
        shown = client.preview(data, fmt=reader.name, editor="corpus")
        assert shown.status_code in (200, 413), shown.text[:500]
        assert "internal-error" not in shown.text and "plugin-error" not in shown.text
        if shown.status_code == 200 and shown.json().get("html"):
            html = shown.json()["html"]
            assert "<script" not in html.split("</style>", 1)[-1].lower()
    assert client.get("/api/config").status_code == 200


def test_a_session_title_cannot_forge_the_download(client):
    """The report is named after the session: a title with line breaks, quotes, path
    separators, an escape and a right-to-left override gives a plain file name and no
    header of its own."""
    notes = (CORPUS / "serve-filename-forgery.md").read_text("utf-8")
    response = client.post("/api/export/docx", notes, params={"format": "md"})
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument")
    disposition = response.headers["content-disposition"]
    ascii_name = re.match(r'attachment; filename="([^"]*)"; filename\*=UTF-8\'\'(\S+)$',
                          disposition)
    assert ascii_name, disposition
    plain, encoded = ascii_name.groups()
    from urllib.parse import unquote

    for name in (plain, unquote(encoded)):
        assert name.endswith(".docx")
        assert not set(name) & set('/\\\r\n"\x1b\u202e\x00')
        assert not name.startswith((".", " "))


def test_a_name_that_forges_a_path_is_only_a_name(client, served):
    data = client.post("/api/import", SEED_MD,
                       params={"name": "../../outside/secret.md"}).json()
    assert data["name"] == "secret.md" and SECRET not in data["text"]


# ---- the command -------------------------------------------------------------------------

def test_the_port_in_use_is_a_one_line_error(tmp_path):
    import subprocess
    import sys

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        result = subprocess.run([sys.executable, "-m", "gfmdreport", "serve", str(tmp_path),
                                 "--port", str(port)], capture_output=True, text=True,
                                timeout=60)
    finally:
        busy.close()
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--port 0" in result.stderr and "Traceback" not in result.stderr


def test_a_folder_that_does_not_exist_is_a_usage_error(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "gfmdreport", "serve",
                             str(tmp_path / "nope")], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "no such folder" in result.stderr
