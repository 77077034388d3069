"""Time trace's commands on synthetic record sets in real git repositories, and print a Markdown table.

    python benchmarks/run.py                      # 1,000 / 5,000 / 10,000 records, 500 commits
    python benchmarks/run.py --sizes 50000        # a bigger set
    python benchmarks/run.py --sizes 5000 --only at,diff

Each measurement runs the installed `trace` command in a fresh process (so start-up counts) and
reports wall time and peak memory (max RSS of the child). Generated repositories are kept in
--workdir and reused.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

# name: (arguments, whether the record cache is emptied first)
CASES: dict[str, tuple[list[str], bool]] = {
    "version": (["--version"], False),
    "validate-first": (["validate"], True),
    "gaps-first": (["gaps", "--as-of", "2025-01-01", "--format", "json"], False),
    "validate-second": (["validate"], False),
    "gaps-second": (["gaps", "--as-of", "2025-01-01", "--format", "json"], False),
    "coverage": (["coverage", "--format", "json"], False),
    "matrix": (["matrix"], False),
    "at": (["--at", "HEAD~400", "gaps", "--format", "json"], True),
    "diff": (["diff", "HEAD~100", "HEAD", "--as-of", "2025-01-01", "--format", "json"], True),
    "report": (["report", "--quarter", "2024-25 Q2", "--format", "html,md", "--force", "--out", "{tmp}"], True),
}


# A fresh wrapper per measurement: RUSAGE_CHILDREN's peak then belongs to this one command alone.
_WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
elapsed = time.perf_counter() - started
print(code, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _measure(trace: str, args: list[str], cwd: Path, tmp: Path) -> tuple[float, float]:
    args = [a.replace("{tmp}", str(tmp)) for a in args]
    out = subprocess.run([sys.executable, "-c", _WRAPPER, trace, *args], cwd=cwd, capture_output=True, text=True)
    code, elapsed, peak_kb = out.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"trace {' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return float(elapsed), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--only", help=f"comma-separated cases from: {', '.join(CASES)}")
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "trace-bench")
    parser.add_argument("--runs", type=int, default=1, help="repeat each case and keep the fastest")
    args = parser.parse_args()
    trace = shutil.which("trace")
    if trace is None:
        raise SystemExit("install trace first: pip install .")
    cases = args.only.split(",") if args.only else list(CASES)
    cpu = platform.processor() or platform.machine()
    print(f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}")
    print()
    print("| records | command | wall time (s) | peak memory (MB) |")
    print("|---:|---|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        repo = args.workdir / f"records-{size}-{args.commits}"
        if not (repo / ".git").exists():
            shutil.rmtree(repo, ignore_errors=True)
            repo.mkdir(parents=True)
            generate(repo, size, args.commits)
        for case in cases:
            arguments, cold = CASES[case]
            timings = []
            for _ in range(args.runs):
                if cold:
                    shutil.rmtree(repo / ".trace-cache", ignore_errors=True)
                timings.append(_measure(trace, arguments, repo, args.workdir / "reports"))
            best = min(timings, key=lambda m: m[0])
            label = f"trace {' '.join(a for a in arguments if '{tmp}' not in a)}"
            when = " (cache empty)" if cold else (" (cache warm)" if case.endswith("second") else "")
            print(f"| {size:,} | `{label}`{when} | {best[0]:.2f} | {best[1]:.0f} |", flush=True)


if __name__ == "__main__":
    main()
