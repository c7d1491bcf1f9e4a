#!/usr/bin/env bash
# The dashboard under a year of a busy desk (issue 13): seeds 100,000 cases (probes, events, contacts, notices as
# the case state machine writes them) into a new SQLite database, starts the real service on it (loopback, an
# OS-picked port, no job server: nothing is probed or sent), signs in as the first admin it prints, and times the
# queue, the case search and a case page. Goal: p95 under 50 ms. Not a test: figures depend on the machine.
# Usage: scripts/bench-dashboard.sh [cases] [runs]   (default 100000 cases, 200 timed requests per page)
#        NOTIFIER_BENCH_DIR=dir keeps (and reuses) the seeded database in dir/data/notifier.db.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cases=${1:-100000}
runs=${2:-200}
dir=${NOTIFIER_BENCH_DIR:-$(mktemp -d /tmp/notifier-bench-dashboard.XXXXXX)}
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -z "${NOTIFIER_BENCH_DIR:-}" ] && rm -rf "$dir"
  return 0
}
trap cleanup EXIT
mkdir -p "$dir/data"
dotnet build "$root/tests/Notifier.Bench" -c Release -v q -nologo >/dev/null
bench="$root/tests/Notifier.Bench/bin/Release/net10.0/Notifier.Bench.dll"
if [ ! -f "$dir/data/notifier.db" ]; then
  echo "== seeding $cases cases into $dir/data/notifier.db"
  dotnet "$bench" seed "$dir/data/notifier.db" "$cases"
fi
# The seeded database has no operator: the service creates "admin" and prints its password, as on a first run.
dotnet "$bench" reset-operators "$dir/data/notifier.db"
echo "== starting the service on it"
(cd "$dir" && Notifier__Urls=http://127.0.0.1:0 Notifier__Jobs__RunServer=false \
  exec dotnet "$root/src/Notifier/bin/Release/net10.0/Notifier.dll") >"$dir/service.log" 2>&1 &
app_pid=$!
url=
# A seeded database of an older schema migrates first (minutes at 100,000 cases).
for _ in $(seq 1200); do
  url=$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$dir/service.log" | head -n 1 | sed 's/Now listening on: //') || true
  [ -n "$url" ] && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$dir/service.log"; echo "the service exited"; exit 1; }
  sleep 0.5
done
[ -n "$url" ] || { tail -n 40 "$dir/service.log"; echo "the service did not start listening"; exit 1; }
password=$(grep -A1 'created the operator account "admin" with the password' "$dir/service.log" | tail -n 1 | tr -d ' ')
echo "== timing $runs requests per page at $url (stopwatch around each request on loopback, after 10 warm-up requests)"
dotnet "$bench" measure "$url" admin "$password" "$runs"
