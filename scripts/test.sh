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

postgres_dir=$(mktemp -d /tmp/notifier-postgres.XXXXXX)

cleanup() {
  "$root/scripts/lab/lab.sh" stop "$lab_dir" >/dev/null 2>&1 || true
  "$root/scripts/postgres/postgres.sh" stop "$postgres_dir" >/dev/null 2>&1 || true
  rm -rf "$lab_dir" "$results" "$postgres_dir"
}
trap cleanup EXIT

# The browser tests drive Debian's Chromium through Playwright (never a browser download); fonts-dejavu-core gives
# its screenshots readable text on a minimal system. docker-compose (with python3-yaml) validates docker-compose.yml
# without an engine (ContainerDeploymentTests).
browser_packages=()
for p in chromium fonts-dejavu-core docker-compose; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || browser_packages+=("$p")
done
if [ "${#browser_packages[@]}" -gt 0 ]; then
  echo "== installing ${browser_packages[*]} for the browser and deployment tests"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${browser_packages[@]}"; } >"$results/apt.log" 2>&1; then
    tail -n 20 "$results/apt.log"
    echo "apt-get install ${browser_packages[*]} failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi
# Screenshots of the browser tests (queue, case page, stats page) land here; kept after the run.
export NOTIFIER_ARTIFACTS="$root/artifacts"
rm -rf "$NOTIFIER_ARTIFACTS/screenshots"

echo "== starting the loopback lab in $lab_dir"
if ! "$root/scripts/lab/lab.sh" start "$lab_dir"; then
  echo "the lab did not start (see above)"
  echo "0 passed, 1 failed"
  exit 1
fi
export NOTIFIER_LAB_ENV="$lab_dir/lab.env"

# ---- PostgreSQL (issue 15): a cluster of our own for the provider tests -------------------------------------------
# scripts/postgres/postgres.sh installs Debian's postgresql where missing, initdb's into $postgres_dir, listens on
# 127.0.0.1 only (a free port, its socket in $postgres_dir) and writes NOTIFIER_TEST_POSTGRES; cleanup stops it.
echo "== starting PostgreSQL in $postgres_dir"
if ! "$root/scripts/postgres/postgres.sh" start "$postgres_dir"; then
  echo "PostgreSQL did not start (see above)"
  echo "0 passed, 1 failed"
  exit 1
fi
# shellcheck disable=SC1091
. "$postgres_dir/postgres.env"
export NOTIFIER_TEST_POSTGRES
# ---- end of PostgreSQL ------------------------------------------------------------------------------------------

echo "== building"
if ! dotnet build "$root/Notifier.sln" -c Release >"$results/build.log" 2>&1; then
  grep -E 'error|warning' "$results/build.log" | sort -u | tail -n 40
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Code style as .editorconfig says (the build enforces analyzers; this checks layout and whitespace too).
# It reads the sources only, so it runs beside the tests; its outcome counts as one more check below.
echo "== checking the code format (dotnet format --verify-no-changes), beside the tests"
dotnet format "$root/Notifier.sln" --verify-no-changes --no-restore >"$results/format.log" 2>&1 &
format_pid=$!

echo "== testing"
dotnet test "$root/Notifier.sln" -c Release --no-build \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" >"$results/console.log" 2>&1
# The whole console output is kept; shown here: the totals, and each failed test's message and stack below.
grep -E '^(Total tests|\s+(Passed|Failed|Skipped): |Test Run)' "$results/console.log" || tail -n 40 "$results/console.log"
trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "the test run produced no results file"
  wait "$format_pid" 2>/dev/null
  echo "0 passed, 1 failed"
  exit 1
fi
# Per-test durations from the same results file, kept beside the screenshots: the slowest tests and each xUnit
# collection's summed time (a collection's tests run one after another, so its total is the least wall time it takes).
mkdir -p "$NOTIFIER_ARTIFACTS"
cp "$trx" "$NOTIFIER_ARTIFACTS/results.trx"
python3 "$root/scripts/test-durations.py" "$trx" "$root/tests" 15 | tee "$NOTIFIER_ARTIFACTS/durations.txt" ||
  echo "== (per-test durations could not be read from $trx)"
format_failed=0
if ! wait "$format_pid"; then
  format_failed=1
  echo "== the code format differs from .editorconfig (run: dotnet format Notifier.sln)"
  grep -E 'error|warning' "$results/format.log" | sed -E "s|$root/||" | head -n 40
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
total=$(count total); passed=$(count passed); failed=$(count failed); errors=$(count error)
timeouts=$(count timeout); aborted=$(count aborted); skipped=$(count notExecuted)
failed=$((failed + errors + timeouts + aborted))
# A test that crashed the host never reports: count what is missing as failed.
missing=$((total - passed - failed - skipped))
[ "$missing" -gt 0 ] && failed=$((failed + missing))
# The format check is one more check: passed or failed like a test.
if [ "$format_failed" -eq 1 ]; then failed=$((failed + 1)); else passed=$((passed + 1)); fi
total=$((total + 1))
if [ "$failed" -gt 0 ]; then
  echo "== failed tests"
  grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$trx" | sed -E 's/testName="([^"]*)".*/  \1/; s/&quot;/"/g' || true
  [ "$format_failed" -eq 1 ] && echo "  code format (dotnet format --verify-no-changes)"
  echo "== what the failed tests said"
  # Each block from "  Failed <name>" through its message and the first lines of its stack trace.
  awk '/^  Failed /{n=30} n>0{print; n--}' "$results/console.log" | head -n 400
fi
if [ -d "$NOTIFIER_ARTIFACTS/screenshots" ]; then
  echo "== browser screenshots in $NOTIFIER_ARTIFACTS/screenshots: $(cd "$NOTIFIER_ARTIFACTS/screenshots" && ls | tr '\n' ' ')"
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ] && [ "$total" -gt 0 ]
