#!/usr/bin/env bash
# Issue 17 benchmark 3, the dashboard at a desk's scale: for each size, seeds that many cases (probes, events,
# contacts, notices as the case state machine writes them; bulk-inserted rows, tests/Notifier.Bench) into a new
# SQLite database, starts the real service on it (loopback, an OS-picked port, no job server: nothing is probed or
# sent), signs in as the first admin it prints, and times the queue, the searches and a case page: each timed
# `repeats` times (`runs` requests each, after 10 warm-up requests), p50 and p95 as min / median / max.
# Prints rows of the README benchmark table: "| pages | <figure> | min | median | max | goal | met? |"
# (goal: queue and search p95 under 50 ms at 100,000 cases). Not a test: figures depend on the machine.
# Usage: scripts/bench-pages.sh [sizes...]   (default 10000 100000 1000000)
#        NOTIFIER_BENCH_RUNS (100), NOTIFIER_BENCH_REPEATS (3); NOTIFIER_BENCH_DIR=dir keeps (and reuses) the
#        seeded databases in dir/<size>/data/notifier.db.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
runs=${NOTIFIER_BENCH_RUNS:-100}
repeats=${NOTIFIER_BENCH_REPEATS:-3}
base=${NOTIFIER_BENCH_DIR:-$(mktemp -d /tmp/notifier-bench-pages.XXXXXX)}
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -z "${NOTIFIER_BENCH_DIR:-}" ] && rm -rf "$base"
  return 0
}
trap cleanup EXIT
dotnet build "$root/tests/Notifier.Bench" -c Release -v q -nologo >/dev/null
bench="$root/tests/Notifier.Bench/bin/Release/net10.0/Notifier.Bench.dll"

for cases in "${sizes[@]}"; do
  dir="$base/$cases"
  mkdir -p "$dir/data"
  if [ ! -f "$dir/data/notifier.db" ]; then
    echo "== seeding $cases cases into $dir/data/notifier.db" >&2
    dotnet "$bench" seed "$dir/data/notifier.db" "$cases" >&2
  fi
  # A reused database has no operator left: the service creates "admin" and prints its password, as on a first run.
  dotnet "$bench" reset-operators "$dir/data/notifier.db"
  (cd "$dir" && Notifier__Urls=http://127.0.0.1:0 Notifier__Jobs__RunServer=false \
    exec dotnet "$root/src/Notifier/bin/Release/net10.0/Notifier.dll") >"$dir/service.log" 2>&1 &
  app_pid=$!
  url=
  # A seeded database of an older schema migrates first (minutes at a million cases).
  for _ in $(seq 3600); do
    url=$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$dir/service.log" | head -n 1 | sed 's/Now listening on: //') || true
    [ -n "$url" ] && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$dir/service.log" >&2; echo "the service exited" >&2; exit 1; }
    sleep 0.5
  done
  [ -n "$url" ] || { tail -n 40 "$dir/service.log" >&2; echo "the service did not start listening" >&2; exit 1; }
  password=$(grep -A1 'created the operator account "admin" with the password' "$dir/service.log" | tail -n 1 | tr -d ' ')
  echo "== timing at $url: $repeats × $runs requests per page, $cases cases ($(du -h "$dir/data/notifier.db" | cut -f1) database)" >&2
  dotnet "$bench" pages "$url" admin "$password" "$cases" "$runs" "$repeats"
  kill "$app_pid" && wait "$app_pid" 2>/dev/null || true
  app_pid=
done
