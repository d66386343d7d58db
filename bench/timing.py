"""Timing helpers the benchmarks share: median of repeated runs, in-process or as a
command."""

from __future__ import annotations

import statistics
import subprocess
import time

from gfmdreport import inline


def median_ms(fn, runs: int) -> float:
    """Median milliseconds of ``fn()`` over ``runs`` calls after one warm-up, the inline
    parse cache emptied before each, so every call parses its text as a new one would."""
    fn()
    times = []
    for _ in range(runs):
        inline.parse.cache_clear()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def command_ms(cmd: list[str], runs: int) -> float:
    """Median milliseconds of running ``cmd`` over ``runs`` runs after one warm-up."""
    subprocess.run(cmd, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
