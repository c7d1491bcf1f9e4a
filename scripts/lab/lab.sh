#!/usr/bin/env bash
# Notifier integration-test lab: a set of private Postfix instances (open,
# closed, percent-hack, partially open, STARTTLS-only, discarding, bouncing,
# greylisting relays, a relay the tests switch between open and closed, plus
# a sink; a smarthost for notices), two fleets (many closed / many open
# relays on other loopback addresses 127.X.Y.1), the greylisting
# relay's policy service and a private Dovecot (IMAP + LMTP), all bound to
# loopback on free random ports and living entirely under LAB_DIR.
#
#   scripts/lab/lab.sh start  [LAB_DIR]
#   scripts/lab/lab.sh stop   [LAB_DIR]
#   scripts/lab/lab.sh status [LAB_DIR]
#   scripts/lab/lab.sh relay  LAB_DIR switch open|closed
#
# LAB_DIR defaults to ${NOTIFIER_LAB_DIR:-/tmp/notifier-lab}. After a
# successful start, LAB_DIR/lab.env describes the lab (see README.md).
#
# Safety: every listener binds 127.0.0.1 only, no MTA does DNS, and every
# relay's only way out is the sink instance, which delivers exclusively to
# the lab's Dovecot over LMTP. Needs root (Postfix/Dovecot start as root and
# drop privileges).
#
# Postfix settings contain literal $parameter references: single quotes are
# intended.
# shellcheck disable=SC2016,SC2015
set -euo pipefail

PROG="lab.sh"
umask 022   # postfix/dovecot users must be able to traverse LAB_DIR
POSTFIX_INSTANCES=(sink open closed percent partial starttls discard bounce greylist switch smarthost fleetclosed fleetopen)
# Instances that must answer with a given banner host name.
declare -A HOSTNAME_OF=(
  [sink]=mail.sink.test
  [open]=mail.open.test
  [closed]=mail.closed.test
  [percent]=mail.percent.test
  [partial]=mail.hosted.test
  [starttls]=mail.tls.test
  [discard]=mail.discard.test
  [bounce]=mail.bounce.test
  [greylist]=mail.greylist.test
  [switch]=mail.switch.test
  [smarthost]=mail.smarthost.test
)
# The smarthost's fixed refusals, for the notice sending tests.
SMARTHOST_REJECTS=gone@owner.test
SMARTHOST_DEFERS=busy@owner.test
# Seconds the greylist policy service defers a new (client, sender, recipient)
# triple; tests retry after a few seconds.
GREYLIST_DELAY=${NOTIFIER_LAB_GREYLIST_DELAY:-3}
POLICY_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/greylist-policy.pl
# Ports are picked at random in [PORT_MIN, PORT_MAX); the default range stays
# below the kernel's default ephemeral range (32768-60999).
PORT_MIN=${NOTIFIER_LAB_PORT_MIN:-20000}
PORT_MAX=${NOTIFIER_LAB_PORT_MAX:-32000}
MARKER=".notifier-lab"  # marks a directory as created by this script
# "Relay for everyone". A bare "permit" is refused by smtpd's safety check
# (it wants a reject_unauth_destination in the list); static:OK matches
# every client, so the reject_unauth_destination behind it is never reached.
PERMIT_ALL="check_client_access static:OK, reject_unauth_destination"
# The relay restrictions of the switch instance per setting (lab.sh relay).
declare -A SWITCH_RESTRICTIONS=([open]=$PERMIT_ALL [closed]=reject_unauth_destination)
# The RCPT reply code that shows a setting is in force: 250 relayed, 554
# "Relay access denied" (reject_unauth_destination's default
# relay_domains_reject_code).
declare -A SWITCH_RCPT_CODE=([open]=250 [closed]=554)
# The fleets: one closed and one open Postfix instance, each
# listening on FLEET_SIZE loopback addresses 127.X.Y.1 on distinct /24s (X
# the fleet's second octet, Y the address's index) and FLEET_PORTS ports on
# each, for tests and benchmarks that need many distinct relays (cases are
# per address and port; the probe throttle is per /24).
FLEET_INSTANCES=(fleetclosed fleetopen)
HOSTNAME_OF[fleetclosed]=mail.fleetclosed.test
HOSTNAME_OF[fleetopen]=mail.fleetopen.test
FLEET_SIZE=${NOTIFIER_LAB_FLEET_SIZE:-100}
FLEET_PORTS=${NOTIFIER_LAB_FLEET_PORTS:-5}
PKGS=(postfix dovecot-core dovecot-imapd dovecot-lmtpd openssl ssl-cert iproute2)

die() { echo "$PROG: ERROR: $*" >&2; exit 1; }
log() { echo "$PROG: $*" >&2; }
warn() { echo "$PROG: WARNING: $*" >&2; }

usage() {
  cat >&2 <<EOF
usage: $0 start|stop|status [LAB_DIR]
       $0 relay LAB_DIR switch open|closed
  LAB_DIR defaults to \${NOTIFIER_LAB_DIR:-/tmp/notifier-lab}
EOF
  exit 2
}

# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------

now_ms() { date +%s%3N; }
T0=$(now_ms)
# LAB_DEBUG=1 prints timings of the start/stop phases.
phase() { [[ -z "${LAB_DEBUG:-}" ]] || log "+$(( $(now_ms) - T0 )) ms: $*"; }

# /proc/PID/stat fields after the "(comm)": state ppid ... starttime(20th).
# Sets STAT_STATE and STAT_START; fails if PID does not exist.
read_stat() {
  local line rest f
  { IFS= read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
  rest=${line##*) }
  read -r -a f <<<"$rest"
  STAT_STATE=${f[0]} STAT_START=${f[19]}
}

# Is PID alive (and not a zombie)?
pid_alive() {
  [[ -n "$1" ]] && read_stat "$1" && [[ "$STAT_STATE" != Z ]]
}

# Start time (clock ticks since boot) of PID, to guard against PID reuse.
pid_starttime() {
  if read_stat "$1"; then echo "$STAT_START"; else echo gone; fi
}

pid_exe() { readlink "/proc/$1/exe" 2>/dev/null || true; }

# All descendants of PID (children, grandchildren, ...) as "pid:starttime".
descendants() {
  # A process can exit between the glob and cat: cat then fails, which under
  # "set -o pipefail; set -e" aborted the caller. What is still there is enough.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { pid = $1; sub(/^.*\) /, ""); ppid[pid] = $2; start[pid] = $20 }
    END {
      n = 1; q[1] = root
      for (i = 1; i <= n; i++)
        for (p in ppid)
          if (ppid[p] == q[i]) { q[++n] = p; print p ":" start[p] }
    }'
}

# Is 127.0.0.1:PORT (or *:PORT) in LISTEN state? Prints the ss line(s).
port_listeners() {
  ss -Hltnp "( sport = :$1 )" 2>/dev/null || true
}

port_in_use() {
  [[ -n "$(ss -Hltn "( sport = :$1 )" 2>/dev/null)" ]]
}

# Picks a free port into PORT (not via $(...): PICKED must persist).
declare -A PICKED=()
pick_port() {
  local p tries=0
  while :; do
    tries=$((tries + 1))
    ((tries < 500)) || die "could not find a free TCP port in $PORT_MIN-$PORT_MAX"
    p=$((PORT_MIN + (RANDOM * 32768 + RANDOM) % (PORT_MAX - PORT_MIN)))
    [[ -z "${PICKED[$p]:-}" ]] || continue
    port_in_use "$p" && continue
    PICKED[$p]=1
    PORT=$p
    return 0
  done
}

# Wait until 127.0.0.1:PORT is listened on by one of the given pids (a
# process-tree root plus its descendants). Fails after ~10 s.
wait_listen() {
  local name=$1 port=$2 root=$3 deadline line pids
  deadline=$(( $(now_ms) + 10000 ))
  while :; do
    line=$(port_listeners "$port")
    if [[ -n "$line" ]]; then
      if ! grep -q "127\.0\.0\.1:$port " <<<"$line"; then
        die "$name: port $port is listened on, but not (only) on 127.0.0.1: $line"
      fi
      pids=" $root $(descendants "$root" | cut -d: -f1 | tr '\n' ' ') "
      local lp ok=0 owners
      # grep finds nothing when ss names no owner: without "|| true", pipefail and set -e would end the start here.
      owners=$({ grep -o 'pid=[0-9]*' <<<"$line" || true; } | cut -d= -f2 | tr '\n' ' ')
      for lp in $owners; do
        [[ "$pids" == *" $lp "* ]] && ok=1
      done
      ((ok)) && return 0
      # ss -p names a socket's process by scanning /proc/*/fd; on a loaded machine that scan can come back with
      # no owner for a socket bound a moment ago. Only an owner that is named and not ours is foreign at once;
      # an unnamed one is looked at again until the deadline.
      [[ -n "$owners" ]] && die "$name: port $port is held by a foreign process, not by this lab: $line"
      (( $(now_ms) < deadline )) || die "$name: port $port is held by a process ss cannot name (not this lab's): $line"
      sleep 0.1
      continue
    fi
    pid_alive "$root" || die "$name: process $root died before listening on 127.0.0.1:$port"
    (( $(now_ms) < deadline )) || die "$name: not listening on 127.0.0.1:$port after 10 s"
    sleep 0.05
  done
}

# Read the SMTP greeting of 127.0.0.1:PORT and check it names HOST.
check_banner() {
  local name=$1 port=$2 host=$3 addr=${4:-127.0.0.1} banner
  banner=$(timeout 10 bash -c '
      exec 3<>"/dev/tcp/$2/$1" || exit 1
      IFS= read -r line <&3 || exit 1
      printf "%s\n" "${line%$'"'"'\r'"'"'}"
      printf "QUIT\r\n" >&3
      IFS= read -r _ <&3 || true
      exec 3>&-' _ "$port" "$addr" 2>/dev/null) || true
  [[ "$banner" == "220 $host ESMTP Postfix" ]] ||
    die "$name: unexpected SMTP greeting on $addr:$port: '${banner}' (want '220 $host ESMTP Postfix'); see $LAB_DIR/$name/maillog"
}

# ----------------------------------------------------------------------------
# fleets
# ----------------------------------------------------------------------------

is_fleet() { [[ $1 == fleetclosed || $1 == fleetopen ]]; }

# The fleets' second octets: a random pair per start (other labs' fleets may
# use the same addresses, never the same ports: every fleet port is picked
# free on all addresses). 127.0.x.x stays the single-address instances'.
pick_fleet_octets() {
  local x=$((2 + RANDOM % 250))
  FLEET_OCTET_OF=([fleetclosed]=$x [fleetopen]=$((x + 1)))
}

# The fleet's addresses, one a line: 127.X.Y.1 for Y = 0 .. FLEET_SIZE-1.
fleet_addresses() {
  local x=${FLEET_OCTET_OF[$1]} y
  for ((y = 0; y < FLEET_SIZE; y++)); do echo "127.$x.$y.1"; done
}

# The fleet's endpoints as the lab.env value: host:port,host:port,... (commas,
# so that lab.env stays a file the shell can source).
fleet_endpoints() {
  local a p out=()
  for a in $(fleet_addresses "$1"); do
    for p in ${FLEET_PORTS_OF[$1]}; do out+=("$a:$p"); done
  done
  local IFS=,
  echo "${out[*]}"
}

# Wait until every fleet address listens on every fleet port, owned by the
# fleet's Postfix master (or a descendant); a listener on those ports at
# another address or of another process is foreign and fails the start.
# Fails after ~10 s.
wait_fleet_listen() {
  local name=$1 root=$2 deadline want have lines p pids foreign local_addr proc owner
  want=$((FLEET_SIZE * $(wc -w <<<"${FLEET_PORTS_OF[$name]}")))
  deadline=$(( $(now_ms) + 10000 ))
  local -A ours=()
  for p in $(fleet_addresses "$name"); do ours[$p]=1; done
  # one ss call for all the fleet's ports (ss -p scans every process's fds: per port it took seconds)
  local filter=""
  for p in ${FLEET_PORTS_OF[$name]}; do filter+="${filter:+ or }sport = :$p"; done
  while :; do
    pids=" $root $(descendants "$root" | cut -d: -f1 | tr '\n' ' ') "
    have=0 foreign=""
    lines=$(ss -Hltnp "( $filter )" 2>/dev/null || true)
    if [[ -n "$lines" ]]; then
      # ss -Hltnp: State Recv-Q Send-Q Local:Port Peer:Port Process
      while read -r _ _ _ local_addr _ proc; do
        # an unnamed owner (ss's /proc scan can miss a fresh socket) is looked at again on the next round
        owner=""
        [[ $proc =~ pid=([0-9]+) ]] && owner=${BASH_REMATCH[1]}
        if [[ -z "${ours[${local_addr%:*}]:-}" ]] || [[ -n "$owner" && "$pids" != *" $owner "* ]]; then
          foreign+="$local_addr($proc) "
        elif [[ -n "$owner" ]]; then
          have=$((have + 1))
        fi
      done <<<"$lines"
    fi
    [[ -z "$foreign" ]] || die "$name: fleet ports are held by foreign listeners: $foreign"
    ((have == want)) && return 0
    pid_alive "$root" || die "$name: process $root died before listening on its $want fleet endpoints"
    (( $(now_ms) < deadline )) || die "$name: $have of $want fleet endpoints listening after 10 s (see $LAB_DIR/$name/maillog)"
    sleep 0.1
  done
}

# ----------------------------------------------------------------------------
# packages
# ----------------------------------------------------------------------------

ensure_packages() {
  local missing=() p
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [[ $(id -u) == 0 ]] || die "missing packages (${missing[*]}) and not root"
  log "installing: ${missing[*]}"
  # Postfix: do not create /etc/postfix/main.cf, do not prompt.
  printf '%s\n' \
    'postfix postfix/main_mailer_type select No configuration' \
    'postfix postfix/mailname string notifier-lab.invalid' | debconf-set-selections
  # Keep the packages' system-wide postfix/dovecot from being started by the
  # install (they would listen on port 25/143/993...). Only if no policy
  # exists yet; removed again afterwards.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# temporary, notifier lab.sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
  } >&2 || rc=$?
  ((made_policy)) && rm -f "$policy"
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (exit $rc)"
}

warn_system_daemons() {
  local p l
  for p in 25 143 993 110 24; do
    l=$(port_listeners "$p")
    [[ -z "$l" ]] || warn "something listens on port $p (not part of the lab, left alone): $l"
  done
}

# ----------------------------------------------------------------------------
# layout
# ----------------------------------------------------------------------------

resolve_lab_dir() {
  local d=${1:-${NOTIFIER_LAB_DIR:-/tmp/notifier-lab}}
  [[ -n "$d" ]] || die "empty LAB_DIR"
  d=$(realpath -m -- "$d")
  case "$d" in
    / | /bin | /boot | /dev | /etc | /home | /lib | /lib64 | /opt | /proc | /root | /run | /sbin | /srv | /sys | /tmp | /usr | /var)
      die "refusing to use $d as LAB_DIR" ;;
  esac
  LAB_DIR=$d
  DOVECOT_DIR=$LAB_DIR/dovecot
  DOVECOT_CONF=$DOVECOT_DIR/dovecot.conf
  MAIL_DIR=$LAB_DIR/mail
  INSTANCE_TAG=nlab-$(printf '%s' "$LAB_DIR" | cksum | cut -d' ' -f1)
}

# Postfix queue directories and Dovecot's base_dir hold unix sockets, whose
# paths are limited to 107 bytes (and the postfix command uses the absolute
# path of queue/public/postlog). For a long LAB_DIR these directories live
# under /run/nlab-<cksum of LAB_DIR>/ (or /tmp/...) instead, and LAB_DIR
# has symlinks to them.
runtime_dir() {
  if ((${#LAB_DIR} <= 60)); then
    echo "$LAB_DIR"
  elif [[ -d /run && -w /run ]]; then
    echo "/run/$INSTANCE_TAG"
  else
    echo "/tmp/$INSTANCE_TAG"
  fi
}

# Create directory $2 (a path inside LAB_DIR) either in place or, for a long
# LAB_DIR, under the runtime dir with a symlink; echoes the real path.
make_socket_dir() {
  local rt real
  rt=$(runtime_dir)
  if [[ "$rt" == "$LAB_DIR" ]]; then
    mkdir -p "$1"
    echo "$1"
  else
    real=${1#"$LAB_DIR"/}
    real=$rt/${real//\//-}
    mkdir -p "$real" "$(dirname "$1")"
    ln -sfn "$real" "$1"
    echo "$real"
  fi
}

# Remove the out-of-tree runtime dir of a long LAB_DIR.
remove_runtime_dir() {
  local rt
  rt=$(runtime_dir)
  if [[ "$rt" != "$LAB_DIR" && "$rt" == */nlab-* && -d $rt ]]; then
    rm -rf -- "$rt"
  fi
}

# ----------------------------------------------------------------------------
# stop
# ----------------------------------------------------------------------------

# Processes of the lab being stopped, as "pid:starttime" words.
STOP_PROCS=""

# Does PID's /proc/PID/$2 (environ or cmdline, NUL-separated) contain the
# entry $3?
proc_has() {
  tr '\0' '\n' <"/proc/$1/$2" 2>/dev/null | grep -qxF -- "$3"
}

# Is PID the postfix master of instance $2 / the dovecot master of this lab?
is_postfix_master() {
  [[ "$(pid_exe "$1")" == /usr/lib/postfix/sbin/master ]] &&
    proc_has "$1" environ "MAIL_CONFIG=$LAB_DIR/$2/etc"
}
is_dovecot_master() {
  [[ "$(pid_exe "$1")" == /usr/sbin/dovecot ]] && proc_has "$1" cmdline "$DOVECOT_CONF"
}
is_policy_service() {
  proc_has "$1" cmdline "$POLICY_SCRIPT" && proc_has "$1" cmdline "$LAB_DIR"
}

# Send SIGTERM to a master process (postfix or dovecot) and remember it and
# its descendants in STOP_PROCS. $1 name, $2 pid, $3 identity check command.
signal_master() {
  local name=$1 pid=$2
  shift 2
  pid_alive "$pid" || return 0
  if ! "$@"; then
    warn "$name: pid $pid is not this lab's $name (stale pid file?), not touching it"
    return 0
  fi
  STOP_PROCS+="$pid:$(pid_starttime "$pid") $(descendants "$pid" | tr '\n' ' ') "
  kill -TERM "$pid" 2>/dev/null || true
}

# Wait (up to 10 s) until every process in STOP_PROCS is gone; SIGKILL the
# rest. Both masters kill their children on SIGTERM.
wait_stopped() {
  local p left deadline
  deadline=$(( $(now_ms) + 10000 ))
  while :; do
    left=""
    for p in $STOP_PROCS; do
      if read_stat "${p%%:*}" && [[ "$STAT_STATE" != Z && "$STAT_START" == "${p#*:}" ]]; then
        left+="${p%%:*} "
      fi
    done
    [[ -z "$left" ]] && return 0
    if (( $(now_ms) > deadline )); then
      warn "processes still alive 10 s after SIGTERM, killing: $left"
      # shellcheck disable=SC2086  # a list of pids
      kill -KILL $left 2>/dev/null || true
      sleep 0.5
      for p in $left; do
        pid_alive "$p" && die "could not kill lab process $p"
      done
      return 0
    fi
    sleep 0.05
  done
}

stop_lab() {
  local name pidf pid ports=() p l
  if [[ -f $LAB_DIR/ports ]]; then
    mapfile -t ports < <(sed 's/.*=//' "$LAB_DIR/ports")
  fi
  STOP_PROCS=""
  for name in "${POSTFIX_INSTANCES[@]}"; do
    pidf=$LAB_DIR/$name/queue/pid/master.pid
    [[ -f $pidf ]] || continue
    pid=$(tr -dc '0-9' <"$pidf" || true)
    [[ -z "$pid" ]] || signal_master "postfix-$name" "$pid" is_postfix_master "$pid" "$name"
  done
  pidf=$LAB_DIR/greylist/policy.pid
  if [[ -f $pidf ]]; then
    pid=$(tr -dc '0-9' <"$pidf" || true)
    [[ -z "$pid" ]] || signal_master greylist-policy "$pid" is_policy_service "$pid"
  fi
  local base
  base=$(readlink -f "$DOVECOT_DIR/run" 2>/dev/null || true)
  if [[ -n "$base" && -f $base/master.pid ]]; then
    pid=$(tr -dc '0-9' <"$base/master.pid" || true)
    [[ -z "$pid" ]] || signal_master dovecot "$pid" is_dovecot_master "$pid"
  fi
  phase "stop: signalled"
  wait_stopped
  phase "stop: all gone"
  for name in "${POSTFIX_INSTANCES[@]}"; do rm -f "$LAB_DIR/$name/queue/pid/master.pid"; done
  rm -f "$LAB_DIR/greylist/policy.pid"
  [[ -z "$base" ]] || rm -f "$base/master.pid"
  remove_runtime_dir
  # The lab's ports must be free now (a listener there can only be some
  # other program that grabbed the port since).
  for p in "${ports[@]}"; do
    [[ -n "$p" ]] || continue
    l=$(port_listeners "$p")
    [[ -z "$l" ]] || warn "port $p (was this lab's) is listened on by: $l"
  done
  rm -f "$LAB_DIR/lab.env"
}

# ----------------------------------------------------------------------------
# Postfix instances
# ----------------------------------------------------------------------------

write_master_cf() {
  local name=$1 dir=$2 port=$3 listeners a p
  listeners="127.0.0.1:$port inet n  -       n       -       -       smtpd"
  if is_fleet "$name"; then
    listeners=$(for a in $(fleet_addresses "$name"); do
      for p in ${FLEET_PORTS_OF[$name]}; do echo "$a:$p inet n  -       n       -       -       smtpd"; done
    done)
  fi
  cat >"$dir/etc/master.cf" <<EOF
# Generated by scripts/lab/lab.sh -- Postfix master.cf, no chroot.
# service type  private unpriv  chroot  wakeup  maxproc command + args
$listeners
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

# main.cf is assembled from an ordered key/value list, so that an instance
# can override a common setting without duplicate entries.
declare -a CF_KEYS=()
declare -A CF_VAL=()
cf() {  # cf KEY VALUE...
  local k=$1; shift
  [[ -n "${CF_VAL[$k]+x}" ]] || CF_KEYS+=("$k")
  CF_VAL[$k]="$*"
}
cf_write() {
  local k
  {
    echo "# Generated by scripts/lab/lab.sh for lab instance \"$1\"."
    for k in "${CF_KEYS[@]}"; do printf '%s = %s\n' "$k" "${CF_VAL[$k]}"; done
  } >"$2"
}

# Settings shared by all Postfix instances.
common_main_cf() {
  local name=$1 dir=$2 qdir=$3 host=${HOSTNAME_OF[$1]}
  CF_KEYS=(); CF_VAL=()
  cf compatibility_level 3.6
  cf queue_directory "$qdir"
  cf data_directory "$dir/data"
  cf mail_owner postfix
  cf setgid_group postdrop
  cf maillog_file "$dir/maillog"
  cf maillog_file_prefixes "$LAB_DIR"
  cf syslog_name "$INSTANCE_TAG-$name"
  cf readme_directory no
  cf myhostname "$host"
  cf mydomain "${host#mail.}"
  cf myorigin '$myhostname'
  cf mydestination '$myhostname, localhost'
  cf smtpd_banner '$myhostname ESMTP $mail_name'
  cf biff no
  cf append_dot_mydomain no
  # loopback only, IPv4 only
  cf inet_interfaces 127.0.0.1
  cf inet_protocols ipv4
  cf smtp_bind_address 127.0.0.1
  cf lmtp_bind_address 127.0.0.1
  # trust nobody: the probe connects from 127.0.0.1 and must not be in mynetworks
  cf mynetworks ''
  # no DNS at all
  cf smtp_dns_support_level disabled
  cf lmtp_dns_support_level disabled
  cf smtp_host_lookup native
  cf lmtp_host_lookup native
  cf smtpd_peername_lookup no
  # every way out leads to the lab sink, nowhere else
  cf relayhost "[127.0.0.1]:$SINK_PORT"
  cf local_transport "smtp:[127.0.0.1]:$SINK_PORT"
  cf virtual_transport "smtp:[127.0.0.1]:$SINK_PORT"
  # no local delivery to system users, no aliases
  cf alias_maps ''
  cf alias_database ''
  cf local_recipient_maps ''
  cf mailbox_size_limit 0
  cf smtp_tls_security_level none
  cf lmtp_tls_security_level none
  cf smtpd_tls_security_level none
  cf smtputf8_enable no
  # retry quickly if the sink was briefly unavailable
  cf queue_run_delay 10s
  cf minimal_backoff_time 10s
  cf maximal_backoff_time 60s
  cf smtpd_recipient_restrictions ''
}

# Create the queue and data directories exactly as "postfix post-install
# create-missing" would (that step costs ~2 s of CPU per instance, so the
# lab creates them itself and starts Postfix with the quick-start flag).
make_queue_dirs() {
  local dir=$1 q=$2 d
  install -d -o root -g root -m 0755 "$q" "$q/pid"
  for d in active bounce corrupt defer deferred flush hold incoming private saved trace; do
    install -d -o postfix -g root -m 0700 "$q/$d"
  done
  install -d -o postfix -g postdrop -m 0730 "$q/maildrop"
  install -d -o postfix -g postdrop -m 0710 "$q/public"
  install -d -o postfix -g postfix -m 0700 "$dir/data"
  # skip postfix-script's integrity checks (post-install, postsuper, find)
  : >"$q/quick-start"
}

configure_instance() {
  local name=$1 dir=$LAB_DIR/$1
  mkdir -p "$dir/etc"
  local qdir
  qdir=$(make_socket_dir "$dir/queue")
  make_queue_dirs "$dir" "$qdir"
  : >"$dir/maillog"
  common_main_cf "$name" "$dir" "$qdir"
  write_master_cf "$name" "$dir" "${PORT_OF[$name]}"
  local lmtp="lmtp:inet:127.0.0.1:$LMTP_PORT" drop="discard:lab discard instance"
  case $name in
    sink)
      # accept anything, deliver everything to Dovecot over LMTP, never relay
      cf mydestination ''
      cf relay_domains ''
      cf relayhost ''
      cf smtpd_relay_restrictions "$PERMIT_ALL"
      cf default_transport "$lmtp"
      cf relay_transport "$lmtp"
      cf local_transport "$lmtp"
      cf virtual_transport "$lmtp"
      ;;
    open)
      # relays anything for anyone
      cf smtpd_relay_restrictions "$PERMIT_ALL"
      ;;
    closed)
      # correctly closed; Postfix default smtpd_soft_error_limit/error_sleep_time
      cf smtpd_relay_restrictions reject_unauth_destination
      ;;
    percent)
      # relays only through the percent hack: user%dom@anything -> user@dom
      # (for any domain after the @, not only for the local ones that
      # Postfix's own allow_percent_hack rewrites)
      printf '%s\n' '/%/ OK' >"$dir/etc/percent_access"
      printf '%s\n' '/^(.+)%([^%@]+)@[^@]+$/ ${1}@${2}' >"$dir/etc/percent_rewrite"
      # Postfix's own percent hack (allow_percent_hack = yes) rewrites
      # user%dom@<local> to user@dom *before* the relay check, so a real
      # Postfix is never a percent-hack relay. To emulate one, the hack is
      # off: smtpd accepts the % form (local part of a local domain, or OK
      # from percent_access for other domains) and cleanup's virtual alias
      # regexp rewrites it to user@dom, which is then relayed to the sink.
      cf allow_percent_hack no
      # without this, smtpd downgrades an access-map OK for a source-routed
      # (user%domain@site) recipient to DUNNO
      cf allow_untrusted_routing yes
      cf mydestination '$myhostname, localhost, percent.test'
      cf smtpd_relay_restrictions 'check_recipient_access regexp:$config_directory/percent_access, reject_unauth_destination'
      cf virtual_alias_maps 'regexp:$config_directory/percent_rewrite'
      ;;
    partial)
      # hosting case: relays anywhere only for envelope senders in hosted.test
      cf mydestination '$myhostname, localhost, hosted.test'
      cf smtpd_relay_restrictions 'check_sender_access inline:{hosted.test=OK}, reject_unauth_destination'
      ;;
    starttls)
      # STARTTLS required before MAIL; open relay after TLS
      # self-signed certificate, made in the background (see start)
      (
        umask 077
        exec openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
          -subj "/CN=mail.tls.test" -addext "subjectAltName=DNS:mail.tls.test" \
          -keyout "$dir/etc/tls.key" -out "$dir/etc/tls.crt" >"$dir/openssl.log" 2>&1 8>&- 9>&-
      ) &
      CERT_JOB=$!
      cf smtpd_tls_security_level encrypt
      cf smtpd_tls_cert_file '$config_directory/tls.crt'
      cf smtpd_tls_key_file '$config_directory/tls.key'
      cf smtpd_tls_loglevel 1
      cf smtpd_relay_restrictions "$PERMIT_ALL"
      ;;
    discard)
      # accepts everything, silently discards it
      cf smtpd_relay_restrictions "$PERMIT_ALL"
      cf default_transport "$drop"
      cf relay_transport "$drop"
      cf local_transport "$drop"
      cf virtual_transport "$drop"
      ;;
    greylist)
      # an open relay behind greylisting: the policy service answers 450 to a
      # new (client, sender, recipient) triple and "dunno" to one first seen
      # GREYLIST_DELAY seconds ago or more (smtpd_relay_restrictions run
      # first and let everything through; then the recipient restrictions)
      cf smtpd_relay_restrictions "$PERMIT_ALL"
      cf smtpd_recipient_restrictions "check_policy_service inet:127.0.0.1:$POLICY_PORT"
      ;;
    switch)
      # starts as an open relay; "lab.sh relay LAB_DIR switch closed|open"
      # rewrites smtpd_relay_restrictions and reloads it (a relay "fixed" by
      # its owner between two retests, and opened again)
      cf smtpd_relay_restrictions "${SWITCH_RESTRICTIONS[open]}"
      ;;
    smarthost)
      # the desk's smarthost for notices: takes mail from loopback clients
      # (AUTH optional, SASL through the lab's Dovecot; STARTTLS offered with
      # the starttls instance's self-signed certificate) and delivers it into
      # Dovecot over LMTP, no DNS. One recipient is refused for good (550) and
      # one for now (451), before the rest of the recipient checks.
      printf '%s\n' "$SMARTHOST_REJECTS 550 5.1.1 mailbox gone (lab)" "$SMARTHOST_DEFERS 451 4.3.0 try again later (lab)" \
        >"$dir/etc/recipient_access"
      cf mydestination ''
      cf relay_domains ''
      cf relayhost ''
      cf mynetworks 127.0.0.0/8
      cf smtpd_sasl_auth_enable yes
      cf smtpd_sasl_type dovecot
      cf smtpd_sasl_path "inet:127.0.0.1:$AUTH_PORT"
      cf smtpd_tls_security_level may
      cf smtpd_tls_cert_file "$LAB_DIR/starttls/etc/tls.crt"
      cf smtpd_tls_key_file "$LAB_DIR/starttls/etc/tls.key"
      cf smtpd_relay_restrictions 'permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination'
      cf smtpd_recipient_restrictions 'check_recipient_access texthash:$config_directory/recipient_access'
      cf default_transport "$lmtp"
      cf relay_transport "$lmtp"
      cf local_transport "$lmtp"
      cf virtual_transport "$lmtp"
      ;;
    fleetclosed)
      # many closed relays in one master (FLEET_SIZE x FLEET_PORTS); the probes
      # all come from 127.0.0.1, so anvil's per-client connection limit
      # (smtpd_client_connection_count_limit, default 50) is off
      cf smtpd_relay_restrictions reject_unauth_destination
      cf smtpd_client_connection_count_limit 0
      ;;
    fleetopen)
      # many open relays in one master, relaying to the sink like "open": a
      # case is confirmed (and noticed) only when its canary arrives
      cf smtpd_relay_restrictions "$PERMIT_ALL"
      cf smtpd_client_connection_count_limit 0
      ;;
    bounce)
      # authoritative for bounce.test, knows no users: accepts, then bounces
      # smtpd would refuse recipients that resolve to the error transport
      # already at RCPT time (reject_unlisted_recipient); the lab wants
      # accept-then-bounce, hence smtpd_reject_unlisted_recipient = no.
      printf '%s\n' 'bounce.test error:5.1.1 User unknown' >"$dir/etc/transport"
      cf relay_domains bounce.test
      cf relay_recipient_maps ''
      cf smtpd_reject_unlisted_recipient no
      cf transport_maps 'texthash:$config_directory/transport'
      cf smtpd_relay_restrictions reject_unauth_destination
      ;;
    *) die "unknown instance $name" ;;
  esac
  cf_write "$name" "$dir/etc/main.cf"
}

start_instance() {
  local name=$1 dir=$LAB_DIR/$1 pid
  # (fds 8/9 are our lock files: the daemons must not inherit them)
  if ! postfix -c "$dir/etc" start >"$dir/start.log" 2>&1 8>&- 9>&- </dev/null; then
    cat "$dir/start.log" >&2
    tail -n 20 "$dir/maillog" >&2 || true
    die "postfix instance '$name' failed to start (port ${PORT_OF[$name]}); logs: $dir/start.log $dir/maillog"
  fi
}

verify_instance() {
  local name=$1 dir=$LAB_DIR/$1 pid
  pid=$(tr -dc '0-9' <"$dir/queue/pid/master.pid" 2>/dev/null || true)
  [[ -n "$pid" ]] && pid_alive "$pid" || die "postfix instance '$name' has no running master (see $dir/maillog)"
  if is_fleet "$name"; then
    wait_fleet_listen "$name" "$pid"
    check_banner "$name" "${PORT_OF[$name]}" "${HOSTNAME_OF[$name]}" "$(fleet_addresses "$name" | tail -n1)"
    return 0
  fi
  wait_listen "postfix-$name" "${PORT_OF[$name]}" "$pid"
  check_banner "$name" "${PORT_OF[$name]}" "${HOSTNAME_OF[$name]}"
}

# The greylist instance's policy service (greylist-policy.pl), started before
# Postfix. Its stdin/stdout/stderr do not stay on lab.sh's: whoever reads
# lab.sh's output to its end (the tests) must not wait for the daemon. It
# starts its own session itself (not via setsid(1), which forks when it is a
# process group leader, and then $! would not be the daemon).
start_policy_service() {
  local dir=$LAB_DIR/greylist pid
  perl "$POLICY_SCRIPT" "$POLICY_PORT" "$GREYLIST_DELAY" "$LAB_DIR" \
    >"$dir/policy.log" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$dir/policy.pid"
  wait_listen greylist-policy "$POLICY_PORT" "$pid"
}

# ----------------------------------------------------------------------------
# Dovecot
# ----------------------------------------------------------------------------

configure_dovecot() {
  local uid gid base
  uid=$(id -u mail) gid=$(id -g mail)
  mkdir -p "$DOVECOT_DIR/state" "$MAIL_DIR"
  base=$(make_socket_dir "$DOVECOT_DIR/run")
  : >"$DOVECOT_DIR/dovecot.log"

  local u
  for u in canary abuse owner fleet; do
    mkdir -p "$MAIL_DIR/$u/Maildir/cur" "$MAIL_DIR/$u/Maildir/new" "$MAIL_DIR/$u/Maildir/tmp"
  done
  chown -R "$uid:$gid" "$MAIL_DIR"
  chmod -R 0755 "$MAIL_DIR"

  # IMAP logins (passdb + userdb)
  cat >"$DOVECOT_DIR/users" <<EOF
canary:{PLAIN}canary-pass:$uid:$gid::$MAIL_DIR/canary::
abuse:{PLAIN}abuse-pass:$uid:$gid::$MAIL_DIR/abuse::
owner:{PLAIN}owner-pass:$uid:$gid::$MAIL_DIR/owner::
fleet:{PLAIN}fleet-pass:$uid:$gid::$MAIL_DIR/fleet::
smarthost:{PLAIN}smarthost-pass:$uid:$gid::$MAIL_DIR/owner::
EOF
  # LMTP recipients by domain (userdb only)
  cat >"$DOVECOT_DIR/domains" <<EOF
canary.test::$uid:$gid::$MAIL_DIR/canary::user=canary
desk.test::$uid:$gid::$MAIL_DIR/abuse::user=abuse
owner.test::$uid:$gid::$MAIL_DIR/owner::user=owner
fleet.test::$uid:$gid::$MAIL_DIR/fleet::user=fleet
EOF
  chmod 0640 "$DOVECOT_DIR/users" "$DOVECOT_DIR/domains"
  chgrp dovecot "$DOVECOT_DIR/users" "$DOVECOT_DIR/domains"

  cat >"$DOVECOT_CONF" <<EOF
# Generated by scripts/lab/lab.sh -- private Dovecot of the Notifier lab.
# Standalone: does not include /etc/dovecot.
instance_name = $INSTANCE_TAG
base_dir = $base
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_DIR/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
hostname = imap.sink.test
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid
mail_location = maildir:~/Maildir
recipient_delimiter = +
lmtp_hdr_delivery_address = final
lmtp_save_to_detail_mailbox = no
namespace inbox {
  inbox = yes
  separator = /
}

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DOVECOT_DIR/users
}
# 1) IMAP users canary / abuse
userdb {
  driver = passwd-file
  args = username_format=%u $DOVECOT_DIR/users
}
# 2) LMTP: any local part @canary.test -> canary, @desk.test -> abuse,
#    @owner.test (the notices' recipients) -> owner, @fleet.test (the fleet
#    tests' canary domain) -> fleet
userdb {
  driver = passwd-file
  args = username_format=%d $DOVECOT_DIR/domains
}
# 3) LMTP: anything else that reaches the sink -> canary
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$MAIL_DIR/canary user=canary allow_all_users=yes
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
# SASL for the smarthost instance (Postfix smtpd_sasl_type = dovecot)
service auth {
  inet_listener auth {
    address = 127.0.0.1
    port = $AUTH_PORT
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
EOF
}

start_dovecot() {
  if ! dovecot -c "$DOVECOT_CONF" >"$DOVECOT_DIR/start.log" 2>&1 8>&- 9>&- </dev/null; then
    cat "$DOVECOT_DIR/start.log" "$DOVECOT_DIR/dovecot.log" >&2 || true
    die "dovecot failed to start (imap $IMAP_PORT, lmtp $LMTP_PORT); see $DOVECOT_DIR/dovecot.log"
  fi
  local pid base deadline
  base=$(readlink -f "$DOVECOT_DIR/run")
  # `dovecot` returns once its master has forked into the background; the master writes master.pid a moment
  # later (on a loaded machine, noticeably later), so the file is waited for, up to 10 s.
  deadline=$(( $(now_ms) + 10000 ))
  while :; do
    pid=$(tr -dc '0-9' 2>/dev/null <"$base/master.pid" || true)
    [[ -n "$pid" ]] && pid_alive "$pid" && break
    (( $(now_ms) < deadline )) || die "dovecot: no running master after 10 s (see $DOVECOT_DIR/dovecot.log)"
    sleep 0.05
  done
  wait_listen "dovecot-imap" "$IMAP_PORT" "$pid"
  wait_listen "dovecot-lmtp" "$LMTP_PORT" "$pid"
  wait_listen "dovecot-auth" "$AUTH_PORT" "$pid"
}

# ----------------------------------------------------------------------------
# commands
# ----------------------------------------------------------------------------

# Per-LAB_DIR lock against a concurrent start/stop of the same lab. Waits
# up to 60 s, then goes on anyway (a stale holder must not make the lab
# impossible to stop).
lock_lab_dir() {
  exec 8>"$LAB_DIR/.lock"
  flock -w 60 8 || warn "$LAB_DIR/.lock still busy after 60 s; going on without it"
}

check_lab_dir_ownership() {
  if [[ -e $LAB_DIR && ! -d $LAB_DIR ]]; then
    die "$LAB_DIR exists and is not a directory"
  fi
  if [[ -d $LAB_DIR && ! -e $LAB_DIR/$MARKER ]] && [[ -n "$(ls -A "$LAB_DIR")" ]]; then
    die "$LAB_DIR is not empty and was not created by $PROG (no $MARKER); refusing to touch it"
  fi
}

cmd_start() {
  local t0
  t0=$(now_ms)
  [[ $(id -u) == 0 ]] || die "must run as root"
  [[ "$GREYLIST_DELAY" =~ ^[0-9]+$ ]] || die "bad NOTIFIER_LAB_GREYLIST_DELAY (seconds): $GREYLIST_DELAY"
  [[ "$PORT_MIN" =~ ^[0-9]+$ && "$PORT_MAX" =~ ^[0-9]+$ ]] && ((1024 <= PORT_MIN && PORT_MIN + 20 <= PORT_MAX && PORT_MAX <= 65536)) ||
    die "bad port range NOTIFIER_LAB_PORT_MIN/MAX: $PORT_MIN-$PORT_MAX"
  [[ "$FLEET_SIZE" =~ ^[0-9]+$ ]] && ((1 <= FLEET_SIZE && FLEET_SIZE <= 256)) ||
    die "bad NOTIFIER_LAB_FLEET_SIZE (addresses per fleet, 1-256): $FLEET_SIZE"
  [[ "$FLEET_PORTS" =~ ^[0-9]+$ ]] && ((1 <= FLEET_PORTS && FLEET_PORTS <= 10)) ||
    die "bad NOTIFIER_LAB_FLEET_PORTS (ports per fleet address, 1-10): $FLEET_PORTS"
  ensure_packages
  phase packages
  check_lab_dir_ownership
  mkdir -p "$LAB_DIR"
  chmod 0755 "$LAB_DIR"
  : >"$LAB_DIR/$MARKER"
  local u
  for u in postfix mail dovecot; do
    runuser -u "$u" -- test -x "$LAB_DIR/." ||
      die "user $u cannot reach $LAB_DIR (a parent directory is not searchable by others); use a LAB_DIR under /tmp"
  done

  lock_lab_dir

  if [[ -f $LAB_DIR/lab.env || -d $LAB_DIR/sink || -d $LAB_DIR/dovecot ]]; then
    log "stopping the previous lab in $LAB_DIR"
    stop_lab
  fi
  phase stopped-old
  # fresh tree (keep marker and lock)
  find "$LAB_DIR" -mindepth 1 -maxdepth 1 ! -name "$MARKER" ! -name .lock -exec rm -rf -- {} +
  remove_runtime_dir
  phase cleaned

  warn_system_daemons
  phase checked-system-ports

  # Serialize port selection + binding with other labs on this machine.
  local lockdir=/run/lock
  [[ -d $lockdir && -w $lockdir ]] || lockdir=/tmp
  exec 9>"$lockdir/notifier-lab-ports.lock"
  flock -w 20 9 ||
    warn "port lock $lockdir/notifier-lab-ports.lock still busy after 20 s; going on without it"

  declare -gA PORT_OF=()
  local name
  for name in "${POSTFIX_INSTANCES[@]}"; do pick_port; PORT_OF[$name]=$PORT; done
  declare -gA FLEET_PORTS_OF=() FLEET_OCTET_OF=()
  pick_fleet_octets
  local i p
  for name in "${FLEET_INSTANCES[@]}"; do
    FLEET_PORTS_OF[$name]=${PORT_OF[$name]}
    for ((i = 1; i < FLEET_PORTS; i++)); do pick_port; FLEET_PORTS_OF[$name]+=" $PORT"; done
  done
  SINK_PORT=${PORT_OF[sink]}
  pick_port; IMAP_PORT=$PORT
  pick_port; LMTP_PORT=$PORT
  pick_port; POLICY_PORT=$PORT
  pick_port; AUTH_PORT=$PORT
  {
    for name in "${POSTFIX_INSTANCES[@]}"; do echo "$name=${PORT_OF[$name]}"; done
    # a fleet's further ports, so that stop checks them too
    for name in "${FLEET_INSTANCES[@]}"; do
      i=1
      for p in ${FLEET_PORTS_OF[$name]}; do
        ((i == 1)) || echo "$name-$i=$p"
        i=$((i + 1))
      done
    done
    echo "imap=$IMAP_PORT"
    echo "lmtp=$LMTP_PORT"
    echo "greylist-policy=$POLICY_PORT"
    echo "auth=$AUTH_PORT"
  } >"$LAB_DIR/ports"

  phase ports
  configure_dovecot
  for name in "${POSTFIX_INSTANCES[@]}"; do configure_instance "$name"; done

  # If anything below fails, do not leave half a lab running.
  trap 'rc=$?; if ((rc)); then log "start failed, cleaning up"; stop_lab || true; fi' EXIT

  phase configured
  wait "$CERT_JOB" || { cat "$LAB_DIR/starttls/openssl.log" >&2; die "starttls: openssl could not create the certificate"; }
  start_dovecot
  phase dovecot-up
  start_policy_service
  phase policy-up
  # Start the Postfix instances in parallel (each start takes ~1 s).
  local pids=() i=0 failed=0
  for name in "${POSTFIX_INSTANCES[@]}"; do
    ( start_instance "$name" ) &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed=1
  done
  phase postfix-started
  ((failed == 0)) || die "some Postfix instance failed to start (see above)"
  # every listener is bound now (postfix start / dovecot return only then)
  flock -u 9
  pids=()
  for name in "${POSTFIX_INSTANCES[@]}"; do
    ( verify_instance "$name" ) &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed=1
  done
  ((failed == 0)) || die "some Postfix instance is not working (see above)"
  phase verified

  local env=$LAB_DIR/lab.env
  cat >"$env.tmp" <<EOF
NOTIFIER_LAB_DIR=$LAB_DIR
NOTIFIER_LAB_CANARY_DOMAIN=canary.test
NOTIFIER_LAB_OPEN=127.0.0.1:${PORT_OF[open]}
NOTIFIER_LAB_CLOSED=127.0.0.1:${PORT_OF[closed]}
NOTIFIER_LAB_PERCENT=127.0.0.1:${PORT_OF[percent]}
NOTIFIER_LAB_PARTIAL=127.0.0.1:${PORT_OF[partial]}
NOTIFIER_LAB_STARTTLS=127.0.0.1:${PORT_OF[starttls]}
NOTIFIER_LAB_DISCARD=127.0.0.1:${PORT_OF[discard]}
NOTIFIER_LAB_BOUNCE=127.0.0.1:${PORT_OF[bounce]}
NOTIFIER_LAB_GREYLIST=127.0.0.1:${PORT_OF[greylist]}
NOTIFIER_LAB_GREYLIST_DELAY=$GREYLIST_DELAY
NOTIFIER_LAB_SWITCH=127.0.0.1:${PORT_OF[switch]}
NOTIFIER_LAB_SINK=127.0.0.1:${PORT_OF[sink]}
NOTIFIER_LAB_SMARTHOST=127.0.0.1:${PORT_OF[smarthost]}
NOTIFIER_LAB_SMARTHOST_USER=smarthost
NOTIFIER_LAB_SMARTHOST_PASSWORD=smarthost-pass
NOTIFIER_LAB_SMARTHOST_REJECTS=$SMARTHOST_REJECTS
NOTIFIER_LAB_SMARTHOST_DEFERS=$SMARTHOST_DEFERS
NOTIFIER_LAB_NOTICE_DOMAIN=owner.test
NOTIFIER_LAB_OWNER_IMAP_USER=owner
NOTIFIER_LAB_OWNER_IMAP_PASSWORD=owner-pass
NOTIFIER_LAB_SINK_MAILDIR=$MAIL_DIR/canary/Maildir
NOTIFIER_LAB_IMAP=127.0.0.1:$IMAP_PORT
NOTIFIER_LAB_IMAP_USER=canary
NOTIFIER_LAB_IMAP_PASSWORD=canary-pass
NOTIFIER_LAB_DESK_IMAP_USER=abuse
NOTIFIER_LAB_DESK_IMAP_PASSWORD=abuse-pass
NOTIFIER_LAB_FLEET_CLOSED=$(fleet_endpoints fleetclosed)
NOTIFIER_LAB_FLEET_OPEN=$(fleet_endpoints fleetopen)
NOTIFIER_LAB_FLEET_CANARY_DOMAIN=fleet.test
NOTIFIER_LAB_FLEET_IMAP_USER=fleet
NOTIFIER_LAB_FLEET_IMAP_PASSWORD=fleet-pass
EOF
  # status reads a fleet's endpoints back from here
  for name in "${FLEET_INSTANCES[@]}"; do fleet_endpoints "$name" | tr , '\n' >"$LAB_DIR/$name/endpoints"; done
  mv "$env.tmp" "$env"
  trap - EXIT
  log "lab started in $(( $(now_ms) - t0 )) ms; $env:"
  cat "$env"
}

cmd_stop() {
  if [[ ! -d $LAB_DIR ]]; then
    log "no lab in $LAB_DIR"
    return 0
  fi
  [[ -e $LAB_DIR/$MARKER ]] || die "$LAB_DIR was not created by $PROG (no $MARKER)"
  [[ $(id -u) == 0 ]] || die "must run as root"
  lock_lab_dir
  stop_lab
  log "lab in $LAB_DIR stopped"
}

cmd_status() {
  local env=$LAB_DIR/lab.env name pid port ok=1 base
  if [[ ! -f $env ]]; then
    echo "no lab running in $LAB_DIR (no lab.env)"
    return 1
  fi
  declare -A P=()
  [[ -f $LAB_DIR/ports ]] || { echo "lab in $LAB_DIR is broken (no ports file)"; return 1; }
  while IFS='=' read -r k v; do [[ -n "$k" ]] && P[$k]=$v; done <"$LAB_DIR/ports"
  for name in "${POSTFIX_INSTANCES[@]}"; do
    port=${P[$name]}
    pid=$(tr -dc '0-9' <"$LAB_DIR/$name/queue/pid/master.pid" 2>/dev/null || true)
    if is_fleet "$name"; then
      local want listening
      want=$(wc -l <"$LAB_DIR/$name/endpoints" 2>/dev/null || echo 0)
      listening=$(ss -Hltnp 2>/dev/null | grep -F -f "$LAB_DIR/$name/endpoints" | grep -c "pid=$pid," || true)
      if [[ -n "$pid" ]] && pid_alive "$pid" && ((want > 0 && listening == want)); then
        printf '%-13s up    %s endpoints from %s  (postfix master pid %s)\n' "$name" "$want" "$(head -n1 "$LAB_DIR/$name/endpoints")" "$pid"
      else
        printf '%-13s DOWN  %s of %s endpoints\n' "$name" "$listening" "$want"; ok=0
      fi
      continue
    fi
    if [[ -n "$pid" ]] && pid_alive "$pid" && grep -q "127\.0\.0\.1:$port .*pid=$pid," <<<"$(port_listeners "$port")"; then
      printf '%-13s up    127.0.0.1:%s  (postfix master pid %s)\n' "$name" "$port" "$pid"
    else
      printf '%-13s DOWN  127.0.0.1:%s\n' "$name" "$port"; ok=0
    fi
  done
  port=${P[greylist-policy]}
  pid=$(tr -dc '0-9' <"$LAB_DIR/greylist/policy.pid" 2>/dev/null || true)
  if [[ -n "$pid" ]] && pid_alive "$pid" && grep -q "127\.0\.0\.1:$port .*pid=$pid," <<<"$(port_listeners "$port")"; then
    printf '%-13s up    127.0.0.1:%s  (policy service pid %s)\n' "greylist-pol" "$port" "$pid"
  else
    printf '%-13s DOWN  127.0.0.1:%s\n' "greylist-pol" "$port"; ok=0
  fi
  base=$(readlink -f "$DOVECOT_DIR/run" 2>/dev/null || true)
  pid=$(tr -dc '0-9' <"$base/master.pid" 2>/dev/null || true)
  for name in imap lmtp auth; do
    port=${P[$name]}
    if [[ -n "$pid" ]] && pid_alive "$pid" && [[ -n "$(port_listeners "$port")" ]]; then
      printf '%-13s up    127.0.0.1:%s  (dovecot master pid %s)\n' "dovecot-$name" "$port" "$pid"
    else
      printf '%-13s DOWN  127.0.0.1:%s\n' "dovecot-$name" "$port"; ok=0
    fi
  done
  ((ok)) && echo "lab in $LAB_DIR is up" || { echo "lab in $LAB_DIR is NOT fully up"; return 1; }
}

# The reply code of RCPT TO:<switch-probe@CANARY> on 127.0.0.1:PORT (EHLO,
# MAIL, RCPT, QUIT: no DATA, so nothing is relayed), or "none" when there was
# no SMTP dialogue. Reads multi-line replies (RFC 5321 4.2.1: "ddd-" lines
# continue, "ddd " ends) with a 5 s timeout per line.
rcpt_code() {
  local port=$1
  (
    reply() {
      local line
      while IFS= read -r -t 5 line <&3; do
        line=${line%$'\r'}
        [[ $line =~ ^[0-9]{3}- ]] && continue
        printf '%s\n' "${line:0:3}"
        return 0
      done
      return 1
    }
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    reply >/dev/null || exit 1
    printf 'EHLO lab-switch.test\r\n' >&3; reply >/dev/null || exit 1
    printf 'MAIL FROM:<switch-probe@lab-switch.test>\r\n' >&3; reply >/dev/null || exit 1
    printf 'RCPT TO:<switch-probe@canary.test>\r\n' >&3; reply || exit 1
    printf 'QUIT\r\n' >&3; reply >/dev/null || true
    exec 3>&-
  ) 2>/dev/null || echo none
}

# lab.sh relay LAB_DIR switch open|closed: sets the switch instance's relay
# restrictions (postconf -e), reloads it (postfix reload: new smtpd processes
# read the new main.cf; running ones finish their session first) and waits
# until RCPT answers as the setting says, three times in a row so that no
# smtpd process of the old configuration is still taking connections.
cmd_relay() {
  local name=$1 setting=$2 dir port code seen=0 deadline
  [[ $name == switch ]] || die "only the switch instance can be switched, not '$name'"
  [[ -n "${SWITCH_RESTRICTIONS[$setting]+x}" ]] || die "relay setting must be open or closed, not '$setting'"
  [[ $(id -u) == 0 ]] || die "must run as root"
  [[ -f $LAB_DIR/lab.env && -f $LAB_DIR/ports ]] || die "no lab running in $LAB_DIR (no lab.env)"
  dir=$LAB_DIR/$name
  port=$(sed -n "s/^$name=//p" "$LAB_DIR/ports")
  [[ -n "$port" ]] || die "$LAB_DIR/ports names no port for $name (a lab started before the $name instance existed?)"
  lock_lab_dir
  postconf -c "$dir/etc" -e "smtpd_relay_restrictions = ${SWITCH_RESTRICTIONS[$setting]}" ||
    die "postconf could not set $name's smtpd_relay_restrictions"
  postfix -c "$dir/etc" reload >"$dir/reload.log" 2>&1 8>&- </dev/null ||
    { cat "$dir/reload.log" >&2; die "postfix reload of $name failed; see $dir/maillog"; }
  deadline=$(( $(now_ms) + 20000 ))
  while ((seen < 3)); do
    code=$(rcpt_code "$port")
    if [[ $code == "${SWITCH_RCPT_CODE[$setting]}" ]]; then
      seen=$((seen + 1))
    else
      seen=0
      (( $(now_ms) < deadline )) ||
        die "$name: RCPT still answers '$code' 20 s after switching it $setting (want ${SWITCH_RCPT_CODE[$setting]}); see $dir/maillog"
      sleep 0.1
    fi
  done
  log "$name relay is $setting (RCPT to another domain answers ${SWITCH_RCPT_CODE[$setting]})"
}

main() {
  (($# >= 1)) || usage
  local cmd=$1
  if [[ $cmd == relay ]]; then
    (($# == 4)) || usage
    resolve_lab_dir "$2"
    cmd_relay "$3" "$4"
    return
  fi
  (($# <= 2)) || usage
  resolve_lab_dir "${2:-}"
  case $cmd in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) usage ;;
  esac
}

main "$@"
