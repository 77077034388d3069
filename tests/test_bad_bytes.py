"""Bad bytes never crash, git and the work tree agree, and hostile sizes cost little (issue 12, sections 3
and 4): names and authors that are not UTF-8, dates git cannot hold, shallow clones, a closed pipe, huge
blobs in history, thousands of unknown links."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run, write_records
from gitrepo import GitRepoBuilder

NOT_UTF8_FOLDER = "records/aims/caf\ufffd/AIM-CAFE.yaml: the folder name is not UTF-8 text; rename it"


def _repo(root: Path) -> GitRepoBuilder:
    repo = GitRepoBuilder(root)
    repo.commit("Records", "2022-01-10T09:00:00", dict(VALID_RECORDS))
    return repo


def _with_bad_folder(repo: GitRepoBuilder) -> None:
    path = os.fsencode(repo.root) + b"/records/aims/caf\xe9/AIM-CAFE.yaml"
    os.makedirs(os.path.dirname(path))
    with open(path, "wb") as file:
        file.write(b"id: AIM-CAFE\ntitle: t\nstatus: active\n")
    repo.commit("A folder name in Latin-1", "2022-02-10T09:00:00")


@pytest.mark.parametrize("args", [
    ("validate",), ("--at", "HEAD", "validate"), ("gaps", "--as-of", "2022-03-01"),
    ("--at", "HEAD", "gaps", "--as-of", "2022-03-01"), ("gaps", "--baseline", "HEAD~1", "--as-of", "2022-03-01"),
])
def test_a_folder_name_that_is_not_utf8_is_a_located_problem_in_the_work_tree_and_in_history(tmp_path, args):
    repo = _repo(tmp_path / "root")
    _with_bad_folder(repo)
    result = run(repo.root, *args)
    assert result.exit_code == 1, result.output
    assert NOT_UTF8_FOLDER in result.output.splitlines()  # gaps says the records' problems on stderr


@pytest.mark.parametrize("args", [("log", "--since", "2022-01-01"), ("diff", "HEAD~1", "HEAD", "--as-of", "2022-03-01"),
                                  ("history", "AIM-CAFE"), ("report", "--quarter", "2022Q1", "--format", "md")])
def test_history_commands_show_a_name_that_is_not_utf8_with_a_replacement_character(tmp_path, args):
    repo = _repo(tmp_path / "root")
    _with_bad_folder(repo)
    extra = ("--out", str(tmp_path / "out")) if args[0] == "report" else ()
    result = run(repo.root, *args, *extra)
    assert result.exit_code in (0, 1), result.output
    assert "UnicodeDecodeError" not in result.output
    if args[0] in ("log", "history"):
        assert "records/aims/caf\ufffd/AIM-CAFE.yaml" in result.stdout


def test_an_author_name_that_is_not_utf8_is_shown_with_a_replacement_character(tmp_path):
    repo = _repo(tmp_path / "root")
    repo.write({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer sleeping, again\nstatus: active\n"})
    repo.git("add", "-A")
    tree, parent = repo.git("write-tree").strip(), repo.git("rev-parse", "HEAD").strip()
    # git keeps an author's name as the bytes it was given (git commit would mend them, an old tool did not).
    ident = b"Ren\xffe <r@example.org> 1644483600 +0000"
    commit = b"tree %s\nparent %s\nauthor %s\ncommitter %s\n\nRetitle\n" % (
        tree.encode(), parent.encode(), ident, ident)
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo.root, input=commit,
                         capture_output=True, check=True).stdout.decode().strip()
    repo.git("update-ref", "HEAD", sha)
    result = run(repo.root, "history", "AIM-1")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"2022-02-10  {sha[:10]}  Ren\ufffde: Retitle"
    assert run(repo.root, "log", "--since", "2022-01-01", "--format", "json").exit_code == 0
    assert run(repo.root, "--at", "HEAD", "gaps", "--as-of", "2022-03-01").exit_code == 1  # the unmeasured outcome


def test_a_linked_records_folder_is_refused_alike_in_the_work_tree_and_with_at(tmp_path):
    repo = GitRepoBuilder(tmp_path / "root")
    write_records(repo.root / "data", dict(VALID_RECORDS))
    (repo.root / "records").rmdir()
    os.symlink("data/records", repo.root / "records")
    repo.commit("Records kept elsewhere", "2022-01-10T09:00:00")
    expected = ("Error: records/ is a symbolic link, which trace does not follow (so that every checkout, and git "
                "history, reads the same); replace the link with the folder itself\n")
    for args in (("validate",), ("--at", "HEAD", "validate")):
        result = run(repo.root, *args)
        assert (result.exit_code, result.stderr) == (2, expected)


# --- dates outside git's range -------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    (("--at", "9999-12-31", "validate"), "All good: 6 record(s), no problems."),
    (("--at", "2100-01-01", "validate"), "All good: 6 record(s), no problems."),
    (("log", "--since", "2022-01-01", "--until", "9999-12-31"), "Record changes since 2022-01-01 until 9999-12-31: "
                                                                "6 added"),
    (("log", "--since", "9999-12-31"), "No record changed since 9999-12-31."),
    (("log", "--since", "0001-01-01"), "Record changes since 0001-01-01: 6 added"),
])
def test_dates_git_cannot_hold_give_the_right_answer(tmp_path, args, expected):
    result = run(_repo(tmp_path / "root").root, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == expected


@pytest.mark.parametrize("period", [("--quarter", "9999Q4"), ("--from", "9999-01-01", "--to", "9999-12-31"),
                                    ("--from", "0001-01-01", "--to", "2022-03-31")])
def test_a_report_period_git_cannot_hold_is_a_usage_error(tmp_path, period):
    result = run(_repo(tmp_path / "root").root, "report", *period, "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "is outside the dates git can give a commit (1970 to 2099); choose a period in those years" in result.stderr
    assert "OverflowError" not in result.output


def test_an_old_at_date_says_when_the_history_starts(tmp_path):
    result = run(_repo(tmp_path / "root").root, "--at", "0001-01-01", "validate")
    assert (result.exit_code, result.stderr) == (
        2, "Error: there is no commit on or before 0001-01-01: the history starts on 2022-01-10\n")


# --- a shallow clone -----------------------------------------------------------------------------------

CUT_SHORT = "this clone is shallow (it holds only recent history), so everything before that commit would look added"


@pytest.fixture
def shallow(tmp_path) -> Path:
    repo = _repo(tmp_path / "full")
    repo.commit("Retitle", "2022-02-10T09:00:00",
                {"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer sleeping, again\nstatus: active\n"})
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    return clone


@pytest.mark.parametrize("args", [("log", "--since", "2022-01-01"), ("history", "AIM-1"), ("history", "ACT-1"),
                                  ("report", "--quarter", "2022Q1", "--format", "md")])
def test_a_shallow_clone_says_the_history_is_cut_short(shallow, tmp_path, args):
    extra = ("--out", str(tmp_path / "out")) if args[0] == "report" else ()
    result = run(shallow, *args, *extra)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the history is cut short at commit ")
    assert CUT_SHORT in result.stderr and "git fetch --unshallow" in result.stderr


def test_a_shallow_clone_still_answers_for_a_period_after_its_cut(shallow):
    result = run(shallow, "log", "--since", "2022-03-01")
    assert (result.exit_code, result.stdout) == (0, "No record changed since 2022-03-01.\n")


# --- a reader that stops reading -------------------------------------------------------------------------

def test_a_closed_pipe_ends_quietly(tmp_path):
    """`trace validate | head -1`, many times over: the output is far larger than a pipe holds, so the
    reader always closes it while trace is still writing."""
    links = ", ".join(f"REC-{i}" for i in range(3000))
    files = dict(VALID_RECORDS)
    files["records/actions/ACT-2.yaml"] = (f"id: ACT-2\ntitle: t\nowner: o\nstatus: in-progress\ntarget: tba\n"
                                           f"addresses: [{links}]\n")
    root = write_records(tmp_path / "root", files)
    command = [sys.executable, "-m", "learntrace", "--root", str(root), "validate"]
    subprocess.run(command, capture_output=True, check=False, timeout=120)  # fills the cache once
    for _ in range(12):
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=120) == 1
        assert first.startswith(b"records/actions/ACT-2.yaml:6:")
        assert stderr == b""


# --- hostile sizes -----------------------------------------------------------------------------------------

def test_thousands_of_unknown_links_among_thousands_of_ids_cost_a_bounded_search(tmp_path, monkeypatch):
    """One action with 3,000 unknown links among 2,000 ids: today's main compared each with every id
    (six million comparisons, minutes); the search now has a budget. Counted, not timed."""
    import difflib

    from learntrace.validate import SUGGESTION_BUDGET

    files: dict[str, str | bytes] = dict(VALID_RECORDS)
    for number in range(2000):
        files[f"records/recommendations/REC-X{number}.yaml"] = (
            f"id: REC-X{number}\nsource: SRC-1\ntext: t\naims: all\nstatus: open\n")
    links = ", ".join(f"REC-Y{number}" for number in range(3000))
    files["records/actions/ACT-2.yaml"] = (f"id: ACT-2\ntitle: t\nowner: o\nstatus: in-progress\ntarget: tba\n"
                                           f"addresses: [{links}]\n")
    root = write_records(tmp_path / "root", files)
    compared = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], *args: object, **kwargs: object) -> list[str]:
        compared.append(len(possibilities))
        assert sum(compared) <= SUGGESTION_BUDGET, "the search went past its budget"
        return real(word, possibilities, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    lines = run(root, "--no-cache", "validate").stdout.splitlines()
    missing = [line for line in lines if line.startswith("records/actions/ACT-2.yaml:6:")]
    assert len(missing) == 3000
    assert missing[0].endswith("did you mean 'REC-X0'?")  # the first ones still get a suggestion
    assert missing[-1].endswith("it should name existing recommendations")
    assert SUGGESTION_BUDGET <= 250_000


def test_a_huge_record_in_history_is_not_read(tmp_path, monkeypatch):
    """A 15 MB record in history: its blob is skipped, not parsed (log took 28 s and 3.7 GB)."""
    repo = _repo(tmp_path / "root")
    huge = "id: AIM-1\ntitle: t\nstatus: active\nnotes: " + "x" * (15 * 1024 * 1024) + "\n"
    repo.commit("A huge aim", "2022-02-10T09:00:00", {"records/aims/AIM-1.yaml": huge})
    repo.commit("Back to normal", "2022-03-10T09:00:00", {"records/aims/AIM-1.yaml": VALID_RECORDS[
        "records/aims/AIM-1.yaml"]})
    parsed: list[int] = []
    from learntrace import history

    real = history.parse_record_text

    def counting(text: str):  # type: ignore[no-untyped-def]
        parsed.append(len(text))
        return real(text)

    monkeypatch.setattr(history, "parse_record_text", counting)
    result = run(repo.root, "log", "--since", "2022-01-01")
    assert result.exit_code == 0
    assert max(parsed) < 256 * 1024
    assert run(repo.root, "--at", "HEAD~1", "validate").stdout.splitlines()[0] == (
        "records/aims/AIM-1.yaml: is 15361 KB, larger than the 256 KB a record may be; a record is one short YAML file")
