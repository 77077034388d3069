"""Broken and hostile record files: each is reported exactly (file, line, column, sentence), nothing on
disk changes, and one bad file never hides another.

The corpus is itself a records tree: tests/hostile/records/<kind>/... (bytes kept as they are by
tests/hostile/.gitattributes). Files git cannot hold portably (symlinks, an unreadable file) or should
not hold (a file over the size limit) are made by the tests in a temporary copy: see GENERATED.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run, write_records
from gitrepo import GitRepoBuilder

CORPUS = Path(__file__).parent / "hostile"
MAX_RECORD_BYTES = 256 * 1024
LINK = ("is a symbolic link, which trace does not follow (so that every checkout, and git history, reads the "
        "same); put the record itself here instead")
SUBMODULE = ("is a git submodule (another repository), which trace does not read; put the records themselves "
             "in this repository")
IS_ROOT = os.geteuid() == 0


@dataclass(frozen=True)
class Case:
    """One hostile file: the exit code and every line `trace validate` prints when the file is added to
    the valid base set (conftest.VALID_RECORDS). `bug` names a known bug: the lines are what trace
    should print, and the case is a strict xfail until the bug is fixed."""

    path: str
    exit_code: int
    output: tuple[str, ...]
    bug: str | None = None

    @property
    def problem_lines(self) -> tuple[str, ...]:
        return self.output[:-1] if self.exit_code else ()

    @property
    def is_record(self) -> bool:
        """Whether the file is read as a record (the base set has six)."""
        return bool(re.search(r"; 7 record\(s\) read\.$|^All good: 7 ", self.output[-1]))


def refused(path: str, *lines: str, read: int = 6, bug: str | None = None) -> Case:
    """A file that cannot be read as a record at all."""
    return Case(path, 1, (*lines, f"{len(lines)} problem(s) in 1 file(s); {read} record(s) read."), bug)


def flawed(path: str, *lines: str, bug: str | None = None) -> Case:
    """A file that is read as a record, with problems."""
    return refused(path, *lines, read=7, bug=bug)


def accepted(path: str) -> Case:
    return Case(path, 0, ("All good: 7 record(s), no problems.",))


def ignored(path: str) -> Case:
    return Case(path, 0, ("All good: 6 record(s), no problems.",))


DATE_HINT = "a date written as YYYY, YYYY-MM or YYYY-MM-DD (for example 2020, 2020-07 or 2020-07-15)"
DATE_OR_UNKNOWN_HINT = ("a date written as YYYY, YYYY-MM or YYYY-MM-DD (for example 2020, 2020-07 or 2020-07-15), "
                        "or the word unknown when no document gives the date")
TARGET_HINT = ("a target written as YYYY-MM-DD, YYYY-MM, a quarter YYYY-Qn, a season YYYY-spring, YYYY-summer or "
               "YYYY-autumn, a range START..END of those (for example 2021-12..2022-06), ongoing, tba (the document "
               "says it is to be agreed), not-set (the document gives no target), or monthly, quarterly or yearly "
               "(a recurring activity)")
ID_HINT = "an id: a letter, then letters, digits, dots, dashes or underscores (for example REC-AB-3)"
CORPUS_CASES: tuple[Case, ...] = (
    # --- YAML that does not parse --------------------------------------------------------------
    refused("records/aims/AIM-TAB.yaml",
            "records/aims/AIM-TAB.yaml:5:1: is not valid YAML on line 5: the line is indented with a tab; YAML "
            "allows only spaces for indentation, so replace the tab with spaces"),
    refused("records/aims/AIM-BRACKET.yaml",
            "records/aims/AIM-BRACKET.yaml:2:8: is not valid YAML on line 2: the value of 'title' starts with [, "
            "which YAML reads as the start of a list that is never closed; if it is text, put the whole value in "
            'double quotes: title: "[Safer sleeping"'),
    refused("records/aims/AIM-INDENT.yaml",
            "records/aims/AIM-INDENT.yaml:2:3: is not valid YAML on line 2: the line is indented more than 'id' on "
            "line 1, so YAML reads it as more of that value, and a value cannot hold a colon followed by a space; "
            "start it in the same column as 'id', as a field of its own"),
    refused("records/aims/AIM-QUOTE.yaml",
            "records/aims/AIM-QUOTE.yaml:2:8: is not valid YAML on line 2: the double quote (\") that starts the "
            "value of 'title' is never closed; add a \" at the end of the value"),
    refused("records/aims/AIM-TWODOCS.yaml",
            "records/aims/AIM-TWODOCS.yaml:4:1: is not valid YAML: holds more than one YAML document "
            "(a line with ---); a record file holds exactly one record"),
    refused("records/aims/AIM-NUL.yaml",
            "records/aims/AIM-NUL.yaml:2:13: is not valid YAML: unacceptable character #x0000: "
            "control characters are not allowed"),
    refused("records/outcomes/OUT-EMPTY.yaml",
            "records/outcomes/OUT-EMPTY.yaml:1:1: is empty; a record is a set of fields such as 'id: ...' "
            "and 'title: ...'"),
    refused("records/outcomes/OUT-COMMENTS.yaml",
            "records/outcomes/OUT-COMMENTS.yaml:1:1: is empty; a record is a set of fields such as 'id: ...' "
            "and 'title: ...'"),
    refused("records/outcomes/OUT-LIST.yaml",
            "records/outcomes/OUT-LIST.yaml:1:1: holds a list, but a record must be a set of fields, "
            "one 'name: value' per line"),
    refused("records/outcomes/OUT-SCALAR.yaml",
            "records/outcomes/OUT-SCALAR.yaml:1:1: holds a single value, but a record must be a set of fields, "
            "one 'name: value' per line"),
    refused("records/outcomes/OUT-DUPKEY.yaml",
            "records/outcomes/OUT-DUPKEY.yaml:4:1: has the field 'title' twice (first on line 2); keep one of them"),
    refused("records/outcomes/OUT-KEYLIST.yaml",
            "records/outcomes/OUT-KEYLIST.yaml:3:3: has a field name that is a list or mapping; "
            "field names are plain words"),
    refused("records/outcomes/OUT-NEST.yaml",
            "records/outcomes/OUT-NEST.yaml:2:28: nests lists and fields more than 20 levels deep; "
            "a record needs only a few levels"),
    # --- merge conflicts left in a file, also inside a quoted value -------------------------
    refused("records/aims/AIM-CONFLICT.yaml",
            "records/aims/AIM-CONFLICT.yaml:2: this file still holds a merge conflict (lines 2\u20136); keep the "
            "lines you want and delete the marker lines (<<<<<<<, =======, >>>>>>>) and the rest"),
    refused("records/outcomes/OUT-CONFLICT.yaml",
            "records/outcomes/OUT-CONFLICT.yaml:3: this file still holds a merge conflict (lines 3\u20137 and "
            "9\u201312); keep the lines you want and delete the marker lines (<<<<<<<, =======, >>>>>>>) and the rest"),
    # --- anchors, aliases and tags -------------------------------------------------------------
    refused("records/aims/AIM-LAUGHS.yaml",
            "records/aims/AIM-LAUGHS.yaml:4:4: uses a YAML anchor/alias (& or *); records must write every "
            "value out in full"),
    refused("records/aims/AIM-MERGE.yaml",
            "records/aims/AIM-MERGE.yaml:2:7: uses a YAML anchor/alias (& or *); records must write every "
            "value out in full"),
    refused("records/aims/AIM-PYTHON.yaml",
            "records/aims/AIM-PYTHON.yaml:2:8: uses the YAML tag '!!python/object/apply:os.system'; records may "
            "only hold plain text, numbers, lists and fields, so remove the tag"),
    refused("records/aims/AIM-LOCALTAG.yaml",
            "records/aims/AIM-LOCALTAG.yaml:2:8: uses the YAML tag '!secret'; records may only hold plain text, "
            "numbers, lists and fields, so remove the tag"),
    refused("records/aims/AIM-BINARY.yaml",
            "records/aims/AIM-BINARY.yaml:2:8: uses the YAML tag '!!binary'; records may only hold plain text, "
            "numbers, lists and fields, so remove the tag"),
    # --- bytes and line endings ----------------------------------------------------------------
    refused("records/aims/AIM-LATIN1.yaml",
            "records/aims/AIM-LATIN1.yaml:2: is not UTF-8 text (byte 0xe9 on line 2); save the file with "
            "UTF-8 encoding"),
    refused("records/aims/AIM-UTF16.yaml",
            "records/aims/AIM-UTF16.yaml:1: is not UTF-8 text (byte 0xff on line 1); save the file with "
            "UTF-8 encoding"),
    accepted("records/aims/AIM-BOM.yaml"),
    accepted("records/aims/AIM-CRLF.yaml"),
    accepted("records/aims/AIM-CR.yaml"),
    flawed("records/aims/AIM-BOMCRLF.yaml",  # a BOM and CRLF do not shift lines or columns
           "records/aims/AIM-BOMCRLF.yaml:3:1: 'status' is 'done', which is not allowed; use one of: active, retired"),
    flawed("records/evidence/EV-CRLF.yaml",
           "records/evidence/EV-CRLF.yaml:3:19: 'supports' links to 'ACT-9', but there is no record with that id; "
           "did you mean 'ACT-1'?"),
    # --- file names ----------------------------------------------------------------------------
    accepted("records/aims/AIM-YML.yml"),
    ignored("records/aims/.AIM-HIDDEN.yaml"),
    ignored("records/aims/AIM-BACKUP.yaml~"),
    ignored("records/aims/#AIM-AUTOSAVE.yaml#"),
    ignored("records/aims/.AIM-SWAP.yaml.swp"),
    # Any other file under records/ is reported: a record under another name would be missing silently.
    refused("records/aims/AIM-README.md",
            "records/aims/AIM-README.md: will not be read: records/ holds only records, each a plain-text file "
            "ending in .yaml; move it out of records/ (or, if it is a record, save it as plain text named "
            "AIM-README.yaml)"),
    refused("records/aims/AIM-UPPER.YAML",
            "records/aims/AIM-UPPER.YAML: will not be read: rename it to AIM-UPPER.yaml"),
    refused("records/ACT-TOPLEVEL.yaml",
            "records/ACT-TOPLEVEL.yaml: is not inside a kind folder; move it into one of: records/sources/, "
            "records/recommendations/, records/aims/, records/actions/, records/evidence/, records/outcomes/, "
            "records/themes/"),
    refused("records/action/ACT-FOLDER.yaml",
            "records/action/ACT-FOLDER.yaml: is in records/action/, which is not a record folder; "
            "did you mean records/actions/?"),
    flawed("records/actions/REC-MISFILED.yaml",
           "records/actions/REC-MISFILED.yaml:1:1: looks like a recommendation (it has the fields a recommendation "
           "has), but it is in records/actions/; move it to records/recommendations/"),
    # --- ids -----------------------------------------------------------------------------------
    flawed("records/sources/SRC-MISMATCH.yaml",
           "records/sources/SRC-MISMATCH.yaml:1:1: the id 'SRC-MISMATCHED' does not match the file name "
           "'SRC-MISMATCH.yaml'; rename the file to SRC-MISMATCHED.yaml or change the id to SRC-MISMATCH"),
    flawed("records/sources/9SRC.yaml",
           f"records/sources/9SRC.yaml:1:1: 'id' is '9SRC', which is not {ID_HINT}"),
    flawed("records/sources/SRC-NUMID.yaml",
           f"records/sources/SRC-NUMID.yaml:1:1: 'id' should be {ID_HINT}, but it is the number 12"),
    flawed("records/outcomes/AIM-1.yaml",
           "records/outcomes/AIM-1.yaml:1:1: the id 'AIM-1' is already used by records/aims/AIM-1.yaml (line 1); "
           "every record needs its own id"),
    flawed("records/aims/act-1.yaml",
           "records/aims/act-1.yaml:1:1: the id 'act-1' differs only in case from 'ACT-1' (records/actions/ACT-1.yaml, "
           "line 1); their files would be one file on Windows and macOS, so choose another id"),
    flawed("records/aims/AIM-1.yml",
           "records/aims/AIM-1.yml:1:1: the id 'AIM-1' is already used by records/aims/AIM-1.yaml (line 1); "
           "every record needs its own id"),
    # --- schema: required, types, allowed values, unknown fields -------------------------------
    flawed("records/actions/ACT-MISSING.yaml",
           "records/actions/ACT-MISSING.yaml:1:1: is missing the required field 'owner' (an action must have it)",
           "records/actions/ACT-MISSING.yaml:1:1: is missing the required field 'target' (an action must have it)"),
    flawed("records/actions/ACT-LISTTEXT.yaml",
           "records/actions/ACT-LISTTEXT.yaml:2:1: 'title' should be what will be done, but it is a list"),
    flawed("records/actions/ACT-TEXTLIST.yaml",
           "records/actions/ACT-TEXTLIST.yaml:6:1: 'addresses' should be a list of ids in square brackets, "
           "such as [ID-1, ID-2], or [] for none yet, but it is 'REC-1'"),
    flawed("records/actions/ACT-NUMBER.yaml",
           "records/actions/ACT-NUMBER.yaml:3:1: 'owner' should be the group or agency responsible, "
           "but it is the number 42"),
    flawed("records/actions/ACT-MAPPING.yaml",
           "records/actions/ACT-MAPPING.yaml:3:1: 'owner' should be the group or agency responsible, "
           "but it is a set of fields"),
    flawed("records/actions/ACT-NULL.yaml",
           "records/actions/ACT-NULL.yaml:3:1: 'owner' should be the group or agency responsible, "
           "but it is nothing (the value is empty)"),
    flawed("records/actions/ACT-BOOL.yaml",
           "records/actions/ACT-BOOL.yaml:3:1: 'owner' should be the group or agency responsible, but it is true"),
    flawed("records/actions/ACT-ENUM.yaml",
           "records/actions/ACT-ENUM.yaml:4:1: 'status' is 'done', which is not allowed; use one of: not-started, "
           "in-progress, complete, dropped, unknown"),
    flawed("records/actions/ACT-TYPO.yaml",
           "records/actions/ACT-TYPO.yaml:6:1: has the field 'adresses', which an action does not have; "
           "did you mean 'addresses'?"),
    flawed("records/actions/ACT-STRANGER.yaml",
           "records/actions/ACT-STRANGER.yaml:6:1: has the field 'colour', which an action does not have; the fields "
           "allowed are: accepted_gaps, addresses, aims, id, judgement_links, notes, objective, outcomes, owner, "
           "provenance, rag, reviewed, status, tags, target, title"),
    flawed("records/actions/ACT-EMPTYTEXT.yaml",
           "records/actions/ACT-EMPTYTEXT.yaml:2:1: 'title' is empty; write something or remove the field if it "
           "is optional"),
    flawed("records/evidence/EV-PROVENANCE.yaml",
           "records/evidence/EV-PROVENANCE.yaml:5:1: 'provenance' is an empty list; give at least one item or "
           "remove the field"),
    flawed("records/evidence/EV-PROVITEM.yaml",
           "records/evidence/EV-PROVITEM.yaml:6:5: is missing the required field 'section' ('provenance' item 1 "
           "must have it)"),
    flawed("records/actions/ACT-DUPLINK.yaml",
           "records/actions/ACT-DUPLINK.yaml:6:1: 'aims' lists the same value more than once; keep one of each"),
    flawed("records/recommendations/REC-AIMSTEXT.yaml",
           "records/recommendations/REC-AIMSTEXT.yaml:4:1: 'aims' is 'some'; it should be the aims it is "
           "cross-referenced to: a list of aim ids, or the word all"),
    flawed("records/recommendations/REC-SOURCELIST.yaml",
           "records/recommendations/REC-SOURCELIST.yaml:2:1: 'source' should be the id of the source that made "
           "the recommendation, but it is a list"),
    # --- dates and targets ---------------------------------------------------------------------
    flawed("records/sources/SRC-MONTH13.yaml",  # unquoted: YAML would make it a timestamp
           "records/sources/SRC-MONTH13.yaml:4:1: 'published': '2022-13-45' has month 13, but months run "
           "from 01 to 12"),
    flawed("records/sources/SRC-FEB30.yaml",
           "records/sources/SRC-FEB30.yaml:4:1: 'published': '2023-02-30' is not a real date: February 2023 "
           "has 28 days"),
    flawed("records/sources/SRC-DAYFIRST.yaml",
           f"records/sources/SRC-DAYFIRST.yaml:4:1: 'published' is '31/03/2022', which is not {DATE_OR_UNKNOWN_HINT}"),
    flawed("records/evidence/EV-TIMESTAMP.yaml",
           f"records/evidence/EV-TIMESTAMP.yaml:4:1: 'date' is '2022-02-01 10:30:00', which is not {DATE_OR_UNKNOWN_HINT}"),
    flawed("records/actions/ACT-DECEMBER.yaml",
           f"records/actions/ACT-DECEMBER.yaml:5:1: 'target' is 'Dec 21', which is not {TARGET_HINT}"),
    flawed("records/actions/ACT-YEAR.yaml",
           f"records/actions/ACT-YEAR.yaml:5:1: 'target' should be {TARGET_HINT}, but it is the number 2022"),
    flawed("records/actions/ACT-QUOTEDYEAR.yaml",
           f"records/actions/ACT-QUOTEDYEAR.yaml:5:1: 'target' is '2022', which is not {TARGET_HINT}"),
    flawed("records/actions/ACT-BACKWARDS.yaml",
           "records/actions/ACT-BACKWARDS.yaml:5:1: 'target': the range '2022-06..2022-01' ends before it starts"),
    flawed("records/actions/ACT-MONTH13.yaml",
           "records/actions/ACT-MONTH13.yaml:5:1: 'target': '2022-13' has month 13, but months run from 01 to 12"),
    # --- accepted_gaps -------------------------------------------------------------------------
    flawed("records/actions/ACT-GAPKIND.yaml",
           "records/actions/ACT-GAPKIND.yaml:7:5: 'accepted_gaps' item 1 → 'kind' is 'lateness', which is not "
           "allowed; use one of: unaddressed-recommendation, unmapped-recommendation, orphaned-action, "
           "unevidenced-action, overdue-action, aim-without-actions, outcome-without-actions, orphaned-evidence, "
           "unmeasured-outcome, source-without-recommendations, inconsistent-status, repeat-learning, suspect-link, "
           "output-only-evidence, remeasure-overdue, declined-without-reason, status-unknown, ready-to-close"),
    flawed("records/actions/ACT-GAPREASON.yaml",
           "records/actions/ACT-GAPREASON.yaml:7:5: is missing the required field 'reason' ('accepted_gaps' "
           "item 1 must have it)"),
    flawed("records/actions/ACT-GAPREVIEW.yaml",
           "records/actions/ACT-GAPREVIEW.yaml:9:5: 'accepted_gaps' item 1 → 'review_by' is 'next spring', which "
           "is not a full date written as YYYY-MM-DD (for example 2023-03-31)"),
    flawed("records/actions/ACT-GAPFEB30.yaml",
           "records/actions/ACT-GAPFEB30.yaml:9:5: 'accepted_gaps' item 1 → 'review_by': '2023-02-30' is not a "
           "real date: February 2023 has 28 days"),
    flawed("records/actions/ACT-GAPEXTRA.yaml",
           "records/actions/ACT-GAPEXTRA.yaml:10:5: has the field 'reviewer', which 'accepted_gaps' item 1 does "
           "not have; did you mean 'review_by'?"),
    # --- links ---------------------------------------------------------------------------------
    flawed("records/evidence/EV-DANGLING.yaml",
           "records/evidence/EV-DANGLING.yaml:3:12: 'supports' links to 'ACT-2', but there is no record with that "
           "id; did you mean 'ACT-1'?"),
    flawed("records/evidence/EV-WRONGKIND.yaml",
           "records/evidence/EV-WRONGKIND.yaml:3:12: 'supports' should list actions or outcomes, but 'REC-1' is a "
           "recommendation (records/recommendations/REC-1.yaml)"),
    flawed("records/recommendations/REC-SOURCEKIND.yaml",
           "records/recommendations/REC-SOURCEKIND.yaml:2:1: 'source' should list sources, but 'AIM-1' is an aim "
           "(records/aims/AIM-1.yaml)"),
    flawed("records/actions/ACT-BADLINKID.yaml",
           f"records/actions/ACT-BADLINKID.yaml:6:13: 'addresses' item 1 is 'REC 1', which is not {ID_HINT}",
           "records/actions/ACT-BADLINKID.yaml:6:13: 'addresses' links to 'REC 1', but there is no record with "
           "that id; did you mean 'REC-1'?"),
)


# --- files made in the temporary copy --------------------------------------------------------------

def _write(root: Path, rel: str, content: bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _aim_of_size(record_id: str, size: int) -> bytes:
    head = f"id: {record_id}\ntitle: Padded\nstatus: active\nnotes: ".encode()
    return head + b"x" * (size - len(head) - 1) + b"\n"


def _symlink(root: Path, rel: str, target: str | Path) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / rel)


def _outside_link(root: Path) -> None:
    outside = root.parent / "elsewhere" / "AIM-OUTSIDE.yaml"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text("id: AIM-OUTSIDE\ntitle: Kept elsewhere\nstatus: active\n")
    _symlink(root, "records/aims/AIM-OUTSIDE.yaml", outside)


def _inside_link(root: Path) -> None:
    """A link to a file inside records/ (a hidden one, so that only the link is reported)."""
    _write(root, "records/aims/.shared-aim", b"id: AIM-LINKED\ntitle: Shared\nstatus: active\n")
    _symlink(root, "records/aims/AIM-LINKED.yaml", ".shared-aim")


def _unreadable(root: Path) -> None:
    _write(root, "records/aims/AIM-LOCKED.yaml", b"id: AIM-LOCKED\ntitle: Locked\nstatus: active\n")
    (root / "records/aims/AIM-LOCKED.yaml").chmod(0)


def _linked_folder(root: Path) -> None:
    """A folder of records kept elsewhere, linked into records/."""
    _write(root, "shared/OUT-LINKED.yaml", b"id: OUT-LINKED\ntitle: Shared\n")
    _symlink(root, "records/outcomes/linked", "../../shared")


def _submodule(root: Path) -> None:
    """A repository of its own inside records/ (git records it as a submodule)."""
    folder = root / "records/outcomes/vendored"
    _write(root, "records/outcomes/vendored/OUT-V.yaml", b"id: OUT-V\ntitle: Vendored\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@example.org", "GIT_COMMITTER_NAME": "x",
           "GIT_COMMITTER_EMAIL": "x@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "v"]):
        subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def _write_bytes_name(root: Path, rel: bytes) -> None:
    path = os.fsencode(root) + b"/" + rel
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as file:
        file.write(b"id: AIM-CAFE\ntitle: t\nstatus: active\n")


@dataclass(frozen=True)
class Generated:
    case: Case
    make: Callable[[Path], None]
    only_when_not_root: bool = False


GENERATED: tuple[Generated, ...] = (
    Generated(refused("records/aims/AIM-HUGE.yaml",
                      "records/aims/AIM-HUGE.yaml: is 300 KB, larger than the 256 KB a record may be; "
                      "a record is one short YAML file"),
              lambda root: _write(root, "records/aims/AIM-HUGE.yaml", _aim_of_size("AIM-HUGE", 300 * 1024))),
    Generated(accepted("records/aims/AIM-LIMIT.yaml"),
              lambda root: _write(root, "records/aims/AIM-LIMIT.yaml", _aim_of_size("AIM-LIMIT", MAX_RECORD_BYTES))),
    Generated(refused("records/aims/AIM-OVER.yaml",
                      "records/aims/AIM-OVER.yaml: is 257 KB, larger than the 256 KB a record may be; "
                      "a record is one short YAML file"),
              lambda root: _write(root, "records/aims/AIM-OVER.yaml", _aim_of_size("AIM-OVER", MAX_RECORD_BYTES + 1))),
    # One rule for the working tree and git history: a link is never followed, wherever it points.
    Generated(refused("records/aims/AIM-OUTSIDE.yaml", f"records/aims/AIM-OUTSIDE.yaml: {LINK}"), _outside_link),
    Generated(refused("records/aims/AIM-LINKED.yaml", f"records/aims/AIM-LINKED.yaml: {LINK}"), _inside_link),
    Generated(refused("records/aims/AIM-9.yaml", f"records/aims/AIM-9.yaml: {LINK}"),
              lambda root: _symlink(root, "records/aims/AIM-9.yaml", "missing")),
    Generated(refused("records/aims/AIM-LOOP.yaml", f"records/aims/AIM-LOOP.yaml: {LINK}"),
              lambda root: _symlink(root, "records/aims/AIM-LOOP.yaml", "AIM-LOOP.yaml")),
    Generated(refused("records/outcomes/linked", f"records/outcomes/linked: {LINK}"), _linked_folder),
    Generated(refused("records/outcomes/vendored", f"records/outcomes/vendored: {SUBMODULE}"), _submodule),
    Generated(refused("records/aims/caf\ufffd/AIM-CAFE.yaml",
                      "records/aims/caf\ufffd/AIM-CAFE.yaml: the folder name is not UTF-8 text; rename it"),
              lambda root: _write_bytes_name(root, b"records/aims/caf\xe9/AIM-CAFE.yaml")),
    Generated(refused("records/aims/AIM-\ufffd.yaml",
                      "records/aims/AIM-\ufffd.yaml: the file name is not UTF-8 text; rename it"),
              lambda root: _write_bytes_name(root, b"records/aims/AIM-\xff.yaml")),
    Generated(refused("records/aims/AIM-LOCKED.yaml",
                      "records/aims/AIM-LOCKED.yaml: could not be read: permission denied; check the file's "
                      "permissions"),
              _unreadable, only_when_not_root=True),
)


def _param(case: Case, *marks: pytest.MarkDecorator) -> object:
    xfail = (pytest.mark.xfail(strict=True, reason=case.bug),) if case.bug else ()
    return pytest.param(case, marks=(*marks, *xfail), id=case.path.removeprefix("records/"))


# --- helpers -----------------------------------------------------------------------------------------

OLD_NS = 1_600_000_000 * 10**9  # 2020: old enough for the record cache to keep the results


def _copy_corpus_file(root: Path, rel: str) -> None:
    _write(root, rel, (CORPUS / rel).read_bytes())


def _age(root: Path) -> None:
    """Give everything an old modification time, so that a second run reads the record cache."""
    for path in sorted(root.rglob("*"), reverse=True):
        os.utime(path, ns=(OLD_NS, OLD_NS), follow_symlinks=False)


def _snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every file, folder and link under root (but .trace-cache/): kind, bytes or target, mode, mtime."""
    found: dict[str, tuple[object, ...]] = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if rel == ".trace-cache" or rel.startswith(".trace-cache/"):
            continue
        status = path.lstat()
        if path.is_symlink():
            content: object = ("link", os.readlink(path))
        elif path.is_dir():
            content = ("folder",)
        else:
            try:
                content = ("file", path.read_bytes())
            except PermissionError:
                content = ("file", None)
        found[rel] = (content, status.st_mode, status.st_mtime_ns)
    return found


def _base(root: Path) -> Path:
    return write_records(root, dict(VALID_RECORDS))


def _stdout_lines(result) -> list[str]:
    return result.stdout.splitlines()


def _check_runs_change_nothing(root: Path, args: tuple[str, ...], expected: tuple[str, ...], exit_code: int,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Run twice (the second run reads the record cache); both print `expected`, and nothing but
    .trace-cache/ changes, not even a folder's modification time."""
    monkeypatch.chdir(root)  # a command a record managed to run would leave its files here
    _age(root)
    # The files were written (their change time set) just now: the cache keeps them only from a clock
    # that has moved on past the racy window.
    real_now = time.time_ns
    monkeypatch.setattr("learntrace.cache._now", lambda: real_now() + 10 * 10**9)
    before = _snapshot(root)
    for _ in range(2):
        result = run(root, *args)
        assert (_stdout_lines(result), result.exit_code) == (list(expected), exit_code)
        assert result.stderr == ""
        assert _snapshot(root) == before


# --- one file at a time ------------------------------------------------------------------------------

@pytest.mark.parametrize("case", [_param(case) for case in CORPUS_CASES])
def test_each_corpus_file_alone_is_reported_exactly_and_changes_nothing(case: Case, tmp_path, monkeypatch):
    root = _base(tmp_path / "root")
    _copy_corpus_file(root, case.path)
    _check_runs_change_nothing(root, ("validate",), case.output, case.exit_code, monkeypatch)


@pytest.mark.parametrize("case", [
    _param(g.case, *([pytest.mark.skipif(IS_ROOT, reason="root reads every file")] if g.only_when_not_root else []))
    for g in GENERATED
])
def test_each_generated_file_alone_is_reported_exactly_and_changes_nothing(case: Case, tmp_path, monkeypatch):
    make = next(g.make for g in GENERATED if g.case == case)
    root = _base(tmp_path / "root")
    make(root)
    _check_runs_change_nothing(root, ("validate",), case.output, case.exit_code, monkeypatch)


def test_the_corpus_has_a_row_for_every_file_and_a_file_for_every_row():
    on_disk = {path.relative_to(CORPUS).as_posix() for path in (CORPUS / "records").rglob("*") if path.is_file()}
    assert on_disk == {case.path for case in CORPUS_CASES}
    assert len(CORPUS_CASES) >= 30


# --- everything at once ------------------------------------------------------------------------------

def _working(cases: tuple[Case, ...]) -> tuple[Case, ...]:
    """The cases without a known bug (a bug such as a crash would hide the rest)."""
    return tuple(case for case in cases if not case.bug)


def _whole_corpus(root: Path) -> tuple[Case, ...]:
    """The base set, every corpus file and every generated file that has no known bug."""
    _base(root)
    cases = []
    for case in _working(CORPUS_CASES):
        _copy_corpus_file(root, case.path)
        cases.append(case)
    for generated in GENERATED:
        if generated.case.bug or (generated.only_when_not_root and IS_ROOT):
            continue
        generated.make(root)
        cases.append(generated.case)
    return tuple(cases)


_LOCATION = re.compile(r"^(records/[^:]*)(?::(\d+))?(?::(\d+))?: (.*)$")


def _parsed(line: str) -> tuple[str, int | None, int | None, str]:
    match = _LOCATION.match(line)
    assert match, line
    path, line_no, column, message = match.groups()
    return path, int(line_no) if line_no else None, int(column) if column else None, message


def test_the_whole_corpus_in_one_run_reports_every_problem_of_every_file(tmp_path, monkeypatch):
    root = tmp_path / "root"
    cases = _whole_corpus(root)
    expected = [line for case in cases for line in case.problem_lines]
    files = sum(1 for case in cases if case.problem_lines)
    records = len(VALID_RECORDS) + sum(1 for case in cases if case.is_record)
    monkeypatch.chdir(root)
    _age(root)
    before = _snapshot(root)
    result = run(root, "validate")
    output = _stdout_lines(result)
    assert result.exit_code == 1
    assert Counter(output[:-1]) == Counter(expected)
    assert output[-1] == f"{len(expected)} problem(s) in {files} file(s); {records} record(s) read."
    assert _snapshot(root) == before
    assert len(expected) >= 60


def test_the_whole_corpus_as_json_has_the_same_places_and_sentences(tmp_path):
    root = tmp_path / "root"
    cases = _whole_corpus(root)
    expected = [_parsed(line) for case in cases for line in case.problem_lines]
    result = run(root, "validate", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["valid"] is False
    assert {(e["path"], e["line"]) for e in data["errors"]} == {(path, line) for path, line, _, _ in expected}
    assert sorted((e["path"], e["line"] or 0, e["column"] or 0, e["message"]) for e in data["errors"]) == sorted(
        (path, line or 0, column or 0, message) for path, line, column, message in expected
    )


def test_the_corpus_reads_the_same_from_git_history_as_from_the_working_tree(tmp_path):
    repo = GitRepoBuilder(tmp_path / "root")
    _base(repo.root)
    for case in _working(CORPUS_CASES):
        _copy_corpus_file(repo.root, case.path)
    repo.commit("The hostile corpus", "2022-01-10T09:00:00")
    working = run(repo.root, "validate")
    at_head = run(repo.root, "--at", "HEAD", "validate")
    assert working.exit_code == at_head.exit_code == 1
    assert at_head.stdout == working.stdout


def test_generated_files_read_the_same_from_git_history_as_from_the_working_tree(tmp_path):
    repo = GitRepoBuilder(tmp_path / "root")
    _base(repo.root)
    for generated in GENERATED:
        if not generated.only_when_not_root:
            generated.make(repo.root)
    repo.commit("Links and a large file", "2022-01-10T09:00:00")
    working = run(repo.root, "validate")
    assert run(repo.root, "--at", "HEAD", "validate").stdout == working.stdout


# --- the things the issue names one by one -------------------------------------------------------

def _laughs(levels: int = 10) -> str:
    lines = ["id: AIM-LOL", "title: t", "status: active", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(levels - 1)]
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_in_well_under_a_second(tmp_path):
    run(_base(tmp_path / "warm"), "validate")  # imports and schemas loaded once, as in a real run
    root = _base(tmp_path / "root")
    _write(root, "records/aims/AIM-LOL.yaml", _laughs().encode())
    started = time.perf_counter()
    result = run(root, "validate")
    elapsed = time.perf_counter() - started
    assert _stdout_lines(result) == [
        "records/aims/AIM-LOL.yaml:4:4: uses a YAML anchor/alias (& or *); records must write every value out in full",
        "1 problem(s) in 1 file(s); 6 record(s) read.",
    ]
    assert result.exit_code == 1
    assert elapsed < 1.0


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system",
    "!!python/object/new:os.system",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system>",
])
def test_language_tags_are_refused_and_never_run(tag, tmp_path):
    marker = tmp_path / "executed"
    root = _base(tmp_path / "root")
    _write(root, "records/aims/AIM-TAG.yaml",
           f"id: AIM-TAG\ntitle: {tag} ['touch {marker}']\nstatus: active\n".encode())
    for command in (("validate",), ("gaps",), ("show", "AIM-1"), ("coverage",)):
        result = run(root, *command)
        assert result.exit_code == 1
        assert not marker.exists()
    shown = tag.replace("!<tag:yaml.org,2002:", "!!").rstrip(">")
    # coverage, refused: the problems are on stderr (its stdout may be CSV)
    assert result.stderr.splitlines()[0] == (
        f"records/aims/AIM-TAG.yaml:2:8: uses the YAML tag '{shown}'; records may only hold plain text, numbers, "
        "lists and fields, so remove the tag"
    )


def test_missing_records_folder_exits_2_with_one_sentence(tmp_path):
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: there is no records/ folder in {tmp_path.resolve()}; run trace in the partnership's repository "
        "or pass --root DIR pointing at the folder that holds records/\n"
    )


def test_records_that_is_a_file_is_no_records_folder(tmp_path):
    (tmp_path / "records").write_text("id: AIM-1\n")
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: there is no records/ folder in {tmp_path.resolve()}; ")


@pytest.mark.parametrize("contents", [{}, {"records/aims/.AIM-1.yaml": "id: AIM-1\n", "records/README.md": "# x\n"}],
                         ids=["empty", "only-ignored-files"])
def test_an_empty_records_folder_is_valid_with_no_records(contents, tmp_path):
    # Today: exit 0 and "0 record(s)". A warning would help someone whose --root is wrong (see the report).
    root = write_records(tmp_path, contents)
    result = run(root, "validate")
    assert (result.exit_code, result.output) == (0, "All good: 0 record(s), no problems.\n")


def test_dangling_symlink_is_an_unreadable_file_and_the_others_are_still_read(tmp_path):
    root = _base(tmp_path)
    _symlink(root, "records/aims/AIM-9.yaml", "missing")
    _write(root, "records/aims/AIM-2.yaml", b"id: AIM-2\ntitle: t\nstatus: done\n")
    result = run(root, "validate")
    assert _stdout_lines(result) == [
        "records/aims/AIM-2.yaml:3:1: 'status' is 'done', which is not allowed; use one of: active, retired",
        f"records/aims/AIM-9.yaml: {LINK}",
        "2 problem(s) in 2 file(s); 7 record(s) read.",
    ]
    assert result.exit_code == 1


@pytest.mark.skipif(IS_ROOT, reason="root reads every file, whatever its permissions")
def test_file_without_read_permission_says_so(tmp_path):
    root = _base(tmp_path)
    _unreadable(root)
    result = run(root, "validate")
    assert _stdout_lines(result) == [
        "records/aims/AIM-LOCKED.yaml: could not be read: permission denied; check the file's permissions",
        "1 problem(s) in 1 file(s); 6 record(s) read.",
    ]
    assert result.exit_code == 1


def _with_locked_folder(root: Path) -> Path:
    """The base set, a bad aim, and a folder (records/outcomes/more) that nothing links into."""
    _base(root)
    _write(root, "records/aims/AIM-2.yaml", b"id: AIM-2\ntitle: t\nstatus: done\n")
    _write(root, "records/outcomes/more/OUT-2.yaml", b"id: OUT-2\ntitle: Locked away\n")
    return root / "records/outcomes/more"


def _unreadable_folder_expected() -> list[str]:
    return [
        "records/aims/AIM-2.yaml:3:1: 'status' is 'done', which is not allowed; use one of: active, retired",
        "records/outcomes/more: could not be read: permission denied; check the folder's permissions",
        "2 problem(s) in 2 file(s); 7 record(s) read.",
    ]


def test_folder_that_cannot_be_listed_is_reported_and_the_others_still_read(tmp_path, monkeypatch):
    # Root can list any folder, so the refusal is simulated where trace lists folders.
    root = tmp_path
    locked = str(_with_locked_folder(root))
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr("learntrace.load.os.scandir", scandir)
    result = run(root, "validate")
    assert (_stdout_lines(result), result.exit_code) == (_unreadable_folder_expected(), 1)


@pytest.mark.skipif(IS_ROOT, reason="root can list every folder, whatever its permissions")
def test_folder_without_read_permission_is_reported_and_the_others_still_read(tmp_path):
    locked = _with_locked_folder(tmp_path)
    locked.chmod(0)
    try:
        result = run(tmp_path, "validate")
    finally:
        locked.chmod(0o755)
    assert (_stdout_lines(result), result.exit_code) == (_unreadable_folder_expected(), 1)


# --- what would stop the process itself: run in a child process --------------------------------------

def _no_core_file() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _trace_process(root: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """trace in a child process (a crash must not take pytest with it), leaving no core file behind."""
    return subprocess.run([sys.executable, "-m", "learntrace", "--root", str(root), "--no-cache", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=root, preexec_fn=_no_core_file,
                          check=False)


@pytest.mark.parametrize("nested", ["[" * 40_000 + "]" * 40_000, "\n" + "- " * 40_000 + "x"], ids=["flow", "block"])
def test_deep_nesting_never_kills_the_process(nested, tmp_path):
    root = _base(tmp_path)
    _write(root, "records/outcomes/OUT-DEEP.yaml", f"id: OUT-DEEP\ntitle: {nested}\n".encode())
    _write(root, "records/aims/AIM-2.yaml", b"id: AIM-2\ntitle: t\nstatus: done\n")
    result = _trace_process(root, "validate", timeout=60)
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stderr
    assert lines[0] == "records/aims/AIM-2.yaml:3:1: 'status' is 'done', which is not allowed; use one of: active, retired"
    assert lines[1].startswith("records/outcomes/OUT-DEEP.yaml:")
    assert "nests lists and fields more than 20 levels deep" in lines[1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_read(tmp_path):
    root = _base(tmp_path)
    os.mkfifo(root / "records/aims/AIM-PIPE.yaml")
    result = _trace_process(root, "validate", timeout=5)
    assert result.stdout.splitlines() == [
        "records/aims/AIM-PIPE.yaml: is not a regular file; a record is one short YAML file",
        "1 problem(s) in 1 file(s); 6 record(s) read.",
    ]
