#!/usr/bin/env bash
# The four benchmarks of issue 17, on loopback only, each figure min / median / max over BENCH_RUNS runs, the goal
# printed beside it; the table goes into README.md between the bench-table markers (with the machine it ran on).
#   1. batch probing: the lab's closed and open Postfix fleets (100 + 100 targets on distinct /24s) through
#      `probe --file` and through the service, against nmap --script smtp-open-relay (default and
#      --max-parallelism 100): wall, CPU, peak RSS, verdict agreement with nmap.
#   2. pipeline: BENCH_RELAYS relays by CSV (`import`) into a running service, all probed (closed), on SQLite and
#      PostgreSQL, against closed-Postfix peers (tests/Notifier.Bench `peers`) answering after 100 ms per reply and
#      without delay: import time, time to all probed, cases/min, database size per case, service peak RSS.
#   3. pages: scripts/bench-pages.sh, when present, prints its own rows.
#   4. notice rendering: notices/s per template (tests/Notifier.Bench `render`).
# A benchmark, not a test: nothing fails on a missed goal. Short run:
#   BENCH_RUNS=1 BENCH_RELAYS=500 BENCH_PROVIDERS=sqlite BENCH_RENDER=500 scripts/bench.sh
# Settings (environment): BENCH_RUNS (3), BENCH_PIPELINE_RUNS (1: one pipeline run is minutes), BENCH_RELAYS (10000),
# BENCH_DELAYS_MS ("100 0"), BENCH_PROVIDERS ("sqlite postgres"), BENCH_RENDER (2000 per template),
# BENCH_PIPELINE_TIMEOUT (900 s per run), BENCH_SECTIONS ("batch pipeline pages render"), BENCH_README (1: write README),
# BENCH_KEEP (0; 1: keep the work folder, with each pipeline run's SQLite database, and the PostgreSQL cluster running
# with its databases, and print where, so that where the bytes go can be read from them afterwards).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-3}
pipeline_runs=${BENCH_PIPELINE_RUNS:-1}
relays=${BENCH_RELAYS:-10000}
delays=${BENCH_DELAYS_MS:-100 0}
providers=${BENCH_PROVIDERS:-sqlite postgres}
render=${BENCH_RENDER:-2000}
pipeline_timeout=${BENCH_PIPELINE_TIMEOUT:-900}
sections=${BENCH_SECTIONS:-batch pipeline pages render}
keep=${BENCH_KEEP:-0}
work=$(mktemp -d /tmp/notifier-bench.XXXXXX)
# Beside it, not inside: the lab's postfix user and PostgreSQL's postgres user cannot enter $work (0700).
pg_dir=$(mktemp -u /tmp/notifier-bench-pg.XXXXXX)
lab_dir=$(mktemp -u /tmp/notifier-bench-lab.XXXXXX)
table="$work/table.md"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -d "$lab_dir" ] && { "$root/scripts/lab/lab.sh" stop "$lab_dir" >/dev/null 2>&1 || true; rm -rf "$lab_dir"; }
  if [ "$keep" = 1 ]; then
    echo "BENCH_KEEP=1: kept the work folder $work (pipeline runs in $work/pipe-<provider>-<delay ms>-<run>/, SQLite databases in data/notifier.db)" >&2
    [ -d "$pg_dir" ] && echo "BENCH_KEEP=1: kept PostgreSQL running in $pg_dir (databases bench_<delay ms>_<run>; connect with $pg_dir/postgres.env; stop with scripts/postgres/postgres.sh stop $pg_dir)" >&2
    return 0
  fi
  [ -d "$pg_dir" ] && { "$root/scripts/postgres/postgres.sh" stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build "$root/src/Notifier" -c Release -v q -nologo >/dev/null
dotnet build "$root/tests/Notifier.Bench" -c Release -v q -nologo >/dev/null
app="$root/src/Notifier/bin/Release/net10.0/Notifier.dll"
bench="$root/tests/Notifier.Bench/bin/Release/net10.0/Notifier.Bench.dll"
has() { [[ " $sections " == *" $1 "* ]]; }
say() { echo "$@" | tee -a "$table"; }

# min / median / max of the numbers on stdin (one a line), with a format.
stats() { python3 -c '
import statistics, sys
v = sorted(float(x) for x in sys.stdin.read().split())
f = sys.argv[1]
print("n/a" if not v else " / ".join(f.format(x) for x in (v[0], statistics.median(v), v[-1])))' "${1:-"{:.1f}"}"; }
median() { python3 -c 'import statistics, sys; v = [float(x) for x in sys.stdin.read().split()]; print(statistics.median(v) if v else "nan")'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# CPU seconds (user + system) a live process has used so far, and its peak RSS in MiB.
cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
peak_rss_mib() { awk '/VmHWM/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(date -u '+%Y-%m-%d %H:%M UTC')"
: >"$table"
say "Machine: $machine; load average at start $(load). Settings: BENCH_RUNS=$runs, BENCH_PIPELINE_RUNS=$pipeline_runs, BENCH_RELAYS=$relays, BENCH_RENDER=$render."
say ""

# The service in its own folder with these extra settings (KEY=VALUE, as Notifier__… variables); prints its pid once
# it listens. Contacts are looked up against port 9 on loopback (discard): nothing leaves the machine.
start_service() { # dir, settings...
  local dir=$1; shift
  mkdir -p "$dir"
  (
    cd "$dir"
    export Notifier__Urls=http://127.0.0.1:0 Notifier__Probing__AllowPrivateTargets=true \
      Notifier__Contacts__NameServers__0=127.0.0.1:9 Notifier__Contacts__RdapBootstrapUrl=http://127.0.0.1:9/rdap/bootstrap.json \
      Notifier__Contacts__UseAbuseNet=false Notifier__Contacts__DnsTimeout=00:00:01 Notifier__Contacts__DnsRetries=0
    local kv
    for kv in "$@"; do export "Notifier__${kv%%=*}=${kv#*=}"; done
    exec dotnet "$app" >"$dir/service.log" 2>&1
  ) &
  local pid=$! i
  for ((i = 0; i < 120; i++)); do
    grep -q "Now listening on" "$dir/service.log" 2>/dev/null && { echo "$pid"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "the service did not start:" >&2; tail -20 "$dir/service.log" >&2; return 1
}
# A CLI verb of the same binary on the same settings and folder.
verb() { # dir, settings..., --, args...
  local dir=$1; shift
  local env=(Notifier__Probing__AllowPrivateTargets=true)
  while [ "$1" != -- ]; do env+=("Notifier__${1%%=*}=${1#*=}"); shift; done
  shift
  (cd "$dir" && env "${env[@]}" dotnet "$app" "$@")
}

# ---------------------------------------------------------------------------------------------------------- 1. batch
if has batch; then
  # nmap is what the batch is measured against: installed where missing (as scripts/test.sh installs what the tests
  # need), and the section stops the run when it cannot be, rather than printing zeros for nmap.
  if ! command -v nmap >/dev/null; then
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nmap ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nmap; }; } >"$work/apt.log" 2>&1 ||
      { tail -n 20 "$work/apt.log" >&2; echo "apt-get install nmap failed: the batch section needs nmap" >&2; exit 1; }
  fi
  "$root/scripts/lab/lab.sh" start "$lab_dir" >/dev/null
  # shellcheck disable=SC1091
  . "$lab_dir/lab.env"
  if [ -z "${NOTIFIER_LAB_FLEET_CLOSED:-}" ] || [ -z "${NOTIFIER_LAB_FLEET_OPEN:-}" ]; then
    say "### 1. Batch probing"
    say ""
    say "Not run: this lab has no Postfix fleets (NOTIFIER_LAB_FLEET_CLOSED/_OPEN in lab.env)."
    say ""
  else
    # One target per fleet address (its first port): 100 closed and 100 open, each on its own /24.
    first_per_host() { tr ',' '\n' | awk -F: '!seen[$1]++'; }
    echo "$NOTIFIER_LAB_FLEET_CLOSED" | first_per_host >"$work/closed.txt"
    echo "$NOTIFIER_LAB_FLEET_OPEN" | first_per_host >"$work/open.txt"
    cat "$work/closed.txt" "$work/open.txt" >"$work/targets.txt"
    n=$(wc -l <"$work/targets.txt")
    # The fleets' own canary domain where the lab has one, so their test messages stay out of the lab mailbox.
    canary=${NOTIFIER_LAB_FLEET_CANARY_DOMAIN:-$NOTIFIER_LAB_CANARY_DOMAIN}
    lab_settings=(Probing__CanaryDomain="$canary" Probing__MinIntervalPerTarget=00:00:00)
    : >"$work/batch.tsv" # tool, wall, cpu, rss, agreement
    nmap_verdicts() { # nmap output -> host<TAB>open|closed
      awk '/Nmap scan report for/ { h = $NF } /Server is an open relay/ { v[h] = "open" } /doesn.t seem to be an open relay/ { if (!(h in v)) v[h] = "closed" } END { for (h in v) print h "\t" v[h] }' "$1"
    }
    agreement() { # our verdicts file (host<TAB>open|closed) -> "agree/total" against nmap's of the first run
      [ -f "$work/nmap.verdicts" ] || { echo "n/a"; return; }
      join -t $'\t' <(sort "$1") <(sort "$work/nmap.verdicts") | awk -F'\t' -v n="$n" '$2 == $3 { a++ } END { printf "%d/%d\n", a, n }'
    }
    for ((r = 1; r <= runs; r++)); do
      for parallel in default 100; do
        port_list=$(cut -d: -f2 "$work/targets.txt" | sort -u | paste -sd,)
        cut -d: -f1 "$work/targets.txt" >"$work/hosts.txt"
        extra=(); [ "$parallel" = 100 ] && extra=(--max-parallelism 100)
        /usr/bin/time -f "%e %U %S %M" -o "$work/t" nmap -Pn -n -sV --version-light -p "$port_list" "${extra[@]}" \
          --script smtp-open-relay --script-args smtp-open-relay.domain="$canary" -iL "$work/hosts.txt" >"$work/nmap.out" 2>&1 || true
        [ "$parallel" = default ] && [ "$r" = 1 ] && nmap_verdicts "$work/nmap.out" >"$work/nmap.verdicts"
        read -r w u s m < <(tail -1 "$work/t") # time prints "Command exited with non-zero status N" first
        printf 'nmap %s\t%s\t%s\t%s\t%s\n' "$parallel" "$w" "$(echo "$u + $s" | bc)" "$((m / 1024))" "$(agreement <(nmap_verdicts "$work/nmap.out"))" >>"$work/batch.tsv"
      done
      mkdir -p "$work/cli"
      (cd "$work/cli" && /usr/bin/time -f "%e %U %S %M" -o "$work/t" dotnet "$app" probe --file "$work/targets.txt" --allow-private \
        --canary-domain "$canary" --json-lines >"$work/cli.jsonl" 2>/dev/null) || true
      python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["address"] + "\t" + ("open" if r["verdict"] in ("data-accepted", "rcpt-accepted", "confirmed", "multihop") else "closed"))' "$work/cli.jsonl" >"$work/cli.verdicts"
      read -r w u s m < <(tail -1 "$work/t") # time prints "Command exited with non-zero status N" first
      printf 'probe --file\t%s\t%s\t%s\t%s\n' "$w" "$(echo "$u + $s" | bc)" "$((m / 1024))" "$(agreement "$work/cli.verdicts")" >>"$work/batch.tsv"

      # The service: the targets as a CSV import, the dispatcher every second, until every probe is done.
      dir="$work/svc-batch-$r"
      pid=$(start_service "$dir" "${lab_settings[@]}" Jobs__DispatchCron="*/1 * * * * *")
      pids+=("$pid")
      cpu0=$(cpu_seconds "$pid")
      { echo "address,port,source,note"; awk -F: '{ print $1 "," $2 ",bench,batch" }' "$work/targets.txt"; } >"$dir/targets.csv"
      start=$(date +%s.%N)
      verb "$dir" "${lab_settings[@]}" -- import "$dir/targets.csv" >/dev/null
      until [ "$(sqlite3 -cmd ".timeout 10000" "$dir/data/notifier.db" "select count(*) from Probes where Status = 'done'")" -ge "$n" ]; do
        sleep 0.2
        [ "$(echo "$(date +%s.%N) - $start > 300" | bc)" = 1 ] && break
      done
      end=$(date +%s.%N)
      sqlite3 -separator $'\t' "$dir/data/notifier.db" "select c.Address, case when p.Verdict in ('data-accepted','rcpt-accepted','confirmed','multihop') then 'open' else 'closed' end from Probes p join Cases c on c.Id = p.CaseId where p.Status = 'done'" >"$work/svc.verdicts"
      printf 'service\t%s\t%s\t%s\t%s\n' "$(echo "$end - $start" | bc)" "$(echo "$(cpu_seconds "$pid") - $cpu0" | bc)" "$(peak_rss_mib "$pid")" "$(agreement "$work/svc.verdicts")" >>"$work/batch.tsv"
      kill "$pid"; wait "$pid" 2>/dev/null || true
    done
    say "### 1. Batch probing ($n targets: $(wc -l <"$work/closed.txt") closed + $(wc -l <"$work/open.txt") open Postfix, distinct /24s; $runs runs)"
    say ""
    say "| tool | wall s | CPU s | CPU ms/probe | peak RSS MiB | verdicts as nmap's |"
    say "|---|---|---|---|---|---|"
    for tool in "nmap default" "nmap 100" "probe --file" service; do
      rows=$(awk -F'\t' -v t="$tool" '$1 == t' "$work/batch.tsv")
      say "| $tool | $(cut -f2 <<<"$rows" | stats) | $(cut -f3 <<<"$rows" | stats) | $(cut -f3 <<<"$rows" | awk -v n="$n" '{ print $1 * 1000 / n }' | stats '{:.0f}') | $(cut -f4 <<<"$rows" | stats '{:.0f}') | $(cut -f5 <<<"$rows" | sort | uniq -c | awk '{ printf "%s%s×%s", sep, $2, $1; sep = ", " }') |"
    done
    m() { awk -F'\t' -v t="$1" -v c="$2" '$1 == t { print $c }' "$work/batch.tsv" | median; }
    ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"; }
    say ""
    for tool in "probe --file" service; do
      a=$(ratio "$(m "nmap default" 2)" "$(m "$tool" 2)"); b=$(ratio "$(m "nmap 100" 2)" "$(m "$tool" 2)"); c=$(ratio "$(m "$tool" 3)" "$(m "nmap default" 3)")
      say "- $tool: $a× faster than nmap default (goal ≥ 30×: $(python3 -c "print('met' if $a >= 30 else 'not met')")), $b× faster than nmap --max-parallelism 100 (goal ≥ 8×: $(python3 -c "print('met' if $b >= 8 else 'not met')")), CPU $c× nmap's (goal ≤ 2×: $(python3 -c "print('met' if $c <= 2 else 'not met')"))"
    done
    say ""
  fi
  "$root/scripts/lab/lab.sh" stop "$lab_dir" >/dev/null 2>&1 || true
  rm -rf "$lab_dir"
fi

# ------------------------------------------------------------------------------------------------------- 2. pipeline
if has pipeline; then
  say "### 2. Pipeline: $relays relays by CSV → all probed (closed), default settings ($pipeline_runs run each)"
  say ""
  say "| database | peer delay per reply | import s (goal < 10 s at 10,000) | to all probed s (goal < 300 s loopback, < 600 s at 100 ms) | cases/min | DB KB/case (goal ≤ 5) | of which job storage KB/case | service peak RSS MiB | load after |"
  say "|---|---|---|---|---|---|---|---|---|"
  python3 - "$relays" >"$work/relays.csv" <<'PY'
import sys
print("address,port,source,note")
for i in range(int(sys.argv[1])):
    print(f"127.{40 + i // 256}.{i % 256}.1,PORT,bench,row {i}")
PY
  for provider in $providers; do
    if [ "$provider" = postgres ] && [ ! -d "$pg_dir" ]; then
      # The tests' throwaway cluster (scripts/postgres: fsync and synchronous_commit off).
      "$root/scripts/postgres/postgres.sh" start "$pg_dir" >/dev/null
      # shellcheck disable=SC1091
      . "$pg_dir/postgres.env"
      pg_host=$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$NOTIFIER_TEST_POSTGRES")
      pg_port=$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$NOTIFIER_TEST_POSTGRES")
      pg_user=$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$NOTIFIER_TEST_POSTGRES")
    fi
    for delay in $delays; do
      for ((r = 1; r <= pipeline_runs; r++)); do
        dir="$work/pipe-$provider-$delay-$r"
        mkdir -p "$dir"
        port=$(free_port)
        dotnet "$bench" peers "$relays" "$port" "$delay" >"$dir/peers.log" 2>&1 &
        peers=$!; pids+=("$peers")
        until grep -qs listening "$dir/peers.log"; do sleep 0.2; done
        sed "s/,PORT,/,$port,/" "$work/relays.csv" >"$dir/relays.csv"
        if [ "$provider" = postgres ]; then
          db="bench_${delay}_$r"
          psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -c "create database $db" >/dev/null
          psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$db" -f "$root/db/postgres/notifier.sql" >/dev/null
          settings=(Database__Provider=Postgres "Database__ConnectionString=Host=$pg_host;Port=$pg_port;Username=$pg_user;Database=$db")
          count_done() { psql -tAq -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$db" -c "select count(*) from \"Probes\" where \"Status\" = 'done'"; }
          db_bytes() { psql -tAq -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$db" -c "select pg_database_size(current_database())"; }
          # Hangfire's schema in the same database: each job's rows (job, parameters, states, counters) expire a day
          # after it succeeded, so this part of the growth is the day's jobs, not what a case keeps.
          job_bytes() { psql -tAq -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$db" -c "select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'hangfire' and c.relkind = 'r'"; }
        else
          settings=()
          count_done() { sqlite3 -cmd ".timeout 10000" "$dir/data/notifier.db" "select count(*) from Probes where Status = 'done'"; }
          db_bytes() { sqlite3 -cmd ".timeout 10000" "$dir/data/notifier.db" "pragma wal_checkpoint(truncate)" >/dev/null; stat -c %s "$dir/data/notifier.db"; }
          job_bytes() { echo 0; } # Hangfire keeps its jobs in memory on SQLite
        fi
        pid=$(start_service "$dir" "${settings[@]}" Probing__CanaryDomain=canary.test)
        pids+=("$pid")
        base=$(db_bytes); jobs_base=$(job_bytes)
        start=$(date +%s.%N)
        verb "$dir" "${settings[@]}" -- import "$dir/relays.csv" >"$dir/import.out" 2>&1 || true
        import_s=$(echo "$(date +%s.%N) - $start" | bc)
        done_count=0
        while :; do
          done_count=$(count_done)
          [ "$done_count" -ge "$relays" ] && break
          [ "$(echo "$(date +%s.%N) - $start > $pipeline_timeout" | bc)" = 1 ] && break
          sleep 1
        done
        elapsed=$(echo "$(date +%s.%N) - $start" | bc)
        rss=$(peak_rss_mib "$pid")
        kill "$pid"; wait "$pid" 2>/dev/null || true
        kill "$peers"; wait "$peers" 2>/dev/null || true
        size=$(db_bytes); jobs=$(job_bytes)
        if [ "$done_count" -ge "$relays" ]; then probed=$(printf '%.0f' "$elapsed"); else probed="not within ${pipeline_timeout} s ($done_count of $relays)"; fi
        say "| $provider | $delay ms | $(printf '%.1f' "$import_s") | $probed | $(python3 -c "print(f'{$done_count / ($elapsed / 60):.0f}')") | $(python3 -c "print(f'{($size - $base) / 1024 / max($done_count, 1):.1f}')") | $(python3 -c "print(f'{($jobs - $jobs_base) / 1024 / max($done_count, 1):.1f}')") | $rss | $(load) |"
      done
    done
  done
  say ""
fi

# ---------------------------------------------------------------------------------------------------------- 3. pages
if has pages; then
  say "### 3. Pages"
  say ""
  if [ -x "$root/scripts/bench-pages.sh" ]; then
    # bench-pages.sh prints rows only; the header makes them a Markdown table.
    say "| section | figure | min | median | max | goal | met? |"
    say "|---|---|---|---|---|---|---|"
    "$root/scripts/bench-pages.sh" | tee -a "$table"
  else
    say "Not run: scripts/bench-pages.sh is not in this tree."
  fi
  say ""
fi

# --------------------------------------------------------------------------------------------------------- 4. render
if has render; then
  say "### 4. Notice rendering (goal ≥ 5,000/s; one thread, $runs runs)"
  say ""
  for ((r = 1; r <= runs; r++)); do dotnet "$bench" render "$render" | awk -F'|' 'NR > 2 { gsub(/ /, ""); print $2 "\t" $4 }'; done >"$work/render.tsv"
  say "| template | notices/s | goal |"
  say "|---|---|---|"
  for kind in $(cut -f1 "$work/render.tsv" | awk '!seen[$0]++'); do
    med=$(awk -F'\t' -v k="$kind" '$1 == k { print $2 }' "$work/render.tsv" | median)
    say "| $kind | $(awk -F'\t' -v k="$kind" '$1 == k { print $2 }' "$work/render.tsv" | stats '{:.0f}') | $(python3 -c "print('met' if $med >= 5000 else 'not met')") |"
  done
  say ""
fi
say "Load average at the end: $(load)."

if [ "${BENCH_README:-1}" = 1 ]; then
  python3 - "$root/README.md" "$table" <<'PY'
import sys
readme, table = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
start, end = "<!-- bench-table:start -->", "<!-- bench-table:end -->"
before, rest = text.split(start, 1)
_, after = rest.split(end, 1)
open(readme, "w").write(before + start + "\n" + table + end + after)
PY
  echo "README.md: table written"
fi
