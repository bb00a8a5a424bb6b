#!/usr/bin/env bash
# The action's diff on a pull request: `ivraudit diff --base BASE` in Markdown, added to the job
# summary and posted as a pull-request comment that later pushes update (comment.py). BASE is
# the input `base`, else the pull request's base commit; with neither (a push), nothing to do.
# Never fails the step: GITHUB_OUTPUT gets diff-exit-code (0 | 1: something regressed | 2: a
# menu cannot be read, or the command line is wrong); the action's last step decides.
set -uo pipefail
: "${IVRAUDIT:?}" "${GITHUB_OUTPUT:?}" "${RUNNER_TEMP:?}"
if [ "${ENABLED:-true}" != "true" ]; then
  echo "diff-exit-code=0" >> "$GITHUB_OUTPUT"
  exit 0
fi
here=$(cd "$(dirname "$0")" && pwd)
python=$(dirname "$IVRAUDIT")/python
base=${BASE:-}
number=""
if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  read -r event_base number < <("$python" - "$GITHUB_EVENT_PATH" <<'PY'
import json, sys
event = json.load(open(sys.argv[1], encoding="utf-8"))
pull = event.get("pull_request") or {}
print((pull.get("base") or {}).get("sha") or "-", pull.get("number") or "")
PY
  )
  [ "$event_base" = "-" ] && event_base=""
  [ -z "$base" ] && base=$event_base
fi
if [ -z "$base" ]; then
  echo "ivraudit diff: no pull request and no input 'base': nothing to compare with"
  echo "diff-exit-code=0" >> "$GITHUB_OUTPUT"
  exit 0
fi
if ! git cat-file -e "$base^{commit}" 2>/dev/null; then  # a shallow checkout: fetch the base
  git fetch --no-tags --depth=1 origin "$base" >/dev/null 2>&1 \
    || echo "::warning title=ivraudit diff::could not fetch $base; use actions/checkout with fetch-depth: 0"
fi
args=(--base "$base" --fail-on-regression)  # exit 1 says "regressed"; failing is decided later
[ -n "${POLICY:-}" ] && args+=(--policy "$POLICY")
[ -n "${FAIL_ON:-}" ] && args+=(--fail-on "$FAIL_ON")
read -r -a allowances <<< "${ALLOW:-}"
for allowance in "${allowances[@]}"; do args+=(--allow "$allowance"); done
read -r -a paths <<< "${PATHS:-}"
markdown="$RUNNER_TEMP/ivraudit-diff.md"
rm -f "$markdown"
"$IVRAUDIT" diff "${args[@]}" --format markdown --output "$markdown" "${paths[@]}"
status=$?
if [ -f "$markdown" ]; then
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$markdown" >> "$GITHUB_STEP_SUMMARY"
  if [ "${COMMENT:-true}" = "true" ] && [ -n "$number" ]; then
    "$python" "$here/comment.py" "$markdown" "$number" \
      || echo "::warning title=ivraudit diff::could not comment on the pull request (the diff is in the job summary)"
  fi
fi
echo "diff-exit-code=$status" >> "$GITHUB_OUTPUT"
exit 0
