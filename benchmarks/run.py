"""Time trace's commands on synthetic record sets in real git repositories, in one series, and print
the table of ratios the performance targets are written in, then every measurement.

    python benchmarks/run.py                          # 10,000 and 50,000 records, 500 commits
    python benchmarks/run.py --sizes 10000 --runs 3   # the fastest of three runs of each
    python benchmarks/run.py --peers                  # also Doorstop on the same number of items
    python benchmarks/run.py --json figures.json      # keep the figures, to compare two runs

Each measurement runs the installed `trace` in a fresh process (so start-up counts) and records wall
time and peak memory (max RSS of the child). "Cold" empties trace's cache first; "warm" is a second
run of the same command (its whole result kept); coverage, matrix, similar and the first gaps find
the records parsed but compute their answer. The parse floor is PyYAML's C loader reading the same
files in one process. Generated repositories are kept in --workdir and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

GAPS = ["gaps", "--as-of", "2025-01-01", "--format", "json"]
# name: (arguments, what is kept before each run): "cold" empties trace's cache (records, kept results,
# compiled schemas); "computed" keeps the records as parsed and checked but not whole results nor git
# history, so the command does its work on records already parsed; "warm" keeps everything (a second run).
CASES: dict[str, tuple[list[str], str]] = {
    "version": (["--version"], "warm"),
    "validate-cold": (["validate"], "cold"),
    "validate-warm": (["validate"], "warm"),  # before any "computed" case, which forgets every kept result
    "gaps-after-validate": (GAPS, "computed"),
    "gaps-warm": (GAPS, "warm"),
    "coverage": (["coverage", "--format", "json"], "computed"),
    "matrix": (["matrix"], "computed"),
    "similar": (["similar", "--format", "json"], "computed"),
    "due": (["due", "--as-of", "2025-01-01", "--format", "json"], "computed"),
    "at": (["--at", "HEAD~400", *GAPS], "cold"),
    "diff": (["diff", "HEAD~50", "HEAD", "--as-of", "2025-01-01", "--format", "json"], "cold"),
    "report-cold": (["report", "--quarter", "2024-25 Q2", "--format", "html,md", "--force", "--out", "{tmp}"], "cold"),
    "report-warm": (["report", "--quarter", "2024-25 Q2", "--format", "html,md", "--force", "--out", "{tmp}"], "warm"),
    "yearly-cold": (["report", "--year", "2023-24", "--format", "html,md,docx", "--force", "--out", "{tmp}"], "cold"),
}

# A fresh wrapper per measurement: RUSAGE_CHILDREN's peak then belongs to this one command alone.
_WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
elapsed = time.perf_counter() - started
print(code, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

_PARSE_FLOOR = """
import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def _measure(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *command], cwd=cwd, capture_output=True, text=True,
                         env=env)
    code, elapsed, peak_kb = out.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{out.stderr[-2000:]}")
    return float(elapsed), int(peak_kb) / 1024


def _compile_trace(trace: str) -> None:
    """Byte-compile trace's modules, as `pip install .` does when it installs them: from an editable
    install, with PYTHONDONTWRITEBYTECODE set (as on this machine), every command would otherwise
    compile them afresh, and start-up would cost what no installed copy costs."""
    first_line = Path(trace).read_bytes().split(b"\n", 1)[0]
    interpreter = first_line[2:].decode().strip() if first_line.startswith(b"#!") else sys.executable
    subprocess.run([interpreter, "-c", "import compileall, learntrace, sys; "
                    "sys.exit(not compileall.compile_dir(learntrace.__path__[0], quiet=1))"], check=True)


def _empty_cache(repo: Path, cache_home: Path) -> None:
    shutil.rmtree(cache_home, ignore_errors=True)
    shutil.rmtree(repo / ".trace-cache", ignore_errors=True)  # where trace kept it before version 0.2


def _forget_results(cache_home: Path) -> None:
    """Whole results, and what git history says (kept by the first gaps, which validate never reads): a
    "computed" gaps then costs what the gaps after a first validate in CI costs."""
    for folder in cache_home.glob("trace/*/results-v*"):
        shutil.rmtree(folder, ignore_errors=True)
    for history in cache_home.glob("trace/*/history-v*.marshal"):
        history.unlink()


def _series(trace: str, repo: Path, workdir: Path, cases: list[str], runs: int) -> dict[str, tuple[float, float]]:
    cache_home = workdir / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("CI", None)
    results: dict[str, tuple[float, float]] = {}
    for case in cases:
        arguments, kept = CASES[case]
        arguments = [a.replace("{tmp}", str(workdir / "reports")) for a in arguments]
        timings = []
        for _ in range(runs):
            if kept == "cold":
                _empty_cache(repo, cache_home)
            elif kept == "computed":
                _forget_results(cache_home)
            timings.append(_measure([trace, *arguments], repo, env))
        results[case] = min(timings, key=lambda m: m[0])
    if importlib_available("yaml"):
        results["parse-floor"] = min((_measure([sys.executable, "-c", _PARSE_FLOOR, "records"], repo, env)
                                      for _ in range(runs)), key=lambda m: m[0])
    return results


def importlib_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _doorstop(repo: Path, size: int, runs: int) -> float | None:
    """Doorstop's fastest check (-F -C: no file, no child-link checks) on as many items as trace's records."""
    doorstop = shutil.which("doorstop")
    if doorstop is None:
        print("Doorstop is not installed (pip install doorstop): --peers skipped.", file=sys.stderr)
        return None
    tree = repo.parent / f"doorstop-{size}"
    if not (tree / ".git").exists():
        shutil.rmtree(tree, ignore_errors=True)
        (tree / "reqs").mkdir(parents=True)
        subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
        (tree / "reqs" / ".doorstop.yml").write_text("settings:\n  digits: 5\n  prefix: REQ\n  sep: ''\n")
        for i in range(1, size + 1):
            (tree / "reqs" / f"REQ{i:05d}.yml").write_text(
                f"active: true\nderived: false\nlevel: 1.{i}\nlinks: []\nnormative: true\nref: ''\n"
                f"reviewed: null\ntext: |\n  Synthetic requirement {i} about multi-agency practice.\n")
    return min(_measure([doorstop, "-F", "-C"], tree, dict(os.environ))[0] for _ in range(runs))


def _ratios(by_size: dict[int, dict[str, tuple[float, float]]], peers: dict[int, float | None]) -> list[str]:
    lines = ["| what | ratio | target |", "|---|---:|---:|"]

    def row(what: str, value: float | None, target: str) -> None:
        lines.append(f"| {what} | {'n/a' if value is None else f'{value:.2f}×'} | {target} |")

    for size, found in sorted(by_size.items()):
        t = {case: value[0] for case, value in found.items()}
        cold_pair = t["validate-cold"] + t["gaps-after-validate"]
        warm_pair = t["validate-warm"] + t["gaps-warm"]
        label = f"{size:,}:"
        row(f"{label} cold validate + gaps / PyYAML C parse", cold_pair / t["parse-floor"] if "parse-floor" in t
            else None, "≤ 1.5×")
        row(f"{label} warm validate + gaps / cold pair", warm_pair / cold_pair, "≤ 0.12×")
        row(f"{label} cold report / cold validate", t["report-cold"] / t["validate-cold"], "≤ 1.5×")
        row(f"{label} cold diff HEAD~50 HEAD / cold validate", t["diff"] / t["validate-cold"], "≤ 1.2×")
        # Issue 16: comparing every recommendation's text must stay well under reading the records.
        row(f"{label} similar / cold validate", t["similar"] / t["validate-cold"], "≤ 0.5×")
        row(f"{label} warm gaps (with repeat-learning) / cold validate", t["gaps-warm"] / t["validate-cold"], "≤ 0.5×")
        if peers.get(size):
            row(f"{label} Doorstop -F -C / trace cold validate + gaps", peers[size] / cold_pair, "≥ 8×")
    sizes = sorted(by_size)
    if len(sizes) >= 2:
        small, big = by_size[sizes[0]], by_size[sizes[-1]]
        worst = max((big[c][0] / small[c][0], c) for c in small if c in big and c not in ("version", "parse-floor"))
        row(f"worst command at {sizes[-1]:,} / at {sizes[0]:,} ({worst[1]})", worst[0], "≤ 5.5×")
        lines.append(f"| report peak memory at {sizes[-1]:,} | {big['report-cold'][1]:.0f} MB | ≤ 300 MB |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--only", help=f"comma-separated cases from: {', '.join(CASES)}")
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "trace-bench")
    parser.add_argument("--runs", type=int, default=1, help="repeat each case and keep the fastest")
    parser.add_argument("--peers", action="store_true", help="also time Doorstop on as many items")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()
    trace = shutil.which("trace")
    if trace is None:
        raise SystemExit("install trace first: pip install .")
    _compile_trace(trace)
    cases = args.only.split(",") if args.only else list(CASES)
    by_size: dict[int, dict[str, tuple[float, float]]] = {}
    peers: dict[int, float | None] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        repo = args.workdir / f"records-{size}-{args.commits}"
        if not (repo / ".git").exists():
            shutil.rmtree(repo, ignore_errors=True)
            repo.mkdir(parents=True)
            generate(repo, size, args.commits)
        by_size[size] = _series(trace, repo, args.workdir, cases, args.runs)
        if args.peers:
            peers[size] = _doorstop(repo, size, args.runs)
    cpu = platform.processor() or platform.machine()
    print(f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}")
    print()
    if not args.only:
        print("\n".join(_ratios(by_size, peers)))
        print()
    print("| records | case | command | wall time (s) | peak memory (MB) |")
    print("|---:|---|---|---:|---:|")
    for size, found in sorted(by_size.items()):
        for case, (elapsed, peak) in found.items():
            label = "PyYAML C parse of every file" if case == "parse-floor" else \
                f"`trace {' '.join(a for a in CASES[case][0] if '{tmp}' not in a)}`"
            print(f"| {size:,} | {case} | {label} | {elapsed:.2f} | {peak:.0f} |")
    if args.json:
        args.json.write_text(json.dumps({"sizes": {str(s): {c: {"seconds": v[0], "peak_mb": v[1]}
                                                            for c, v in f.items()} for s, f in by_size.items()},
                                         "doorstop": {str(s): v for s, v in peers.items()}}, indent=2) + "\n")


if __name__ == "__main__":
    main()
