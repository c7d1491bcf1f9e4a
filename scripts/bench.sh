#!/usr/bin/env bash
# Probe speed against real Postfix on loopback (the targets of issue 2), next to nmap's smtp-open-relay:
#   - a correctly closed Postfix in full mode (target: under 5 s; nmap takes about 18 s on the same server,
#     because Postfix sleeps 1 s per reply after 10 errors and nmap runs all 16 tests in one session);
#   - an open relay in quick mode.
#   - a CSV import of 1,000 / 2,000 / 4,000 / 10,000 rows into a fresh SQLite database through the CLI (issue 17
#     goal: 10,000 rows in under 10 s; wall and CPU seconds, process start and migration included).
# Speed targets live here, not in unit tests. Usage: scripts/bench.sh [runs]   (default 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
lab_dir=$(mktemp -d /tmp/notifier-bench.XXXXXX)
trap '"$root/scripts/lab/lab.sh" stop "$lab_dir" >/dev/null 2>&1 || true' EXIT
"$root/scripts/lab/lab.sh" start "$lab_dir" >/dev/null
# shellcheck disable=SC1091
. "$lab_dir/lab.env"
dotnet build "$root/src/Notifier" -c Release -v q -nologo >/dev/null
app="$root/src/Notifier/bin/Release/net10.0/Notifier.dll"

probe_seconds() { # target mode -> seconds inside the probe (startedAt..finishedAt) and wall seconds
  local start end json
  start=$(date +%s.%N)
  json=$(dotnet "$app" probe "$1" --allow-private --canary-domain canary.test --json $2)
  end=$(date +%s.%N)
  python3 - "$json" "$start" "$end" <<'PY' 2>/dev/null || echo "$json" | grep -o '"verdict": "[a-z-]*"'
import json, sys
from datetime import datetime
r = json.loads(sys.argv[1])
d = (datetime.fromisoformat(r["finishedAt"]) - datetime.fromisoformat(r["startedAt"])).total_seconds()
print(f'{r["verdict"]:14} probe {d:6.2f} s   wall {float(sys.argv[3]) - float(sys.argv[2]):6.2f} s   sessions {r["sessions"]}   variants {len(r["variants"])}')
PY
}

echo "== closed Postfix ($NOTIFIER_LAB_CLOSED), full mode, $runs runs"
for _ in $(seq "$runs"); do probe_seconds "$NOTIFIER_LAB_CLOSED" --full; done
echo "== open Postfix ($NOTIFIER_LAB_OPEN), quick mode, $runs runs"
for _ in $(seq "$runs"); do probe_seconds "$NOTIFIER_LAB_OPEN" ""; done

# Rows on public addresses (81.0.0.0/8; the import refuses private ones like any report); nothing is
# probed (the CLI runs no job server).
import_seconds() { # rows -> wall and CPU seconds of `import` of that many rows into a new database
  local dir csv
  dir=$(mktemp -d /tmp/notifier-bench-import.XXXXXX)
  csv="$dir/relays.csv"
  python3 - "$1" > "$csv" <<'PY'
import sys
print("address,port,source,note")
for i in range(int(sys.argv[1])):
    print(f"81.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255},25,bench,row {i}")
PY
  Notifier__Database__ConnectionString="Data Source=$dir/notifier.db" /usr/bin/time -f "%e %U %S" -o "$dir/time" \
    dotnet "$app" import "$csv" > "$dir/out"
  read -r wall user sys < "$dir/time"
  awk -v n="$1" -v w="$wall" -v u="$user" -v s="$sys" -v last="$(tail -1 "$dir/out")" \
    'BEGIN { printf "%6d rows   wall %6.2f s   cpu %6.2f s   %s\n", n, w, u + s, last }'
  rm -rf "$dir"
}

echo "== CSV import into a new SQLite database (goal: 10,000 rows < 10 s)"
for rows in 1000 2000 4000 10000; do import_seconds "$rows"; done

if command -v nmap >/dev/null; then
  host=${NOTIFIER_LAB_CLOSED%:*}; port=${NOTIFIER_LAB_CLOSED##*:}
  echo "== nmap smtp-open-relay against the same closed Postfix"
  start=$(date +%s.%N)
  # -sV: the script only runs on a port nmap has identified as SMTP.
  nmap -Pn -n -sV --version-light -p "$port" --script smtp-open-relay --script-args smtp-open-relay.domain=canary.test "$host" | grep -E 'smtp-open-relay|open relay' || true
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "nmap wall %.2f s\n", e - s }'
else
  echo "(nmap not installed: apt-get install nmap to compare)"
fi
