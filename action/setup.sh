#!/usr/bin/env bash
# The action's set-up: ivraudit in its own virtual environment under $RUNNER_TEMP, so the
# caller's Python and PATH stay as they were for the rest of the job. pip's cache lives in
# $PIP_CACHE_DIR, which the action restores and saves with actions/cache.
# Output (GITHUB_OUTPUT): ivraudit=<path of the ivraudit command>.
set -euo pipefail
: "${RUNNER_TEMP:?}" "${GITHUB_ACTION_PATH:?}" "${GITHUB_OUTPUT:?}"
python=${IVRAUDIT_PYTHON:-python3}
venv="$RUNNER_TEMP/ivraudit-venv"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "::error title=ivraudit::needs Python 3.10 or newer as '$python' (input python)" >&2
  exit 2
fi
"$python" -m venv "$venv"
bin="$venv/bin"
[ -d "$bin" ] || bin="$venv/Scripts"  # Windows
"$bin/python" -m pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"
echo "ivraudit=$bin/ivraudit" >> "$GITHUB_OUTPUT"
"$bin/ivraudit" --version
