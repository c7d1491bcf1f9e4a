#!/usr/bin/env bash
# Probe speed against real Postfix on loopback (the targets of issue 2), next to nmap's smtp-open-relay:
#   - a correctly closed Postfix in full mode (target: under 5 s; nmap takes about 18 s on the same server,
#     because Postfix sleeps 1 s per reply after 10 errors and nmap runs all 16 tests in one session);
#   - an open relay in quick mode.
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
