"""Independent jobs (a report's HTML, Markdown and Word file; the gaps at a period's start and end) run
side by side on a machine with more than one core: every job but the first in a forked child, which
inherits what the parent computed and hands back only its answer, pickled. Each job's answer is what
running it alone gives; where fork is missing (Windows), on one core, or with other threads running
(forking them is unsafe), the jobs simply run in turn, here."""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from learntrace import progress

T = TypeVar("T")

_in_child = False  # a child does its one job in turn: its parent has the other cores busy


def side_by_side() -> int:
    """How many jobs can run at once here: one without fork, on one core, or with other threads running
    (forking them is unsafe)."""
    if _in_child or not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    return max(1, os.cpu_count() or 1)


def run_side_by_side(jobs: dict[str, Callable[[], T]]) -> dict[str, T]:
    """Each job's answer, by name. An exception a job raises is raised here, as running it here would.
    A child's answer must pickle (bytes, records, gaps), and the job must change nothing the parent
    reads later: what a child changes stays in the child."""
    if len(jobs) < 2 or side_by_side() < 2:
        return {name: job() for name, job in jobs.items()}
    first, *others = jobs
    # What the parent holds now is never walked by its cyclic collector again, nor by a child's (which
    # collects nothing: it lives for one job). A walk writes to every object, and a child would copy
    # each page of the parent's memory it wrote to: most of a large report's.
    gc.freeze()
    with tempfile.TemporaryDirectory(prefix="trace-jobs-") as scratch:
        children = {name: _start(jobs[name], Path(scratch) / str(number)) for number, name in enumerate(others)}
        try:
            results = {first: jobs[first]()}
            for name, (pid, result_file) in children.items():
                results[name] = _finish(pid, result_file, jobs[name])
        finally:
            for pid, _ in children.values():
                _reap(pid)
    return {name: results[name] for name in jobs}


def _start(job: Callable[[], Any], result_file: Path) -> tuple[int, Path]:
    pid = os.fork()
    if pid == 0:  # the child: do the job, keep what it gave, and leave without running the parent's exit code
        global _in_child
        _in_child, code = True, 0
        gc.disable()
        progress.show_nothing()  # one progress line on the terminal, the parent's
        try:
            outcome: tuple[str, Any] = ("made", job())
        except BaseException as error:  # handed to the parent, which raises it where the job was asked for
            outcome = ("raised", error)
        try:
            result_file.write_bytes(pickle.dumps(outcome))
        except BaseException:  # an answer that cannot be pickled: the parent does the job itself
            code = 1
        os._exit(code)
    return pid, result_file


def _finish(pid: int, result_file: Path, job: Callable[[], T]) -> T:
    """The child's answer; the exception it raised, raised; or, when it left nothing (killed, or its
    answer could not be pickled), the job done here."""
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and result_file.exists():
        what, value = pickle.loads(result_file.read_bytes())  # written by our own child, in our own folder
        if what == "raised" and isinstance(value, BaseException):
            raise value
        if what == "made":
            return value  # type: ignore[no-any-return]
    return job()


def _reap(pid: int) -> None:
    """A child still running when the parent stops early (an exception, ^C) is stopped and waited for."""
    try:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    except ChildProcessError:
        return  # already waited for
