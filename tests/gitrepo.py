"""Real temporary git repositories with pinned authors and dates, for tests that read history."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path


class GitRepoBuilder:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        (root / "records").mkdir(exist_ok=True)

    def git(self, *args: str, date: str = "2022-01-01T12:00:00") -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Business Unit", "GIT_AUTHOR_EMAIL": "unit@example.org",
            "GIT_COMMITTER_NAME": "Business Unit", "GIT_COMMITTER_EMAIL": "unit@example.org",
            "GIT_AUTHOR_DATE": f"{date}+00:00", "GIT_COMMITTER_DATE": f"{date}+00:00",
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        }
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True).stdout

    def write(self, files: dict[str, str | None]) -> None:
        for rel, content in files.items():
            path = self.root / rel
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")

    def commit(self, message: str, date: str, files: dict[str, str | None] | None = None) -> str:
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, "--allow-empty", date=date)
        return self.git("rev-parse", "HEAD").strip()

    def move(self, old: str, new: str) -> None:
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)
