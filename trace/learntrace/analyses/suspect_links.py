"""Suspect links: actions last changed before a recommendation they address changed its meaning."""

from __future__ import annotations

from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap
from learntrace.graph import RecordGraph


def find_suspect_links(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    """Needs the history index (git); without one there is nothing to say."""
    index = context.history
    if index is None:
        return []
    gaps = []
    for action in sorted(graph.of_kind("action"), key=lambda r: r.id):
        for position, rec_id in enumerate(action.links("addresses")):
            changed = index.meaning_changed.get(rec_id)
            if changed is None or changed[0] <= index.last_touched.get(action.id, -1):
                continue
            commit = changed[1]
            when = f"in commit {commit[0][:10]} ({commit[1][:10]}: {commit[3]})" if commit \
                else "in changes not yet committed"
            gaps.append(Gap(
                "suspect-link", action.id, action.path, action.line_of("addresses", position),
                f"{rec_id}, which this action addresses, changed its text or aims {when}, after this action "
                f"was last changed; check the action still answers it, then record that with: trace reviewed "
                f"{action.id} --note \"...\" (this clears the suspect link once committed)",
                title=action.title, subject=rec_id,
            ))
    return gaps
