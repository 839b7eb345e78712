#!/bin/bash
# The whole test suite: installs and starts the loopback rig (Azurite, Postfix + Dovecot, Knot DNS), builds,
# runs every test project, stops the rig, and ends with one line "N passed, N failed, N skipped" taken from
# the test results. Needs root (apt-get, Postfix). Under CI=true a missing service fails the tests.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RESULTS=$ROOT/TestResults
rm -rf "$RESULTS"

if ! scripts/rig.sh start; then
  echo "the test rig did not start" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
trap 'scripts/rig.sh stop' EXIT

if ! dotnet build EmailInfra.Functions.sln -c Debug -nologo -v quiet; then
  echo "build failed" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# One TRX per test project, named after it, so no result file overwrites another.
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" --no-build -nologo -v quiet \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" "$@" || status=1
done

# Stop the rig before the summary, so the summary is the last line printed.
trap - EXIT
scripts/rig.sh stop

# Count outcomes from the TRX files: the runner's own record of every test.
outcomes=$(cat "$RESULTS"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*' | grep -o 'outcome="[A-Za-z]*"' || true)
passed=$(grep -c '"Passed"' <<<"$outcomes" || true)
skipped=$(grep -c '"NotExecuted"' <<<"$outcomes" || true)
failed=$(grep -vc -e '"Passed"' -e '"NotExecuted"' -e '^$' <<<"$outcomes" || true)
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
