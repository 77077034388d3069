"""The benchmark runs end to end on a small generated repository (401 commits: the `--at HEAD~400` case
needs them) and prints the table of ratios the performance targets are written in (the README's
performance table is its output)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_benchmark_prints_every_target_and_keeps_every_figure(tmp_path):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("CI", None)
    figures = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "300", "--commits", "401",
                           "--workdir", str(tmp_path / "work"), "--json", str(figures)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    for target in ("cold validate + gaps / PyYAML C parse", "warm validate + gaps / cold pair",
                   "cold report / cold validate", "cold diff HEAD~50 HEAD / cold validate", "similar / cold validate"):
        assert f"| 300: {target} |" in done.stdout
    found = json.loads(figures.read_text(encoding="utf-8"))["sizes"]["300"]
    assert {"validate-cold", "gaps-warm", "similar", "due", "diff", "report-cold", "yearly-cold"} <= set(found)
    assert all(figure["seconds"] > 0 and figure["peak_mb"] > 0 for figure in found.values())
