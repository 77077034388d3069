"""Record text is data everywhere it is shown.

One small record set whose titles, texts, owners, refs, reasons, folder names and commit subjects hold
HTML, Markdown, GitHub workflow commands and terminal escapes, rendered by every command and format that
shows record text. The same set with plain words in their place (BENIGN) is the reference: hostile text
may change what a line says, never the shape of a table, the elements of a page, or the lines of a log.

Runs use CliRunner(color=True): without it click strips ANSI colour codes from output that is not a
terminal, which would hide escapes that reach a real one.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitrepo import GitRepoBuilder
from hypothesis import given
from hypothesis import strategies as st

from learntrace.cli import cli
from learntrace.output import github_annotation, markdown_cell, one_line, terminal_safe, without_controls

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "tag": "<b>bold</b>",
    "pipe": "| pipe |",
    "newline": "Line one\n| forged | row |\n::error::forged",
    "bold": "**bold**",
    "link": "[link](javascript:x)",
    "entity": "&amp;",
    "percent": "%0A 100%, done: yes",
    "workflow": "::error::forged ##[error]v1",
    "ansi": "\x1b[31mRED\x1b[0m",
    "osc": "\x1b]0;title\x07",
    "cr": "carriage\rreturn",
    # Folder names: ids are restricted to letters, digits, dots, dashes and underscores, paths are not.
    "folder": "west, north: 50%",
    "nasty_folder": "team \x1b[31mred\x1b[0m\n::error::dir ##[error]v1",
}
BENIGN = {key: f"plain {key}" for key in HOSTILE}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
AS_OF = "2022-03-01"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def records(t: dict[str, str], stage: int) -> dict[str, str]:
    """The record set; stage 2 completes ACT-1 and edits text, so diff, history and log have changes."""
    act1_status = "in-progress" if stage == 1 else "complete"
    act1_owner = f"Team {t['ansi']} {t['pipe']} {t['bold']}" + ("" if stage == 1 else f" {t['script']}")
    return {
        "records/sources/SRC-1.yaml": (
            f"id: SRC-1\ntitle: {q('Review ' + t['script'] + ' ' + t['pipe'] + ' ' + t['ansi'])}\n"
            f"type: local-review\npublished: '2021-03'\nref: {q(t['img'] + '|AB')}\n"
            f"publisher: {q(t['bold'] + ' ' + t['link'] + ' ' + t['entity'] + ' ' + t['percent'])}\n"
        ),
        "records/sources/SRC-2.yaml": f"id: SRC-2\ntitle: {q(t['newline'])}\ntype: audit\npublished: '2022'\n",
        "records/aims/AIM-1.yaml": (
            f"id: AIM-1\ntitle: {q(t['ansi'] + ' aim ' + t['osc'] + ' ' + t['tag'])}\nstatus: active\n"
            f"ref: {q('2.1 ' + t['pipe'] + ' ' + t['entity'] + ' ' + t['script'])}\n"
            f"statement: {q('a ' + t['newline'] + ' ' + t['cr'])}\n"
        ),
        "records/aims/AIM-2.yaml": f"id: AIM-2\ntitle: {q('Second ' + t['newline'] + ' ' + t['cr'])}\nstatus: active\n",
        "records/outcomes/OUT-1.yaml": (
            f"id: OUT-1\ntitle: {q(t['percent'] + ' ' + t['workflow'])}\ndescription: {q(t['script'])}\n"
        ),
        "records/recommendations/REC-1.yaml": (
            f"id: REC-1\nsource: SRC-1\n"
            f"text: {q('Relaunch ' + t['script'] + ' ' + t['pipe'] + ' ' + t['bold'] + ' ' + t['newline'] + ' ' + t['link'])}\n"
            f"aims: [AIM-1, AIM-2]\nstatus: open\nref: {q('1.' + t['ansi'])}\n"
        ),
        f"records/recommendations/{t['folder']}/REC-2.yaml": (
            f"id: REC-2\nsource: SRC-2\ntext: {q(t['ansi'] + t['osc'] + ' unaddressed ' + t['script'])}\n"
            "aims: all\nstatus: open\n"
        ),
        "records/actions/ACT-1.yaml": (
            f"id: ACT-1\ntitle: {q('Act ' + t['script'] + ' ' + t['newline'])}\nowner: {q(act1_owner)}\n"
            f"status: {act1_status}\ntarget: 2022-01..2022-06\naddresses: [REC-1]\naims: [AIM-1]\noutcomes: [OUT-1]\n"
            f"objective: {q(t['link'] + ' ' + t['osc'])}\nrag: amber\n"
            "accepted_gaps:\n  - kind: unevidenced-action\n"
            f"    reason: {q('Because ' + t['script'] + ' ' + t['pipe'] + ' ' + t['newline'] + ' ' + t['ansi'])}\n"
            "    review_by: '2027-06-30'\n"
        ),
        f"records/actions/{t['nasty_folder']}/ACT-2.yaml": (
            f"id: ACT-2\ntitle: {q('Overdue ' + t['ansi'] + ' ' + t['script'])}\n"
            f"owner: {q(t['workflow'] + ', 100%')}\nstatus: not-started\ntarget: 2022-02\naddresses: [REC-1]\n"
        ),
        "records/actions/ACT-3.yaml": (  # an acceptance that has expired: its reason is in the gap's message
            f"id: ACT-3\ntitle: {q('Expired ' + t['tag'])}\nowner: Board\nstatus: complete\ntarget: 2021-12\n"
            "addresses: [REC-1]\naccepted_gaps:\n  - kind: unevidenced-action\n"
            f"    reason: {q(t['workflow'] + ' ' + t['newline'] + ' ' + t['percent'] + ' ' + t['osc'] + ' ' + t['script'])}\n"
            "    review_by: '2022-01-31'\n"
        ),
        "records/evidence/EV-1.yaml": (
            f"id: EV-1\ntitle: {q('Evidence ' + t['script'] + ' ' + t['ansi'])}\nsupports: [OUT-1]\n"
            f"date: '2022-02'\nsummary: {q(t['pipe'])}\n"
        ),
    }


def invalid_records(t: dict[str, str]) -> dict[str, str]:
    """Three more records whose problems quote their text: a field name, a value, a link and a path."""
    return {
        "records/aims/AIM-9.yaml": (
            f"id: AIM-9\ntitle: Invalid\nstatus: {q('done ' + t['ansi'] + ' ' + t['newline'] + ' ' + t['workflow'])}\n"
            f"{q(t['osc'] + 'colour ' + t['pipe'] + ' ' + t['newline'] + ' ' + t['percent'])}: x\n"
        ),
        f"records/aims/{t['nasty_folder']}/AIM-8.yaml": "id: AIM-8\ntitle: Misfiled\nstatus: done\n",
        "records/evidence/EV-9.yaml": (
            f"id: EV-9\ntitle: Dangling\nsupports: [{q('ACT-' + t['ansi'] + t['newline'])}]\ndate: '2022'\n"
        ),
    }


def _build(root: Path, t: dict[str, str]) -> GitRepoBuilder:
    repo = GitRepoBuilder(root)
    repo.commit(f"First records {t['ansi']} {t['pipe']}", "2022-01-10T09:00:00", records(t, 1))
    repo.commit(f"ACT-1 done {t['script']}", "2022-02-15T09:00:00", records(t, 2))
    return repo


@pytest.fixture(scope="module")
def sets(tmp_path_factory) -> dict[str, Path]:
    """hostile/benign: a git repository with two commits; hostile-invalid/benign-invalid: plus invalid records."""
    made = {}
    for name, t in (("hostile", HOSTILE), ("benign", BENIGN)):
        made[name] = _build(tmp_path_factory.mktemp(name) / "partnership", t).root
        invalid = _build(tmp_path_factory.mktemp(f"{name}-invalid") / "partnership", t)
        invalid.write(invalid_records(t))
        made[f"{name}-invalid"] = invalid.root
    return made


def invoke(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args], color=True, env=env, catch_exceptions=False)


def _control_characters(text: str) -> list[str]:
    return sorted({repr(ch) for ch in CONTROL.findall(text)})


# --- terminal: no control character from a record reaches the screen -----------------------------

SHOWN_IDS = ("SRC-1", "SRC-2", "AIM-1", "AIM-2", "OUT-1", "REC-1", "REC-2", "ACT-1", "ACT-2", "ACT-3", "EV-1")


def _case(record_set: str, *args: str, bug: str | None = None) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
    return pytest.param(record_set, args, marks=marks, id=f"{record_set}:{' '.join(args)}")


TERMINAL_CASES = [
    _case("hostile-invalid", "validate"),
    _case("hostile-invalid", "validate", "--format", "json"),
    _case("hostile-invalid", "validate", "--format", "github"),
    _case("hostile-invalid", "gaps"),  # refuses to run, printing the problems
    _case("hostile", "validate"),
    *(_case("hostile", "gaps", "--as-of", AS_OF, *fmt) for fmt in ((), ("--format", "json"))),
    _case("hostile", "gaps", "--as-of", AS_OF, "--format", "github"),
    _case("hostile", "gaps", "--as-of", AS_OF, "--format", "markdown"),
    *(_case("hostile", "coverage", *fmt) for fmt in ((), ("--format", "json"), ("--format", "csv"))),
    _case("hostile", "coverage", "--format", "markdown"),
    *(_case("hostile", "matrix", "--rows", rows, "--cols", cols, "--format", fmt)
      for rows in ("source", "recommendation") for cols in ("aim", "outcome")
      for fmt in ("text", "csv", "markdown", "json", "html")),
    *(_case("hostile", "show", record_id) for record_id in SHOWN_IDS),
    _case("hostile", "show", "ACT-1", "--format", "json"),
    *(_case("hostile", "diff", "HEAD~1", "HEAD", "--as-of", AS_OF, *fmt) for fmt in ((), ("--format", "json"))),
    _case("hostile", "diff", "HEAD~1", "HEAD", "--as-of", AS_OF, "--format", "markdown"),
    _case("hostile", "diff", "HEAD~1", "--as-of", AS_OF),
    *(_case("hostile", "history", record_id) for record_id in ("ACT-1", "ACT-2", "REC-2")),
    _case("hostile", "history", "ACT-1", "--format", "json"),
    _case("hostile", "log", "--since", "2022-01-01"),
    _case("hostile", "log", "--since", "2022-01-01", "--format", "json"),
    _case("hostile", "export", "csv", "--kind", "action"),
    _case("hostile", "export", "csv", "--kind", "recommendation"),
    *(_case("hostile", "graph", "--format", fmt) for fmt in ("mermaid", "dot", "graphml", "json")),
]


@pytest.mark.parametrize(("record_set", "args"), TERMINAL_CASES)
def test_no_control_character_from_a_record_reaches_the_terminal(sets, record_set, args):
    result = invoke(sets[record_set], *args)
    assert result.exit_code in (0, 1), result.output
    assert _control_characters(result.stdout) == []
    assert _control_characters(result.stderr) == []


def test_the_hostile_set_really_holds_escapes_and_is_valid(sets):
    result = invoke(sets["hostile"], "show", "SRC-1", "--format", "json")
    assert json.loads(result.stdout)["title"] == f"Review {HOSTILE['script']} {HOSTILE['pipe']} {HOSTILE['ansi']}"
    assert invoke(sets["hostile"], "validate").stdout == "All good: 11 record(s), no problems.\n"
    assert invoke(sets["benign"], "validate").stdout == "All good: 11 record(s), no problems.\n"


def test_each_format_shows_the_text_itself_without_its_power(sets):
    root = sets["hostile"]
    assert invoke(root, "show", "SRC-1").stdout.splitlines()[3] == (
        "  title:      Review <script>alert(1)</script> | pipe | [31mRED[0m"
    )
    assert invoke(root, "matrix", "--format", "markdown").stdout.splitlines()[4] == (
        "| \\<img src=x onerror=alert(1)\\>\\|AB | 1/1 | 1/1 | 1/1 |"
    )
    assert (
        '<tr><th scope="row">SRC-1: Review &lt;script&gt;alert(1)&lt;/script&gt; | pipe | [31mRED[0m</th>'
        "<td>1/1</td><td>1/1</td><td>1/1</td></tr>"
    ) in invoke(root, "matrix", "--format", "html").stdout.splitlines()


# --- GitHub annotations ------------------------------------------------------------------------------

_ANNOTATION = re.compile(
    r"^::(error|warning|notice) (file=[^,:\r\n]*(?:,line=\d+)?(?:,col=\d+)?(?:,title=[^,:\r\n]*)?)::(.*)$"
)


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def _annotations(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Each annotation line as (level, properties, message); every other line must not be read by the
    runner as a workflow command (it trims leading whitespace before looking for '::')."""
    found = []
    for line in output.split("\n"):
        if not line.lstrip().startswith("::"):
            continue
        match = _ANNOTATION.match(line)
        assert match, f"a line the runner would read as a workflow command: {line!r}"
        level, properties, data = match.groups()
        assert re.fullmatch(r"(?:[^%]|%25|%0A|%0D)*", data), f"an unescaped % in {data!r}"
        props = dict(pair.split("=", 1) for pair in properties.split(","))
        found.append((level, {key: _unescape_property(value) for key, value in props.items()}, _unescape_data(data)))
    return found


def test_validate_github_annotations_carry_each_message_exactly_on_one_line(sets, tmp_path):
    root = sets["hostile-invalid"]
    summary = tmp_path / "summary.md"
    result = invoke(root, "validate", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    expected = json.loads(invoke(root, "validate", "--format", "json").stdout)["errors"]
    assert len(expected) >= 5
    assert result.exit_code == 1
    # An annotation carries the message exactly, less the control characters (and with `##[` broken).
    assert _annotations(result.stdout) == [
        ("error", {"file": without_controls(e["path"]), **({"line": str(e["line"])} if e["line"] else {}),
                   **({"col": str(e["column"])} if e["column"] else {}), "title": "trace validate"},
         without_controls(e["message"]))
        for e in expected[:10]
    ]
    assert any("\n" in e["message"] or "\n" in e["path"] for e in expected)  # the escaping was needed
    _check_markdown(summary.read_text(encoding="utf-8"))


def test_gaps_github_annotations_carry_each_message_exactly_on_one_line(sets, tmp_path):
    root = sets["hostile"]
    summary = tmp_path / "summary.md"
    result = invoke(root, "gaps", "--as-of", AS_OF, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    gaps = json.loads(invoke(root, "gaps", "--as-of", AS_OF, "--format", "json").stdout)["gaps"]
    failing = [g for g in gaps if not g["accepted"]]
    assert result.exit_code == 1
    assert _annotations(result.stdout) == [
        ("error", {"file": without_controls(g["path"]), "line": str(g["line"]), "title": f"trace gaps: {g['id']}"},
         without_controls(f"{g['kind']}: {g['message']}"))
        for g in failing
    ]
    assert any("\n" in g["message"] or "\n" in g["path"] for g in failing)
    _check_markdown(summary.read_text(encoding="utf-8"))


@pytest.mark.parametrize("args", [("validate", "--format", "github"), ("gaps", "--as-of", AS_OF, "--format", "github")],
                         ids=["validate", "gaps"])
def test_github_output_holds_no_old_style_workflow_command(sets, args):
    root = sets["hostile-invalid" if args[0] == "validate" else "hostile"]
    plain = [line for line in invoke(root, *args).stdout.splitlines() if not _ANNOTATION.match(line)]
    assert plain
    assert [line for line in plain if "##[" in line] == []


@pytest.mark.parametrize(("record_set", "args"), [
    _case("hostile-invalid", "validate"),
    _case("hostile-invalid", "gaps"),
    _case("hostile", "gaps", "--as-of", AS_OF),
])
def test_text_output_in_a_ci_log_starts_no_workflow_command(sets, record_set, args):
    for line in invoke(sets[record_set], *args).stdout.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line


# --- Markdown ----------------------------------------------------------------------------------------

def _unescaped(line: str) -> str:
    """The line as Markdown reads its syntax: each backslash-escaped character becomes NUL."""
    out, index = [], 0
    while index < len(line):
        if line[index] == "\\" and index + 1 < len(line):
            out.append("\0")
            index += 2
        else:
            out.append(line[index])
            index += 1
    return "".join(out)


_OWN_TAGS = re.compile(r"</?(details|summary|code)>")
_FORBIDDEN = ("<script", "<img", "<b>", "**bold**", "](javascript", "&amp;")


def _check_markdown(text: str) -> None:
    """Tables keep their shape; no record text becomes HTML, emphasis, a link, an entity or a new line."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("|") and index + 1 < len(lines) and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[index + 1]):
            cells = _unescaped(line).count("|")
            index += 2
            while index < len(lines) and lines[index] != "":
                row = lines[index]
                assert row.startswith("|") and _unescaped(row).count("|") == cells, (line, row)
                index += 1
            continue
        index += 1
    for line in lines:
        if re.match(r"\s*<", line):
            # An HTML block: Markdown escapes do not work here, so record text must hold no tag at all.
            assert "<" not in _OWN_TAGS.sub("", line), line
            continue
        plain = _unescaped(line)
        for forbidden in _FORBIDDEN:
            assert forbidden not in plain, (forbidden, line)
        assert "<" not in _OWN_TAGS.sub("", plain), line


def _shape(text: str) -> list[int]:
    return [_unescaped(line).count("|") for line in text.split("\n")]


MARKDOWN_CASES = [
    ("gaps", "--as-of", AS_OF, "--format", "markdown"),
    ("coverage", "--format", "markdown"),
    *(("matrix", "--rows", rows, "--cols", cols, "--format", "markdown")
      for rows in ("source", "recommendation") for cols in ("aim", "outcome")),
    ("diff", "HEAD~1", "HEAD", "--as-of", AS_OF, "--format", "markdown"),
]


@pytest.mark.parametrize("args", MARKDOWN_CASES, ids=lambda args: " ".join(args))
def test_markdown_tables_keep_their_shape_and_record_text_stays_text(sets, args):
    hostile = invoke(sets["hostile"], *args).stdout
    benign = invoke(sets["benign"], *args).stdout
    assert "|" in hostile
    _check_markdown(hostile)
    assert _shape(hostile) == _shape(benign)


def _report(root: Path, out: Path, fmt: str) -> str:
    result = invoke(root, "report", "--quarter", "2022Q1", "--format", fmt, "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    (written,) = out.glob(f"*/report.{fmt}")
    return written.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reports(sets, tmp_path_factory) -> dict[tuple[str, str], str]:
    out = tmp_path_factory.mktemp("reports")
    return {(name, fmt): _report(sets[name], out / f"{name}-{fmt}", fmt)
            for name in ("hostile", "benign") for fmt in ("md", "html")}


def test_report_markdown_keeps_its_shape(reports):
    assert _shape(reports["hostile", "md"]) == _shape(reports["benign", "md"])


def test_report_markdown_record_text_stays_text(reports):
    _check_markdown(reports["hostile", "md"])


# --- HTML --------------------------------------------------------------------------------------------

class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_data(self, data):
        self.text.append(data)


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize(("rows", "cols"), [(r, c) for r in ("source", "recommendation") for c in ("aim", "outcome")])
def test_matrix_html_escapes_every_record_text(sets, rows, cols):
    args = ("matrix", "--rows", rows, "--cols", cols, "--format", "html")
    hostile, benign = invoke(sets["hostile"], *args).stdout, invoke(sets["benign"], *args).stdout
    assert "<script" not in hostile and "<img" not in hostile and "<b>" not in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert _elements(hostile).elements == _elements(benign).elements
    assert _control_characters(hostile) == []


def test_report_html_escapes_every_record_text(reports):
    hostile, benign = reports["hostile", "html"], reports["benign", "html"]
    assert "<script" not in hostile and "<img" not in hostile and "<b>" not in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    parsed = _elements(hostile)
    assert parsed.elements == _elements(benign).elements
    assert HOSTILE["script"] in "".join(parsed.text)  # shown as text, where a reader sees it


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_files_hold_no_control_characters(reports, fmt):
    assert _control_characters(reports["hostile", fmt]) == []


# --- the helpers, for any text at all -----------------------------------------------------------------

@given(st.text(), st.text(), st.text())
def test_any_text_stays_inside_one_annotation(message, path, title):
    line = github_annotation("error", path, message, 3, 4, title)
    annotations = _annotations(line)
    title = without_controls(title)
    assert annotations == [("error", {"file": without_controls(path), "line": "3", "col": "4",
                                      **({"title": title} if title else {})}, without_controls(message))]


@given(st.text())
def test_any_text_stays_inside_one_markdown_cell(text):
    cell = _unescaped(markdown_cell(text))
    assert "|" not in cell and "<" not in cell and "\n" not in cell and "\r" not in cell


@given(st.text())
def test_any_text_loses_its_control_characters(text):
    assert CONTROL.search(terminal_safe(text)) is None
    assert CONTROL.search(one_line(text)) is None and "\n" not in one_line(text)
    assert "::" not in terminal_safe(text)  # no wrapping or line break can make it start a workflow command


# --- issue 12, section 5: every output, including invalid records and history -----------------------

FORGED_ID = "ACT-1\n::error::forged id"
FORGED_KEY = "note\n::stop-commands::tok"


def _forged_history(root: Path) -> Path:
    """Two commits of records whose id and field name hold a line break and a workflow command, whose
    status and RAG are HTML, and whose text mentions a team and bare links."""
    repo = GitRepoBuilder(root)

    def files(status: str, extra: str) -> dict[str, str]:
        return {
            "records/sources/SRC-1.yaml": "id: SRC-1\ntitle: Review\ntype: audit\npublished: '2021'\n",
            "records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: Do it\naims: all\nstatus: open\n",
            "records/actions/ACT-1.yaml": (
                f"id: {q(FORGED_ID)}\ntitle: {q('Ask @partnership-team at https://evil.example and www.evil.example')}\n"
                f"owner: Board\nstatus: {q(status)}\nrag: {q('<img src=x onerror=alert(1)>|red')}\n"
                f"target: 2021-06\naddresses: [REC-1]\n{q(FORGED_KEY)}: {q(extra)}\n"
            ),
        }

    repo.commit("First", "2022-01-10T09:00:00", files("in-progress", "one"))
    repo.commit("Second", "2022-02-15T09:00:00", files("<img src=x onerror=alert(1)>|",
                                                         "two\n::error::x @partnership-team www.evil.example"))
    return repo.root


HISTORY_CASES = [
    ("diff", "HEAD~1", "HEAD", "--as-of", AS_OF),
    ("diff", "HEAD~1", "HEAD", "--as-of", AS_OF, "--format", "markdown"),
    ("diff", "HEAD~1", "--as-of", AS_OF),
    ("log", "--since", "2022-01-01"),
    ("history", "ACT-1"),
    ("validate",),
    ("--at", "HEAD~1", "validate"),
    ("gaps",),
]


@pytest.mark.parametrize("args", HISTORY_CASES, ids=lambda args: " ".join(args))
def test_no_line_of_any_output_can_start_a_workflow_command(tmp_path, args):
    root = _forged_history(tmp_path / "forged")
    result = invoke(root, *args)
    assert result.exit_code in (0, 1), result.output
    for line in result.output.split("\n"):
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line
    assert _control_characters(result.output) == []


def test_history_shows_the_forged_id_and_field_on_one_line_each(tmp_path):
    root = _forged_history(tmp_path / "forged")
    lines = invoke(root, "log", "--since", "2022-01-01").stdout.splitlines()
    changed = [line for line in lines if "changed action" in line]
    assert changed and all(":\u200b:error:\u200b:forged id" in line for line in changed)
    assert any(line.strip().startswith("note :\u200b:stop-commands:\u200b:tok: one → two :\u200b:error")
               for line in lines)


def test_diff_markdown_neutralises_mentions_and_bare_links(tmp_path):
    root = _forged_history(tmp_path / "forged")
    text = invoke(root, "diff", "HEAD~1", "HEAD", "--as-of", AS_OF, "--format", "markdown").stdout
    assert "partnership-team" in text
    assert re.search(r"@[A-Za-z0-9]", text) is None  # a mention notifies a whole team
    assert "https://" not in text and re.search(r"(?i)(?<![a-z0-9])www\.", text) is None
    _check_markdown(text)


def test_report_markdown_escapes_status_and_rag_cells(tmp_path):
    root = _forged_history(tmp_path / "forged")
    text = _report(root, tmp_path / "out", "md")
    _check_markdown(text)
    rows = [line for line in text.splitlines() if line.startswith("| **ACT-1")]  # overdue table and appendix
    assert len(rows) == 2 and all("| \\<img src=x onerror=alert(1)\\>\\| |" in row for row in rows)
    assert "| \\<img src=x onerror=alert(1)\\>\\|red |" in rows[0]  # the RAG cell


def test_error_messages_carry_no_escape_sequence_from_a_file_name(tmp_path):
    root = tmp_path / "root"
    (root / "records").mkdir(parents=True)
    osc52 = "\x1b]52;c;aGVsbG8=\x07"
    result = invoke(tmp_path, "--root", str(root / f"gone{osc52}\n::error::x"), "validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "gone]52;c;aGVsbG8=" in result.stderr
    assert _control_characters(result.stderr) == []
    assert [line for line in result.stderr.splitlines() if line.lstrip().startswith("::")] == []
    result = invoke(root, "import", "csv", str(tmp_path / f"plan{osc52}.csv"), "--kind", "action")
    assert result.exit_code == 2  # click quotes the name with its escapes spelt out
    assert _control_characters(result.stderr) == [] and "plan" in result.stderr
