#!/usr/bin/env bash
# The scheduled report: write the report for the period just ended under reports/ and open a pull
# request that adds it, for the business unit to read and merge.
#
# Environment: PERIOD (quarter or year), BASE (the branch to propose it to), GH_TOKEN, RUN_URL.
set -euo pipefail

case "${PERIOD:-quarter}" in
  quarter)
    what="Quarterly report"
    trace report --out reports
    ;;
  year)
    what="Yearly report"
    if ! trace report --help | grep -q -- "--year"; then
      echo "::error title=No yearly report::$(trace --version) cannot write a yearly report; upgrade trace (the version after @ in this workflow), or delete this workflow."
      exit 2
    fi
    trace report --year --out reports
    ;;
  *)
    echo "::error title=period::period is '${PERIOD}'; use quarter or year."
    exit 2
    ;;
esac

git add reports
if git diff --cached --quiet; then
  echo "::notice title=No new report::reports/ already holds this report; nothing to propose."
  exit 0
fi
period="$(git diff --cached --name-only -- reports | sed -n 's|^reports/\([^/]*\)/.*|\1|p' | sort -u | head -n 1)"
period="${period:-$(date -u +%Y-%m-%d)}"
branch="report/${period}"
git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
git switch -c "$branch"
git commit -q -m "${what} ${period}"
git push --force origin "$branch"
if gh pr view "$branch" --json number >/dev/null 2>&1; then
  echo "A pull request for $branch is already open; its branch was updated."
else
  gh pr create --base "${BASE:?BASE must name the branch to propose the report to}" --head "$branch" \
    --title "${what} ${period}" \
    --body "The ${what,,} for ${period}, written by trace report (run: ${RUN_URL:-}). Read it, then merge to publish it under reports/."
fi
