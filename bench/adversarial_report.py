"""The adversarial corpus's catalogue and totals: every case of tests/adversarial/ run as
the test suite runs it (tests/test_adversarial.py), with its outcome.

    python bench/adversarial_report.py            # one line per case, then the totals
    python bench/adversarial_report.py -q         # the totals only
    python bench/adversarial_report.py yaml- docx # only cases whose name holds a word
    python bench/adversarial_report.py --json     # for machines

Totals: cases, passed, skipped (with why), and the cases with a crash, a hang, a partial
output, a write outside the output folder, or an outcome other than declared. Expected:
every case passed, none of the rest. The exit status is 0 then, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "adversarial"))

import runner  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only cases whose name contains one of these")
    parser.add_argument("-q", "--quiet", action="store_true", help="print the totals only")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    cases = runner.load_cases()
    if args.names:
        cases = [c for c in cases if any(n in c.name for n in args.names)]
    started = time.perf_counter()

    def show(outcome: runner.Outcome) -> None:
        if args.quiet or args.json:
            return
        status = ("skipped" if outcome.skipped else "passed" if outcome.passed else "FAILED")
        print(f"{status:<8} {outcome.seconds:6.2f} s  {outcome.case}", flush=True)
        if outcome.skipped:
            print(f"         ({outcome.skipped})")
        elif not outcome.passed:
            print("\n".join("         " + line[:300]
                            for line in outcome.explain().splitlines()[1:30]))

    outcomes = runner.run_all(cases, show)
    ran = [o for o in outcomes if not o.skipped]
    totals = {
        "cases": len(outcomes),
        "passed": sum(o.passed for o in ran),
        "skipped": len(outcomes) - len(ran),
        "crash": sum(bool(o.crashes) for o in ran),
        "hang": sum(o.hang for o in ran),
        "partial_output": sum(bool(o.partial) for o in ran),
        "write_outside_output": sum(bool(o.escapes) for o in ran),
        "not_as_declared": sum(bool(o.mismatches) for o in ran),
        "seconds": round(time.perf_counter() - started, 1),
    }
    by_kind: dict[str, int] = {}
    for case in cases:
        by_kind[case.mode] = by_kind.get(case.mode, 0) + 1
    if args.json:
        print(json.dumps({"totals": totals, "modes": by_kind, "cases": [
            {"case": o.case, "passed": o.passed and not o.skipped, "skipped": o.skipped,
             "seconds": round(o.seconds, 3), "crashes": o.crashes, "hang": o.hang,
             "partial": o.partial, "escapes": o.escapes, "mismatches": o.mismatches}
            for o in outcomes]}, indent=2))
    else:
        print()
        print(f"cases                    {totals['cases']:>5}  "
              f"({', '.join(f'{n} {k}' for k, n in sorted(by_kind.items()))})")
        print(f"passed                   {totals['passed']:>5}")
        print(f"skipped                  {totals['skipped']:>5}")
        print(f"crash                    {totals['crash']:>5}")
        print(f"hang                     {totals['hang']:>5}")
        print(f"partial output           {totals['partial_output']:>5}")
        print(f"write outside output     {totals['write_outside_output']:>5}")
        print(f"not as declared          {totals['not_as_declared']:>5}")
        print(f"time                     {totals['seconds']:>5} s")
    return 0 if totals["passed"] == len(ran) else 1


if __name__ == "__main__":
    sys.exit(main())
