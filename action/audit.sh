#!/usr/bin/env bash
# The action's audit: annotations on the pull request (errors first, as many as GitHub shows),
# the Markdown report in the job summary (`--format github` writes it), and a SARIF file for
# code scanning. Never fails the step: the exit code goes to GITHUB_OUTPUT (exit-code=0|1|2)
# and the action's last step decides.
set -uo pipefail
: "${IVRAUDIT:?}" "${GITHUB_OUTPUT:?}"
args=()
[ -n "${POLICY:-}" ] && args+=(--policy "$POLICY")
[ -n "${FAIL_ON:-}" ] && args+=(--fail-on "$FAIL_ON")
read -r -a paths <<< "${PATHS:-}"  # space-separated; empty: [tool.ivraudit] paths
"$IVRAUDIT" audit "${args[@]}" --format github "${paths[@]}"
status=$?
if [ -n "${SARIF:-}" ]; then
  "$IVRAUDIT" audit "${args[@]}" --format sarif --fail-on never --output "$SARIF" "${paths[@]}" \
    || echo "::warning title=ivraudit::could not write the SARIF report $SARIF"
fi
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
exit 0
