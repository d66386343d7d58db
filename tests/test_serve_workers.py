"""gfmdreport serve's renders: only the latest preview of an editor counts; a render past
the time limit, or whose worker dies, fails alone and its worker is replaced; a slow
render holds neither the server nor another editor's preview.

A render is made slow by a page template (``--template``) that loops when the session is
called "Slow": Jinja2's sandbox lets it run up to its own limit (10 seconds), past the
server's time limit (2 seconds here)."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import pytest

from gfmdreport.hooks.manager import make_plugin_manager

from conftest import EXAMPLES

httpx = pytest.importorskip("httpx", reason="the test extra installs httpx")
pytest.importorskip("starlette", reason="the serve extra installs starlette")

from test_serve import Client  # noqa: E402

from gfmdreport.serve.app import running  # noqa: E402
from gfmdreport.serve.routes import SUPERSEDED  # noqa: E402
from gfmdreport.serve.routes import Latest  # noqa: E402
from gfmdreport.serve.settings import Settings  # noqa: E402

SEED = (EXAMPLES / "gcm-cluster-3.md").read_text("utf-8")
SLOW = SEED.replace("title: GFMD Thematic Workshop on GFMD's contribution to the GCM",
                    "title: Slow")
TEMPLATE = """{% if summary.title == "Slow" %}{% for a in range(100000) %}\
{% for b in range(100000) %}{% endfor %}{% endfor %}{% endif %}\
{% include "gfmdreport/page.html.j2" %}"""


# ---- only the latest preview counts ----------------------------------------------------------

def test_a_waiting_preview_is_replaced_by_a_newer_one():
    async def scenario():
        latest = Latest()
        started = asyncio.Event()
        release = asyncio.Event()
        ran = []

        def job(name):
            async def run():
                ran.append(name)
                if name == "first":
                    started.set()
                    await release.wait()
                return name
            return run

        first = asyncio.ensure_future(latest.run("editor", 1, job("first")))
        await started.wait()
        second = asyncio.ensure_future(latest.run("editor", 2, job("second")))
        await asyncio.sleep(0)
        third = asyncio.ensure_future(latest.run("editor", 3, job("third")))
        assert await second == SUPERSEDED  # answered at once, while the first renders
        other = await latest.run("another editor", 1, job("other"))  # not held by it
        release.set()
        assert (await first, await third, other) == ("first", "third", "other")
        assert ran == ["first", "other", "third"]
        assert await latest.run("editor", 2, job("late")) == SUPERSEDED
        assert not latest.slots["editor"].busy

    asyncio.run(scenario())


def test_a_failed_render_frees_the_editor():
    async def scenario():
        latest = Latest()

        async def boom():
            raise RuntimeError("the render failed")

        async def fine():
            return "ok"

        with pytest.raises(RuntimeError):
            await latest.run("editor", 1, boom)
        assert await latest.run("editor", 2, fine) == "ok"

    asyncio.run(scenario())


def test_the_editors_remembered_are_bounded():
    async def scenario():
        latest = Latest(keep=3)

        async def fine():
            return "ok"

        for n in range(10):
            await latest.run(f"editor-{n}", 1, fine)
        assert list(latest.slots) == ["editor-7", "editor-8", "editor-9"]

    asyncio.run(scenario())


# ---- slow renders --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def slow_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow")
    (folder / "slow.html.j2").write_text(TEMPLATE, "utf-8")
    settings = Settings(port=0, workers=2, timeout=2,
                        writer_options={"html": {"template": str(folder / "slow.html.j2")}})
    with running(settings, make_plugin_manager()) as (url, server):
        yield url, server


def in_background(call):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", call()))
    thread.start()
    return thread, result


def wait_until(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.02)


def test_a_render_past_the_time_limit_fails_alone_and_its_worker_is_replaced(slow_server):
    url, server = slow_server
    client = Client(url)
    before = server.workers.pids
    started = server.workers.started
    thread, slow = in_background(lambda: client.preview(SLOW, editor="slow"))
    wait_until(lambda: len(server.workers.idle._queue) < 2)  # the slow one holds a worker
    fast = client.preview(SEED, editor="fast")  # the other worker answers meanwhile
    assert fast.status_code == 200 and fast.json()["html"]
    assert thread.is_alive(), "the slow render was to be still running"
    assert client.get("/api/config").status_code == 200  # the server answers too
    thread.join(30)
    answer = slow["value"]
    assert answer.status_code == 504
    assert answer.json()["error"]["rule"] == "render-timeout"
    assert "2 seconds" in answer.json()["error"]["message"]
    wait_until(lambda: server.workers.started == started + 1 and
               len(server.workers.pids) == 2)
    assert server.workers.pids != before
    again = client.preview(SEED, editor="slow", seq=2)
    assert again.status_code == 200 and again.json()["html"]


def test_a_render_whose_worker_dies_fails_alone(slow_server):
    url, server = slow_server
    client = Client(url)
    wait_until(lambda: len(server.workers.pids) == 2)
    thread, slow = in_background(lambda: client.preview(SLOW, editor="dies"))
    wait_until(lambda: len(server.workers.idle._queue) < 2)
    for pid in server.workers.pids:  # the OOM killer, a crash in a plugin
        os.kill(pid, signal.SIGKILL)
    thread.join(30)
    assert slow["value"].status_code in (503, 504)
    assert slow["value"].json()["error"]["rule"] in ("render-died", "render-timeout")
    wait_until(lambda: len(server.workers.pids) == 2)
    response = client.preview(SEED, editor="dies", seq=2)
    assert response.status_code == 200 and response.json()["html"]


def test_an_export_past_the_time_limit_is_refused_with_a_message(slow_server):
    url, server = slow_server
    client = Client(url)
    wait_until(lambda: len(server.workers.pids) == 2)
    response = client.post("/api/export/html", SLOW, params={"format": "md"})
    assert response.status_code == 504
    assert "too long" in response.json()["error"]["message"]
