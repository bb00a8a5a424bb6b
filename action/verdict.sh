#!/usr/bin/env bash
# The action's verdict: bad input (2) first, then the audit's findings (1), then, when asked,
# a regression found by the diff (1).
set -uo pipefail
audit=${AUDIT:-0}
diff=${DIFF:-0}
if [ "$audit" = 2 ] || [ "$diff" = 2 ]; then
  echo "ivraudit: a menu could not be read, or an input is wrong (see the errors above)"
  exit 2
fi
if [ "$audit" = 1 ]; then
  echo "ivraudit: findings at or above fail-on (see the annotations and the job summary)"
  exit 1
fi
if [ "$diff" = 1 ] && [ "${FAIL_ON_REGRESSION:-false}" = "true" ]; then
  echo "ivraudit: this change makes a person harder to reach (see the diff in the job summary)"
  exit 1
fi
exit 0
