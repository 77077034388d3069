#!/usr/bin/env bash
# Installs trace for the action. By default, the copy of trace the action itself comes from: with
# `uses: OWNER/trace@v1.2.0` that is trace 1.2.0, and with `uses: ./base` the checkout in base/
# (this repository's own check, which must never run a pull request's code). TRACE_VERSION can name
# a release on the package index instead (once trace is published there), or a full requirement.
set -euo pipefail

action_path="${ACTION_PATH:?ACTION_PATH must be the folder of the action}"
version="${TRACE_VERSION:-}"
if [ -z "$version" ]; then
  requirement="$action_path"
elif [[ "$version" =~ ^v?[0-9]+(\.[0-9]+)*([a-z]+[0-9]*)?$ ]]; then
  requirement="learntrace==${version#v}"
elif [[ "$version" == "learntrace @ "* ]]; then
  requirement="$version"
else
  echo "::error title=trace-version::'$version' is not a version of trace: give a number such as 0.2.0, a requirement such as \"learntrace @ git+https://github.com/OWNER/trace@v0.2.0\", or nothing for the action's own copy"
  exit 2
fi
echo "Installing trace: $requirement"
python -m pip install --disable-pip-version-check --quiet "$requirement"
installed="$(trace --version)"
echo "$installed"
if [[ "$requirement" == learntrace==* ]] && [ "$installed" != "trace ${requirement#learntrace==}" ]; then
  echo "::error title=trace-version::asked for trace ${requirement#learntrace==} but $installed was installed"
  exit 2
fi
