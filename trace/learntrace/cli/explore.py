"""Commands that explore the record graph: matrix, show, graph."""

from __future__ import annotations

from pathlib import Path

import click

from learntrace.cli.app import Session, check_any_id, write_output


@click.command()
@click.option(
    "--rows", "row_kind", type=click.Choice(["source", "recommendation"]), default="source", show_default=True,
    help="One row per source (counts), or one per recommendation, grouped by source (marks and coverage level).",
)
@click.option(
    "--cols", "column_kind", type=click.Choice(["aim", "outcome"]), default="aim", show_default=True,
    help="Columns: the strategy's aims, or the outcomes the actions contribute to.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "csv", "markdown", "json", "html"]), default="text",
    show_default=True, help="text for the terminal (fits 80 columns), csv for a spreadsheet, markdown for a "
    "pull-request comment, json for programs, html for a report page.",
)
@click.pass_obj
def matrix(session: Session, row_kind: str, column_kind: str, output_format: str) -> int:
    """Show which sources' recommendations reach which aims (or outcomes),
    and how far they have got.

    \b
    By default: one row per source, one column per aim. A cell such as 4/2
    means 4 of the source's recommendations are cross-referenced to the aim,
    and 2 of those are at least planned (coverage level other than none).
    With --rows recommendation: one row per recommendation, grouped by
    source, with an x under each aim it is cross-referenced to, and its
    coverage level. With --cols outcome: a recommendation counts under an
    outcome when an action addressing it (not dropped) contributes to it.
    Narrow tables use short labels (an aim's ref, such as 2.1); the legend
    under the table gives the ids and titles.

    \b
    Examples:
      trace matrix
      trace matrix --rows recommendation
      trace matrix --cols outcome --format csv > outcomes.csv
      trace matrix --format html > matrix.html
    """
    from learntrace.analyses.matrix import find_matrix
    from learntrace.render.matrix import MATRIX_FORMATS

    graph = session.valid_graph()
    found = find_matrix(graph, row_kind, column_kind)
    click.echo(MATRIX_FORMATS[output_format](found), nl=output_format != "csv")
    return 0


@click.command()
@click.argument("record_id", metavar="ID")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text for people, json for programs.",
)
@click.pass_obj
def show(session: Session, record_id: str, output_format: str) -> int:
    """Everything about one record: its fields, where it comes from, and
    what was done about it.

    \b
    For a recommendation: its source, aims and coverage level, then each
    action addressing it (status, target, owner) with its evidence.
    For an action: the recommendations it addresses, its aims, outcomes
    and evidence. For a source: its recommendations, their coverage level
    and actions. For an aim or outcome: the recommendations and actions
    linked to it. For evidence: what it supports.

    \b
    Examples:
      trace show REC-AB-5
      trace show ACT-BP-24 --format json
    """
    from learntrace.render.show import describe_record, show_json, show_text

    graph = session.valid_graph()
    check_any_id(graph, record_id, "ID")
    view = describe_record(graph, record_id)
    click.echo(show_json(view) if output_format == "json" else show_text(view))
    return 0


@click.command("graph")
@click.option(
    "--format", "output_format", type=click.Choice(["mermaid", "dot", "graphml", "json"]), default="mermaid",
    show_default=True,
    help="mermaid (renders on GitHub), dot (Graphviz), graphml (yEd, Gephi), json (networkx node-link).",
)
@click.option("--focus", metavar="ID",
              help="Only this record and its lineage: everything upstream and downstream of it.")
@click.option(
    "--depth", type=click.IntRange(min=0), metavar="N",
    help="With --focus: only records at most N links upstream or downstream of it.",
)
@click.option(
    "--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (replaced in one step) instead of the terminal.",
)
@click.pass_obj
def graph_command(session: Session, output_format: str, focus: str | None, depth: int | None,
                  out_path: Path | None) -> int:
    """Export the records and their links as a diagram or data: sources,
    recommendations, aims, actions, evidence and outcomes, each labelled
    with its id and a short title.

    The output is sorted, so two exports can be compared line by line.

    \b
    Examples:
      trace graph > graph.mmd
      trace graph --focus REC-AB-5 --format dot | dot -Tsvg > rec-ab-5.svg
      trace graph --focus SRC-AB --depth 2 --out src-ab.mmd
    """
    from learntrace.analyses.lineage import lineage_graph
    from learntrace.render.graph_export import GRAPH_FORMATS

    if depth is not None and focus is None:
        raise click.BadParameter("needs --focus: the depth counts links from the focused record", param_hint="--depth")
    graph = session.valid_graph()
    if focus is not None:
        check_any_id(graph, focus, "--focus")
    exported = GRAPH_FORMATS[output_format](lineage_graph(graph, focus, depth))
    if out_path is None:
        click.echo(exported, nl=False)
    else:
        write_output(out_path, exported.encode("utf-8"), session.config.root)
        click.echo(f"Wrote {out_path}.", err=True)
    return 0


COMMANDS = (matrix, show, graph_command)
