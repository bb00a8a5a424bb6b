#!/usr/bin/env bash
# The key of the action's pip cache: the runner's system, the Python and ivraudit's
# dependencies (pyproject.toml), so a new release or another Python starts a fresh cache.
# Output (GITHUB_OUTPUT): key=ivraudit-pip-...
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_OUTPUT:?}"
python=${IVRAUDIT_PYTHON:-python3}
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)
digest=$("$python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()[:16])' \
  "$GITHUB_ACTION_PATH/pyproject.toml" 2>/dev/null || echo none)
echo "key=ivraudit-pip-${RUNNER_OS:-unknown}-py$version-$digest" >> "$GITHUB_OUTPUT"
