"""A command run in the background (git reading the history while the records are parsed), its output
written to unnamed temporary files rather than a pipe, so that no thread need read it meanwhile: a
running thread would rule out forking (parallel.py)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path


class Running:
    """One command started now, whose exit code and output are read when wanted."""

    def __init__(self, command: list[str], cwd: Path, env: Mapping[str, str]) -> None:
        import tempfile  # here, not at the top: a warm run starts nothing in the background

        self._owner = os.getpid()
        # Closed by finished(), once the command has ended: a context manager would close them before.
        self._stdout, self._stderr = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=self._stdout,
                                         stderr=self._stderr, env=dict(env))

    def finished(self) -> tuple[int, bytes, bytes] | None:
        """The exit code, stdout and stderr, once the command has ended; None in a forked child, which
        cannot wait for its parent's process (and must not read a file still being written)."""
        if os.getpid() != self._owner:
            return None
        returncode = self._process.wait()
        outputs = []
        for file in (self._stdout, self._stderr):
            file.seek(0)
            outputs.append(file.read())
            file.close()
        return returncode, outputs[0], outputs[1]
