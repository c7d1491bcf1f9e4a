#!/usr/bin/env bash
# Runs every test for real: installs what the tests need (apt-get where missing), starts the loopback lab
# (Postfix relays, a sink, Dovecot), runs the suite, stops what it started, and ends with one line
# "N passed, N failed, N skipped" computed from the test results file.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
lab_dir=$(mktemp -d /tmp/notifier-lab.XXXXXX)
results=$(mktemp -d /tmp/notifier-results.XXXXXX)

cleanup() {
  "$root/scripts/lab/lab.sh" stop "$lab_dir" >/dev/null 2>&1 || true
  rm -rf "$lab_dir" "$results"
}
trap cleanup EXIT

echo "== starting the loopback lab in $lab_dir"
if ! "$root/scripts/lab/lab.sh" start "$lab_dir"; then
  echo "the lab did not start (see above)"
  echo "0 passed, 1 failed"
  exit 1
fi
export NOTIFIER_LAB_ENV="$lab_dir/lab.env"

echo "== building"
if ! dotnet build "$root/Notifier.sln" -c Release >"$results/build.log" 2>&1; then
  grep -E 'error|warning' "$results/build.log" | sort -u | tail -n 40
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== testing"
dotnet test "$root/Notifier.sln" -c Release --no-build \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" 2>&1 | grep -vE '^\s*Passed ' | tail -n 200
trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "the test run produced no results file"
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
total=$(count total); passed=$(count passed); failed=$(count failed); errors=$(count error)
timeouts=$(count timeout); aborted=$(count aborted); skipped=$(count notExecuted)
failed=$((failed + errors + timeouts + aborted))
# A test that crashed the host never reports: count what is missing as failed.
missing=$((total - passed - failed - skipped))
[ "$missing" -gt 0 ] && failed=$((failed + missing))
if [ "$failed" -gt 0 ]; then
  echo "== failed tests"
  grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$trx" | sed -E 's/testName="([^"]*)".*/  \1/; s/&quot;/"/g' || true
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ] && [ "$total" -gt 0 ]
