"""The package's shape: data flows one way (find root → load → validate → graph → analyses → render →
cli), the imports have no cycle, and the analysis registry is the one list of gap kinds."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from conftest import run, write_records
from gitrepo import GitRepoBuilder

from learntrace import analyses
from learntrace.analyses import ANALYSES, Analysis
from learntrace.analyses.gaps import Gap

PACKAGE = Path(__file__).resolve().parents[1] / "trace" / "learntrace"

# Each module's place in the flow; a module may import only modules at its own place or before it.
LAYERS: dict[str, int] = {
    **dict.fromkeys(["__init__", "errors", "model", "dates", "periods", "output", "atomic", "pasted", "strays",
                     "progress", "locking", "filechange", "journal", "patterns", "parallel",
                     "background", "jsontext"], 0),
    "config": 1,
    **dict.fromkeys(["yamlerrors", "yamlparse", "yamlsimple", "load", "gitlog", "gitio", "cache", "schema", "schema_code", "privacy",
                     "history", "changes", "touches", "schemafiles"], 2),
    "results": 3,  # whole results of commands, kept in the user cache beside the record cache
    "checked_cache": 3,  # the working tree's checked records, kept whole beside them
    "validate": 3,
    **dict.fromkeys(["graph", "snapshot"], 4),
    **dict.fromkeys(["analyses", "report", "report_files", "yearly", "fields", "values", "roundtrip", "edits",
                     "newrecord", "additions", "csv_import", "scaffold"], 5),
    # Spreadsheets (the table model, reading cells, planning an import, workbooks) and trace due.
    **dict.fromkeys(["spreadsheet", "cell_values", "sheet_columns", "record_update", "plan_update", "xlsx_io",
                     "due"], 5),
    **dict.fromkeys(["render", "pdf", "csv_export"], 6),
    **dict.fromkeys(["cli", "__main__"], 7),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every learntrace module a file imports, at the top, in a function or for the type checker."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("learntrace")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("learntrace"):
            found.add(node.module)
            # `from learntrace import edits` names a module, not a value
            found |= {f"{node.module}.{alias.name}" for alias in node.names
                      if (PACKAGE.parent / f"{node.module}.{alias.name}".replace(".", "/")).with_suffix(".py").exists()
                      or (PACKAGE.parent / f"{node.module}.{alias.name}".replace(".", "/")).is_dir()}
    return found


def _import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        graph.add_node(module)
        for imported in _imports(path):
            if imported != module and not (module != "learntrace" and imported == "learntrace"):
                graph.add_edge(module, imported)
    return graph


def _layer(module: str) -> int:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "__init__"
    assert name in LAYERS, f"{module} has no place in the flow: add it to LAYERS in this test"
    return LAYERS[name]


def test_the_imports_have_no_cycle():
    # A package's __init__ importing its own modules is how a package is put together, not a cycle.
    graph = _import_graph()
    graph.remove_edges_from([(a, b) for a, b in list(graph.edges) if b.startswith(a + ".")])
    cycles = list(nx.simple_cycles(graph))
    assert cycles == []


def test_no_module_imports_against_the_flow():
    against = [(module, imported) for module, imported in _import_graph().edges
               if _layer(imported) > _layer(module)]
    assert against == []


def test_no_command_module_imports_another_command_module():
    shared = ("learntrace.cli.app", "learntrace.cli.remembered")  # the session and the result cache's decorator
    commands = {m for m in _import_graph().nodes if m.startswith("learntrace.cli.") and m not in shared}
    crossing = [(a, b) for a, b in _import_graph().edges if a in commands and b in commands
                and b != "learntrace.cli.edit"]  # spreadsheet imports write records the way edit does
    assert crossing == []


def test_the_core_never_imports_click():
    offenders = [m for m, imported in _import_graph().edges if imported == "click"]
    uses = [path for path in PACKAGE.rglob("*.py") if "import click" in path.read_text(encoding="utf-8")
            and "cli" not in path.relative_to(PACKAGE).parts[0]]
    assert offenders == [] and uses == []


def test_no_module_over_400_lines_and_no_function_over_60():
    long_modules = [(p.name, n) for p in PACKAGE.rglob("*.py")
                    if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    long_functions = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60:
                long_functions.append(f"{path.relative_to(PACKAGE)}:{node.name}")
    assert long_modules == [] and long_functions == []


def test_the_gap_kinds_are_defined_once():
    definitions = [path for path in PACKAGE.rglob("*.py")
                   for line in path.read_text(encoding="utf-8").splitlines()
                   if line.startswith(("GAP_KINDS", "GAP_MEANINGS", "ANALYSES"))]
    assert [p.relative_to(PACKAGE).as_posix() for p in definitions] == ["analyses/__init__.py"]


# --- the registry: a toy analysis added in one line is everywhere the kinds are ----------------

def _find_toy(graph, context):
    return [Gap("toy-gap", rec.id, rec.path, rec.line_of("id"), "this recommendation is a toy", title=rec.title)
            for rec in graph.of_kind("recommendation")]


@pytest.fixture
def toy_analysis(monkeypatch):
    registry = {**ANALYSES, "toy-gap": Analysis("toy-gap", "recommendations that are toys", _find_toy)}
    monkeypatch.setattr(analyses, "ANALYSES", registry)
    for module in ("learntrace.cli.check", "learntrace.render.gaps", "learntrace.render.report", "learntrace.report"):
        monkeypatch.setattr(f"{module}.ANALYSES", registry, raising=False)
    return registry


RECORDS = {
    "records/sources/SRC-1.yaml": "id: SRC-1\ntitle: A review\ntype: local-review\npublished: '2021'\n",
    "records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer sleeping\nstatus: active\n",
    "records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: Promote safer sleeping.\n"
                                          "aims: [AIM-1]\nstatus: open\n",
}


def test_a_toy_analysis_is_a_gaps_kind_choice(toy_analysis, tmp_path):
    root = write_records(tmp_path, RECORDS)
    chosen = run(root, "gaps", "--kind", "toy-gap", "--format", "json", "--as-of", "2023-01-01")
    assert chosen.exit_code == 1
    data = json.loads(chosen.stdout)
    assert [(g["kind"], g["id"]) for g in data["gaps"]] == [("toy-gap", "REC-1")]
    assert data["counts"]["toy-gap"] == 1
    listed = run(root, "gaps", "--format", "json", "--as-of", "2023-01-01")
    assert "toy-gap" in json.loads(listed.stdout)["counts"]
    wrong = run(root, "gaps", "--kind", "toy")
    assert wrong.exit_code == 2
    assert "toy-gap" in wrong.output


def test_a_toy_analysis_appears_in_the_report(toy_analysis, tmp_path):
    repo = GitRepoBuilder(tmp_path / "partnership")
    repo.commit("Records", "2022-05-02T12:00:00", RECORDS)
    root = repo.root
    result = run(root, "report", "--quarter", "2022-23 Q1", "--format", "md")
    assert result.exit_code == 0, result.output
    report = (root / "reports" / "2022-23-Q1" / "report.md").read_text(encoding="utf-8")
    assert "toy-gap" in report and "recommendations that are toys" in report


def test_every_command_is_found_in_the_module_that_holds_it():
    """Commands are imported when used (cli.COMMAND_MODULES): each one listed must be in its module's
    COMMANDS, and every module's COMMANDS must be listed, or a command would vanish from trace --help."""
    import importlib

    from learntrace.cli import COMMAND_MODULES

    held = {command.name: path.stem for path in sorted((PACKAGE / "cli").glob("*.py"))
            for command in getattr(importlib.import_module(f"learntrace.cli.{path.stem}"), "COMMANDS", ())}
    assert held == COMMAND_MODULES


def test_a_check_imports_neither_the_editing_nor_the_reporting_code():
    code = ("import sys\nfrom learntrace.cli import cli\ncli.get_command(None, 'validate')\n"
            "cli.get_command(None, 'gaps')\nprint(sorted(m for m in sys.modules if m.startswith('learntrace.cli.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['learntrace.cli.app', 'learntrace.cli.check', 'learntrace.cli.remembered']"
