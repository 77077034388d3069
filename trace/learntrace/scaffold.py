"""`trace init`: the files a new records repository starts with, made from the skeleton shipped with trace.

The skeleton is `templates/init/` (inside the wheel: `learntrace/data/templates/init/`). A path part
`dot-x` there is written as `.x`, so that neither git nor GitHub nor an editor mistakes the skeleton's
`.gitignore`, `.github/` or `.vscode/` for this repository's own. Placeholders are `@@name@@`; a value
that goes into TOML or YAML is written as a quoted string of that language (`@@name.toml@@`,
`@@name.yaml@@`), so quotes, colons and non-ASCII letters in a name stay exactly as given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from learntrace import __version__
from learntrace.dates import MONTHS
from learntrace.errors import TraceError
from learntrace.load import is_record_path
from learntrace.model import FOLDER_KINDS
from learntrace.schema import data_dir
from learntrace.schemafiles import SCHEMAS_FOLDER, installed_schemas

DEFAULT_STRATEGY = "Action plan"  # Config's default: the report's subtitle when trace.toml gives none
_PLACEHOLDER = re.compile(r"@@([a-z_]+)(?:\.(toml|yaml))?@@")
_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+$")
# Control characters (a name is one line) and the start of a GitHub expression, which a workflow
# would evaluate instead of showing.
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]|\$\{\{")


@dataclass(frozen=True)
class InitOptions:
    partnership: str
    strategy: str | None = None
    year_start_month: int = 4
    trace_repository: str = ""  # OWNER/NAME on GitHub; "" for where this trace was published


@dataclass(frozen=True)
class InitPlan:
    """What `trace init` would write into `root`, and how that compares with what is there."""

    root: Path
    files: tuple[tuple[str, bytes], ...]  # every file of the skeleton, by path relative to root
    new: tuple[str, ...]  # not there yet
    same: tuple[str, ...]  # already there, byte for byte
    different: tuple[str, ...]  # already there with other content: written only with --force


def published_repository() -> str:
    """OWNER/NAME of the GitHub repository this trace comes from (its package metadata's Repository URL)."""
    from importlib import metadata

    try:
        urls = metadata.metadata("learntrace").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        found = re.match(r"^\s*https://github\.com/([^/\s]+/[^/\s]+?)(?:\.git)?/?\s*$", url)
        if label.strip().lower() in ("repository", "source") and found:
            return found.group(1)
    raise TraceError("this installation of trace does not say where it was published; "
                     "name the GitHub repository of trace with --trace-repository OWNER/NAME")


def check_name(option: str, value: str) -> str:
    """A partnership or strategy name as it will be written: one line of text, trimmed."""
    text = value.strip()
    if not text:
        raise TraceError(f"{option} is empty; give the name in quotes, such as {option} \"Derby City SCP\"")
    if bad := _BAD_NAME.search(text):
        what = ("'${{' (GitHub would read it as an expression)" if bad.group() == "${{"
                else "a line break or control character")
        raise TraceError(f"{option} holds {what}; write the name on one line, as it should appear in the report")
    return text


def _quoted(value: str) -> str:
    # JSON's string syntax is a subset of both TOML's basic strings and YAML's double-quoted
    # scalars, for text without control characters (check_name refuses those).
    return json.dumps(value, ensure_ascii=False)


def _month_name(number: int) -> str:
    """April, for 4: the longest name of that month in the one month table."""
    return max((name for name, value in MONTHS.items() if value == number), key=len).capitalize()


def _values(options: InitOptions, repository: str) -> dict[str, str]:
    month = options.year_start_month
    months = sorted((month - 1 + 3 * step) % 12 + 1 for step in range(4))
    strategy = options.strategy
    return {
        "partnership": options.partnership,
        "strategy": strategy or DEFAULT_STRATEGY,
        "strategy_setting": (f"strategy = {_quoted(strategy)}" if strategy
                             else f"# strategy = {_quoted(DEFAULT_STRATEGY)}"),
        "year_starts": _month_name(month),
        "year_month": str(month),
        "quarter_months": ",".join(map(str, months)),
        "quarterly_name": f"Quarterly report: {options.partnership}",
        "yearly_name": f"Yearly report: {options.partnership}",
        "version": __version__,
        "trace_repository": f"github.com/{repository}",
        "action": f"{repository}@v{__version__}",
        "requirement": f"learntrace @ git+https://github.com/{repository}@v{__version__}",
    }


def _fill(text: str, values: dict[str, str], name: str) -> str:
    def replace(match: re.Match[str]) -> str:
        key, language = match.group(1), match.group(2)
        if key not in values:
            raise TraceError(f"the skeleton file {name} names an unknown placeholder {match.group()}; reinstall trace")
        return _quoted(values[key]) if language else values[key]

    filled = _PLACEHOLDER.sub(replace, text)
    if "@@" in filled:
        raise TraceError(f"the skeleton file {name} has a malformed placeholder; reinstall trace")
    return filled


def _skeleton_files(values: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    skeleton = data_dir("templates") / "init"
    if not skeleton.is_dir():
        raise TraceError("the tool's skeleton for trace init is missing; reinstall trace")
    for path in sorted(p for p in skeleton.rglob("*") if p.is_file()):
        rel = path.relative_to(skeleton).as_posix()
        target = "/".join("." + part[4:] if part.startswith("dot-") else part for part in rel.split("/"))
        yield target, _fill(path.read_text(encoding="utf-8"), values, rel).encode("utf-8")
    for folder in FOLDER_KINDS:
        yield f"records/{folder}/.gitkeep", b""  # git keeps no empty folder
    for name, data in installed_schemas().items():
        yield f"{SCHEMAS_FOLDER}/{name}", data


def existing_records(root: Path) -> list[str]:
    """Record files already under root/records/ (relative paths, at most four)."""
    records = root / "records"
    if not records.is_dir():
        return []
    found = []
    for path in sorted(records.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and is_record_path(rel):
            found.append(rel)
            if len(found) == 4:  # three to show, and whether there are more
                break
    return found


def plan_init(root: Path, options: InitOptions) -> InitPlan:
    """Every file `trace init` writes into root, compared with what is there. Refuses (TraceError) a
    folder that already holds records, or a path that is not a folder."""
    if root.exists() and not root.is_dir():
        raise TraceError(f"{root} is a file, not a folder; give the folder the records repository should be in")
    records = existing_records(root) if root.is_dir() else []
    if records:
        more = " and more" if len(records) > 3 else ""
        raise TraceError(f"{root} already holds records ({', '.join(records[:3])}{more}); trace init starts a new "
                         "records repository and wrote nothing. To refresh the schemas, run trace schemas --write")
    repository = options.trace_repository or published_repository()
    if not _REPOSITORY.match(repository):
        raise TraceError(f"--trace-repository '{repository}' is not a GitHub repository; write it as OWNER/NAME")
    files = tuple(sorted(_skeleton_files(_values(options, repository))))
    new, same, different = [], [], []
    for rel, data in files:
        target = root / rel
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise TraceError(f"{rel} in {root} is not a regular file; move it away and run trace init again")
        if not target.exists():
            new.append(rel)
        elif target.read_bytes() == data:
            same.append(rel)
        else:
            different.append(rel)
    return InitPlan(root, files, tuple(new), tuple(same), tuple(different))


def write_init(plan: InitPlan, force: bool) -> list[str]:
    """Write the new files (and, with force, the different ones) all together or not at all; returns
    what was written. Without force, a file with other content stops everything (TraceError)."""
    from learntrace.atomic import apply_atomically

    if plan.different and not force:
        listed = "\n".join(f"  {rel}" for rel in plan.different)
        raise TraceError(f"these files already exist in {plan.root} with other content, so nothing was written:\n"
                         f"{listed}\nmove them away, or pass --force to replace each of them")
    writes = [(rel, data) for rel, data in plan.files if rel in plan.new or rel in plan.different]
    if not writes:
        return []
    missing = _missing_folders(plan.root, [rel for rel, _ in writes])
    try:
        plan.root.mkdir(parents=True, exist_ok=True)
        apply_atomically(plan.root, writes)
    except OSError as error:
        for folder in missing:  # the files are rolled back already; take away the folders made for them
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        reason = error.strerror or str(error)
        raise TraceError(f"cannot write into {plan.root}: {reason}; trace init needs a folder you can write to, "
                         "and wrote nothing") from error
    return [rel for rel, _ in writes]


def _missing_folders(root: Path, paths: list[str]) -> list[Path]:
    """The folders that writing these files would create, deepest first."""
    folders = {root, *root.parents}
    for rel in paths:
        folders.update((root / rel).parents)
    return sorted((f for f in folders if not f.exists()), key=lambda f: len(f.parts), reverse=True)


def git_toplevel(root: Path) -> Path | None:
    """The top folder of the git repository that holds root, or None outside git (or without git)."""
    from learntrace.gitio import GitRepo

    try:
        return GitRepo(root).toplevel
    except TraceError:
        return None
