"""Commands that judge the records: validate, gaps, coverage."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from learntrace.cli.app import (
    Session,
    append_step_summary,
    check_kind_id,
    parse_as_of,
    problem_line,
)
from learntrace.cli.remembered import remembered
from learntrace.errors import Problem

if TYPE_CHECKING:
    from learntrace.analyses import Gap
    from learntrace.graph import RecordGraph


def _print_problems_github(problems: list[Problem], title: str) -> None:
    from learntrace.render.problems import problems_github, problems_summary

    for line in problems_github(problems, title):
        click.echo(line)
    for problem in problems:
        click.echo(problem_line(problem))
    if problems:
        append_step_summary(problems_summary(problems, title))


@click.command()
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "github", "markdown"]), default="text",
    show_default=True,
    help="text for people, json for programs, github for pull-request annotations, markdown for a comment.",
)
@click.pass_obj
@remembered()
def validate(session: Session, output_format: str) -> int:
    """Check every record: YAML, required fields, allowed values, ids and links.

    Each problem is shown as file:line:column and a sentence saying what to
    fix. Exit code 0 means all records are fine, 1 that problems were found,
    2 that the records could not be read at all.

    \b
    Examples:
      trace validate
      trace validate --format json
      trace validate --format github     (in a GitHub Actions step)

    A warning also says when schemas/ differs from the installed trace's
    schemas (run trace schemas --write after an upgrade).
    """
    from learntrace.schemafiles import drift_problems

    snapshot = session.snapshot()
    problems = list(snapshot.problems) + drift_problems(session.config.root)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]

    def as_json(problem: Problem) -> dict[str, Any]:
        return {key: value for key, value in problem.as_dict().items() if key not in ("code", "severity")}

    if output_format == "json":
        click.echo(json.dumps({
            "valid": snapshot.valid,
            "records": len(snapshot.records),
            "errors": [as_json(problem) for problem in errors],
            "warnings": [as_json(problem) for problem in warnings],
        }, indent=2, ensure_ascii=False))
    elif output_format == "github":
        _print_problems_github(problems, "trace validate")
    elif output_format == "markdown":
        from learntrace.render.problems import problems_markdown

        click.echo(problems_markdown(problems, len(snapshot.records)), nl=False)
    else:
        for problem in problems:
            click.echo(problem_line(problem))
    if output_format not in ("json", "markdown"):
        files = len({problem.path for problem in errors})
        also = f"; {len(warnings)} warning(s)" if warnings else ""
        count = len(snapshot.records)
        if errors:
            click.echo(f"{len(errors)} problem(s) in {files} file(s){also}; {count} record(s) read.")
        elif warnings:
            click.echo(f"No errors: {count} record(s), {len(warnings)} warning(s) to check.")
        else:
            click.echo(f"All good: {count} record(s), no problems.")
    return 0 if snapshot.valid else 1


@click.command()
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The date that decides what is overdue (default: today).")
@click.option("--kind", "kinds", multiple=True, metavar="KIND", help="Only gaps of this kind (repeatable).")
@click.option("--source", help="Only gaps about this source's recommendations, their actions and evidence.")
@click.option("--aim", help="Only gaps about this aim, its recommendations and the actions serving it.")
@click.option("--owner", help="Only gaps about actions with this owner (exact name, any case).")
@click.option("--baseline", metavar="REV", help="Only gaps that did not exist at this commit (for pull requests).")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "markdown", "github"]), default="text",
    show_default=True,
    help="text for people, json for programs, markdown for a pull-request comment, github for annotations.",
)
@click.pass_obj
@remembered(unless=lambda options: options["baseline"] is not None)  # the baseline's name may move
def gaps(session: Session, as_of: str | None, kinds: tuple[str, ...], source: str | None, aim: str | None,
         owner: str | None, baseline: str | None, output_format: str) -> int:
    """List what nobody has done: recommendations no action addresses,
    overdue actions, complete actions without evidence, and more.

    Exit code 1 when a gap of a kind that trace.toml's fail_on lists is
    found and not accepted (a record's accepted_gaps), else 0. With
    --baseline, only gaps the change introduced count. --as-of defaults to
    today, or to the commit's date with --at.

    \b
    Examples:
      trace gaps
      trace gaps --as-of 2022-09-30 --kind overdue-action
      trace gaps --source SRC-AB --format markdown
      trace gaps --baseline origin/main --format github
    """
    from learntrace.analyses import ANALYSES, failing, find_gaps, related_ids
    from learntrace.analyses.acceptances import changed_acceptances
    from learntrace.analyses.placement import changed_ids, place_in_change
    from learntrace.render.gaps import gaps_github, gaps_json, gaps_markdown, gaps_text

    _check_kinds(kinds, ANALYSES)
    commit = session.at_commit
    day = parse_as_of(as_of) if as_of or commit is None else commit.date.date()
    session.read_history_soon()
    graph = session.valid_graph()
    check_kind_id(graph, source, "source", "--source")
    check_kind_id(graph, aim, "aim", "--aim")
    found = find_gaps(graph, session.analysis_context(graph, day), side_by_side=True)
    remaining = None
    accepting: list[Any] = []
    if baseline is not None:
        base_gaps, base_graph = _baseline_gaps(session, baseline, day)
        base_keys = {gap.key for gap in base_gaps}
        remaining = sum(1 for gap in found if gap.key in base_keys)
        found = [gap for gap in found if gap.key not in base_keys]
        if output_format == "github":
            found = place_in_change(found, graph, base_graph, changed_ids(base_graph, graph))
        accepting = changed_acceptances(base_graph, graph)
    keep = related_ids(graph, source=source, aim=aim, owner=owner)
    found = [g for g in found if (not kinds or g.kind in kinds) and (keep is None or g.id in keep)]
    failed = failing(found, session.config.fail_on)
    if output_format == "json":
        click.echo(gaps_json(found, day, baseline=baseline, remaining=remaining, accepting=accepting))
    elif output_format in ("markdown", "github"):
        markdown = gaps_markdown(found, day, failed, baseline=baseline, remaining=remaining, accepting=accepting)
        if output_format == "markdown":
            click.echo(markdown, nl=False)
        else:
            click.echo(gaps_github(found, failed, accepting))
            append_step_summary(markdown + "\n")
            if baseline is not None:
                click.echo(f"{remaining} older gap(s) that already existed at {baseline} remain.")
    else:
        click.echo(gaps_text(found, day, failed, baseline=baseline, remaining=remaining, accepting=accepting))
    return 1 if failed else 0


def _check_kinds(kinds: tuple[str, ...], known: Mapping[str, Any]) -> None:
    unknown = sorted(set(kinds) - set(known))
    if unknown:
        raise click.BadParameter(
            f"unknown gap kind {', '.join(unknown)}; the kinds are: {', '.join(known)}", param_hint="--kind"
        )


def _baseline_gaps(session: Session, baseline: str, day: Any) -> tuple[list[Gap], RecordGraph]:
    """The gaps the records had at the baseline commit, judged as of the same day, and their graph."""
    from learntrace.analyses import AnalysisContext, find_gaps
    from learntrace.snapshot import read_history
    from learntrace.touches import history_index

    repo = session.repo
    base_commit = repo.resolve(baseline)
    records, graph = read_history(repo.record_files_at(base_commit.sha, session.cache), session.cache)
    context = AnalysisContext(as_of=day, config=session.config,
                              history=history_index(repo, base_commit, records, session.cache))
    session.cache.save()
    return find_gaps(graph, context), graph


@click.command()
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "csv", "markdown"]), default="text",
    show_default=True, help="Output format.",
)
@click.pass_obj
@remembered()
def coverage(session: Session, output_format: str) -> int:
    """How far each recommendation has got, and the share at each level per
    source and per aim.

    \b
    Levels:
      none       no action addresses it
      planned    actions exist, not all complete
      delivered  all its actions complete, some without evidence
      evidenced  all its actions complete, each with evidence
      impact     evidenced, and impact-level evidence (level: impact) of its
                 actions, or of an outcome they contribute to dated after
                 the work started

    \b
    Examples:
      trace coverage
      trace coverage --format csv > coverage.csv
    """
    from learntrace.analyses.coverage import find_coverage
    from learntrace.render import coverage as render

    result = find_coverage(session.valid_graph())
    formats = {"text": render.coverage_text, "json": render.coverage_json,
               "csv": render.coverage_csv, "markdown": render.coverage_markdown}
    click.echo(formats[output_format](result), nl=output_format in ("text", "json"))
    return 0


COMMANDS = (validate, gaps, coverage)
