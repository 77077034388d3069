#!/usr/bin/env bash
# The pull-request check: validate the records, list the gaps the change opens against the base
# branch, say what changed, and keep one pull-request comment up to date on every push: with the
# problems when the records are invalid, with the changes and new gaps when they are valid.
#
# The settings (fail_on, privacy) come from the base branch's trace.toml, never from the pull
# request's: a pull request cannot loosen the check that judges it.
#
# Environment: BASE_REF (the branch the pull request goes into), PR_NUMBER, HEAD_SHA, COMMENT
# (true/false), IS_FORK (true/false), GH_TOKEN, RUN_URL, RUNNER_TEMP, GITHUB_STEP_SUMMARY.
# Exit code: 0 fine, 1 problems or new gaps, 2 trace could not check.
set -uo pipefail

base_ref="${BASE_REF:?BASE_REF must name the branch the pull request goes into}"
base="origin/$base_ref"
work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/trace-check.XXXXXX")"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
comment="$work/comment.md"

one_line() { # a file's text as one annotation message: no line can start a workflow command
  tr '\r\n' '  ' <"$1" | sed 's/%/%25/g'
}

if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  echo "::error title=trace check::The base branch $base is not in this checkout: check out with fetch-depth: 0."
  exit 2
fi

# The base branch's settings. ./ makes the path relative to this folder, not the repository's top.
policy="$work/trace.toml"
if git cat-file -e "$base:./trace.toml" 2>/dev/null; then
  git show "$base:./trace.toml" >"$policy"
else
  : >"$policy" # the base branch has none: every setting is its default
fi
export TRACE_CONFIG="$policy"
echo "Settings: trace.toml as on $base."

settings=0
if ! git diff --quiet "$base" HEAD -- trace.toml; then
  echo "::warning file=trace.toml,title=trace.toml changed::This pull request changes trace.toml. The check uses the settings of $base_ref; the new ones apply once this is merged, so a reviewer must agree to them."
  if [ -f trace.toml ]; then
    trace --config trace.toml validate --format json >/dev/null 2>"$work/settings.err" || settings=$?
    if [ "$settings" -eq 2 ]; then
      echo "::error file=trace.toml,title=trace.toml::$(one_line "$work/settings.err")"
    else
      settings=0
    fi
  fi
fi

validate=0
trace validate --format github || validate=$?

gaps=0
diff=0
if [ "$validate" -eq 0 ]; then
  trace gaps --baseline "$base" --format github || gaps=$?
  trace diff "$base" HEAD --format markdown >"$work/diff.md" 2>"$work/diff.err" || diff=$?
  if [ "$diff" -eq 0 ]; then
    cat "$work/diff.md" >>"$summary"
    cp "$work/diff.md" "$comment"
  else
    cat "$work/diff.err" >&2
    printf '### trace diff could not compare with %s\n\n%s\n' "$base_ref" "$(one_line "$work/diff.err")" >"$comment"
  fi
elif [ "$validate" -eq 1 ]; then
  trace validate --format markdown >"$comment"
  printf '\nThe changes and the gaps they open are listed here once every record is valid.\n' >>"$comment"
else
  printf '### trace could not read the records\n\nThe job log says why.\n' >"$comment"
fi
if [ "$settings" -ne 0 ]; then
  printf '\n**trace.toml**: %s\n' "$(one_line "$work/settings.err")" >>"$comment"
fi

# GitHub refuses a comment over 65,536 characters: keep whole lines up to well below that.
if [ "$(wc -c <"$comment")" -gt 60000 ]; then
  awk 'total + length($0) + 1 > 60000 { exit } { total += length($0) + 1; print }' "$comment" >"$work/cut.md"
  printf '\n… cut short here: the full list is in the job summary and the log.\n' >>"$work/cut.md"
  mv "$work/cut.md" "$comment"
fi
printf '\n<sub>Checked commit %s. [The run](%s).</sub>\n' "${HEAD_SHA:-$(git rev-parse HEAD)}" "${RUN_URL:-}" >>"$comment"

posted=0
if [ "${COMMENT:-true}" != "true" ]; then
  echo "No pull-request comment (comment: false)."
elif [ "${IS_FORK:-false}" = "true" ]; then
  echo "::notice title=No comment::This pull request comes from a fork, whose token cannot write comments; the result is in the job summary."
else
  gh pr comment "${PR_NUMBER:?PR_NUMBER must be the pull request}" --edit-last --create-if-none --body-file "$comment" || posted=$?
  if [ "$posted" -ne 0 ]; then
    echo "::error title=No comment::The pull-request comment could not be updated, so it may describe an older push; give the workflow 'permissions: pull-requests: write'."
  fi
fi

for status in "$validate" "$settings" "$gaps" "$diff"; do
  if [ "$status" -ne 0 ]; then exit "$status"; fi
done
if [ "$posted" -ne 0 ]; then exit 2; fi
exit 0
