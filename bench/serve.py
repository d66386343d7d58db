"""gfmdreport serve: from a pause in typing to the report updated, and many editors at once.

    python bench/serve.py [--requests 200] [--edits 40] [--clients 20] [--seconds 15]
                          [--workers N] [--no-browser]

For the seed session (examples/gcm-cluster-3.md), against ``gfmdreport serve`` started as
a rapporteur starts it (its own process, its default workers unless --workers):

1. baseline: reading, checking and rendering the notes to HTML in this process, with no
   server (what a preview has to do, and the floor of what it can cost);
2. server side, over --requests previews one after another: the server's own time
   (``Server-Timing``: request received to answer sent, and the worker's part), and the
   round trip a client on the same machine sees;
3. in the browser (Chromium, unless --no-browser), over --edits one-letter edits: from the
   last keystroke to the report shown (the page waits for a 300 ms pause first), and from
   the request to the report shown (the page's ``gfmd-preview`` performance measure);
4. --clients clients at once for --seconds, each editing a file of its own (a preview per
   edit, a save every tenth): previews answered per second and their latency, beside the
   baseline's rate on one CPU.

The aim (issue #19): a preview under 50 ms at p95 on the server for the seed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "gcm-cluster-3.md").read_text("utf-8")
VIEW = "GfmdCodeMirror.EditorView.findFromDOM(document.querySelector('.cm-editor'))"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def line(name: str, values_ms: list[float]) -> str:
    return (f"  {name:<44} p50 {percentile(values_ms, 50):7.1f} ms   "
            f"p95 {percentile(values_ms, 95):7.1f} ms   (n={len(values_ms)})")


def start_server(folder: Path, workers: int | None) -> tuple[subprocess.Popen, str]:
    args = [sys.executable, "-m", "gfmdreport", "serve", str(folder), "--port", "0"]
    if workers:
        args += ["--workers", str(workers)]
    process = subprocess.Popen(args, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([process.stderr], [], [], 0.5)[0]:
            found = re.search(r"(http://\S+)", process.stderr.readline())
            if found:
                return process, found.group(1)
        if process.poll() is not None:
            break
    process.kill()
    raise SystemExit("gfmdreport serve did not start")


def baseline(repeat: int) -> list[float]:
    from gfmdreport import pipeline
    from gfmdreport.config import Config

    data = SEED.encode("utf-8")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        summary = pipeline.loads(data, "md", path="notes.md")
        pipeline.validate(summary, config=Config())
        pipeline.render_report(summary, "html")
        times.append((time.perf_counter() - start) * 1000)
    return times


def client(url: str):
    import httpx

    http = httpx.Client(base_url=url, timeout=60)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', http.get("/").text).group(1)
    http.headers.update({"Origin": url.rstrip("/"), "X-CSRF-Token": csrf})
    return http, csrf


def server_side(url: str, requests: int) -> tuple[list[float], list[float], list[float]]:
    http, _ = client(url)
    server, render, round_trip = [], [], []
    for seq in range(1, requests + 11):
        text = SEED.replace("Hotel Savoyen", f"Hotel Savoyen {seq}")
        start = time.perf_counter()
        response = http.post("/api/preview", content=text.encode(), params={
            "format": "md", "path": "gcm-cluster-3.md", "editor": "bench", "seq": seq})
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200 and response.json()["html"], response.text[:300]
        if seq <= 10:
            continue  # warm-up
        timing = dict(re.findall(r"(\w+);dur=([\d.]+)", response.headers["server-timing"]))
        server.append(float(timing["server"]))
        render.append(float(timing["render"]))
        round_trip.append(elapsed)
    http.close()
    return server, render, round_trip


def in_browser(url: str, edits: int) -> tuple[list[float], list[float]] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  (Playwright for Python is not installed: pip install '.[test]')")
        return None
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser")
                     if shutil.which(n)), None)
    if chromium is None:
        print("  (Chromium is not installed)")
        return None
    from_key, from_request = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url + "#file=gcm-cluster-3.md")
        page.wait_for_selector("body[data-ready]")
        page.wait_for_selector("#preview-state:has-text('Up to date')")
        page.evaluate(f"{VIEW}.dispatch({{selection: {{anchor: {SEED.index('Mancini 3b')}}}}})")
        page.evaluate(f"{VIEW}.focus()")
        for n in range(edits + 3):
            before = page.evaluate("performance.getEntriesByName('gfmd-preview').length")
            page.keyboard.type("x" if n % 2 == 0 else "y")
            typed = time.perf_counter()
            while page.evaluate("performance.getEntriesByName('gfmd-preview').length") == before:
                time.sleep(0.002)
            shown = time.perf_counter()
            measure = page.evaluate("performance.getEntriesByName('gfmd-preview').at(-1)"
                                    ".duration")
            if n >= 3:  # warm-up
                from_key.append((shown - typed) * 1000)
                from_request.append(measure)
            page.wait_for_timeout(50)
        browser.close()
    return from_key, from_request


async def many(url: str, folder: Path, clients: int, seconds: float) -> dict:
    import httpx

    for n in range(clients):
        (folder / f"session-{n:02d}.md").write_text(
            SEED.replace("Hotel Savoyen", f"Room {n}"), "utf-8")
    _, csrf = client(url)
    headers = {"Origin": url.rstrip("/"), "X-CSRF-Token": csrf}
    latencies: list[float] = []
    saves = conflicts = 0
    stop = time.perf_counter() + seconds

    async def editor(n: int) -> None:
        nonlocal saves, conflicts
        name = f"session-{n:02d}.md"
        async with httpx.AsyncClient(base_url=url, timeout=120, headers=headers) as http:
            opened = (await http.get(f"/api/files/{name}")).json()
            text, version, seq = opened["text"], opened["version"], 0
            while time.perf_counter() < stop:
                seq += 1
                text = text.replace(f"Room {n}", f"Room {n}.{seq}", 1) if seq == 1 else \
                    text.replace(f"Room {n}.{seq - 1}", f"Room {n}.{seq}", 1)
                start = time.perf_counter()
                response = await http.post("/api/preview", content=text.encode(), params={
                    "format": "md", "path": name, "editor": f"e{n}", "seq": seq})
                assert response.status_code == 200, response.text[:200]
                latencies.append((time.perf_counter() - start) * 1000)
                if seq % 10 == 0:
                    saved = await http.put(f"/api/files/{name}", content=text.encode(),
                                           headers={"If-Match": version})
                    if saved.status_code == 200:
                        version, saves = saved.json()["version"], saves + 1
                    else:
                        conflicts += 1

    started = time.perf_counter()
    await asyncio.gather(*(editor(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    return {"previews": len(latencies), "seconds": elapsed, "latencies": latencies,
            "saves": saves, "conflicts": conflicts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    print(f"gfmdreport serve, the seed session ({len(SEED.encode()):,} bytes of notes); "
          f"{os.cpu_count()} CPUs")
    base = baseline(args.requests)
    print("\n1. baseline, in this process (read + validate + render HTML):")
    print(line("the work of one preview", base))

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "notes"
        folder.mkdir()
        (folder / "gcm-cluster-3.md").write_text(SEED, "utf-8")
        process, url = start_server(folder, args.workers)
        try:
            server, render, round_trip = server_side(url, args.requests)
            print(f"\n2. server side, {args.requests} previews one after another:")
            print(line("request received to answer sent (server)", server))
            print(line("  of which the worker (render)", render))
            print(line("round trip seen by a client on this machine", round_trip))
            aim = percentile(server, 95)
            print(f"  aim: p95 under 50 ms on the server: {'met' if aim < 50 else 'NOT met'}"
                  f" ({aim:.1f} ms; {aim / percentile(base, 95):.2f}x the baseline's p95)")

            if not args.no_browser:
                print(f"\n3. in the browser (Chromium), {args.edits} one-letter edits:")
                found = in_browser(url, args.edits)
                if found:
                    from_key, from_request = found
                    print(line("last keystroke to report shown (300 ms pause)", from_key))
                    print(line("request sent to report shown", from_request))

            result = asyncio.run(many(url, folder, args.clients, args.seconds))
            rate = result["previews"] / result["seconds"]
            one_cpu = 1000 / statistics.median(base)
            print(f"\n4. {args.clients} clients at once for {args.seconds:g} s, each on its "
                  f"own file (a save every tenth edit):")
            print(f"  {result['previews']} previews, {rate:.1f} per second "
                  f"({rate / one_cpu:.2f}x the baseline's {one_cpu:.1f}/s on one CPU); "
                  f"{result['saves']} saves, {result['conflicts']} conflicts")
            print(line("preview latency under that load", result["latencies"]))
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
