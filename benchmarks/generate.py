"""Generate a realistic synthetic record set in a real git repository, for benchmarks.

    python benchmarks/generate.py OUT_DIR --records 10000 --commits 500
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
from pathlib import Path

AIMS = 10
OUTCOMES = 10
STATUSES = ["not-started", "in-progress", "complete", "dropped", "unknown"]

# Recommendation text made of safeguarding phrases, so that texts differ as real ones do (a set of
# near-identical texts would make every text-similarity measure meaningless).
_WHO = ["Partner agencies", "Health visitors", "Midwifery services", "Children's social care", "The police",
        "GP practices", "Early help teams", "Adult mental health services", "Hospital trusts", "Schools"]
_DO = ["should review", "must strengthen", "should audit", "need to improve", "should develop training on",
       "must record", "should share information about", "need guidance on", "should evaluate", "must escalate"]
_WHAT = ["the assessment of fathers and male carers", "safer sleeping advice", "pre-birth assessment",
         "bruising in non-mobile babies", "domestic abuse risk", "neglect using the graded care profile",
         "parental substance misuse", "perinatal mental health", "the voice of the child", "case supervision",
         "multi-agency referrals", "genograms and family history", "discharge planning", "injury explanations",
         "child protection medicals", "transfer of records between areas"]
_WHEN = ["before discharge", "at every contact", "within a month", "when concerns first arise",
         "in joint visits", "at strategy meetings", "through audit", "with families"]


def _recommendation_text(rng: random.Random) -> str:
    clauses = [f"{rng.choice(_WHO)} {rng.choice(_DO)} {rng.choice(_WHAT)} {rng.choice(_WHEN)}"
               for _ in range(rng.randint(1, 2))]
    return "; and ".join(clauses) + "."


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _action(i: int, rng: random.Random, recs: int, status: str) -> str:
    addresses = sorted({f"REC-{rng.randrange(recs) + 1}" for _ in range(rng.randint(0, 2))})
    year, month = 2020 + rng.randrange(5), rng.randint(1, 12)
    target = rng.choice([f"{year}-{month:02d}", f"{year}-Q{(month - 1) // 3 + 1}", "ongoing", "tba",
                         f"{year}-{month:02d}..{year + 1}-{month:02d}"])
    return (
        f"id: ACT-{i}\ntitle: Synthetic action {i} to improve multi-agency practice\n"
        f"owner: Agency {rng.randrange(12)}\nstatus: {status}\ntarget: '{target}'\n"
        f"addresses: [{', '.join(addresses)}]\naims: [AIM-{rng.randrange(AIMS) + 1}]\n"
        f"outcomes: [OUT-{rng.randrange(OUTCOMES) + 1}]\n"
        f"notes: >-\n  Generated for the benchmark; the wording is long enough to look like a real note\n"
        f"  about who agreed what and when.\nprovenance:\n  - document: plan.docx\n    section: row {i}\n"
    )


def generate(out: Path, records: int, commits: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    sources = max(1, records // 50)
    recs = int(records * 0.4)
    actions = int(records * 0.4)
    evidence = records - sources - recs - actions - AIMS - OUTCOMES
    root = out
    (root / "records").mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    for i in range(1, sources + 1):
        _write(root / f"records/sources/SRC-{i}.yaml",
               f"id: SRC-{i}\ntitle: Review {i}\ntype: local-review\npublished: '{2015 + i % 8}'\n")
    for i in range(1, AIMS + 1):
        _write(root / f"records/aims/AIM-{i}.yaml", f"id: AIM-{i}\ntitle: Aim {i}\nstatus: active\n")
    for i in range(1, OUTCOMES + 1):
        _write(root / f"records/outcomes/OUT-{i}.yaml", f"id: OUT-{i}\ntitle: Outcome {i}\n")
    for i in range(1, recs + 1):
        source = rng.randrange(sources) + 1
        _write(root / f"records/recommendations/SRC-{source}/REC-{i}.yaml", (
            f"id: REC-{i}\nsource: SRC-{source}\nref: '{i}'\ntext: >-\n  {_recommendation_text(rng)}\n"
            f"aims: [AIM-{rng.randrange(AIMS) + 1}]\nstatus: open\n"
        ))
    for i in range(1, actions + 1):
        _write(root / f"records/actions/ACT-{i}.yaml", _action(i, rng, recs, rng.choice(STATUSES)))
    for i in range(1, evidence + 1):
        _write(root / f"records/evidence/EV-{i}.yaml", (
            f"id: EV-{i}\ntitle: Minutes {i}\nsupports: [ACT-{rng.randrange(actions) + 1}]\n"
            f"date: '2022-{rng.randint(1, 12):02d}'\nlocation: shared drive\n"
        ))
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Initial records", date="2020-01-01T09:00:00+00:00")
    for n in range(1, commits):
        day = "2020-01-01T09:00:00+00:00"
        for _ in range(3):
            i = rng.randrange(actions) + 1
            _write(root / f"records/actions/ACT-{i}.yaml", _action(i, rng, recs, rng.choice(STATUSES)))
        days = n * 4  # a commit every few days over about five years
        year, rest = 2020 + days // 365, days % 365
        day = f"{year}-{rest // 31 + 1:02d}-{rest % 28 + 1:02d}T09:00:00+00:00"
        _git(root, "commit", "-q", "-a", "-m", f"Update actions ({n})", date=day)
    # Packed, as a clone is: loose objects would make every history read cost what no real user pays.
    _git(root, "gc", "-q")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=500)
    args = parser.parse_args()
    generate(args.out, args.records, args.commits)


if __name__ == "__main__":
    main()
