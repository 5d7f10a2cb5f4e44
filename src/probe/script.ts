// The one shell script every probe pod runs (busybox `sh`, applets nc/wget/nslookup/timeout on PATH).
//
// It is a constant: user input reaches it only as positional arguments, which it re-validates itself
// (DESIGN.md, "Probe pods"), never expands unquoted with globbing on, and never echoes unless validated.
//
// Arguments (built by `probeCommand` in command.ts):
//   $1      settle|MAX_ATTEMPTS|AGREE|WINDOW_MS|INTERVAL_MS|BUDGET_MS|GRACE_MS
//   $2...   KIND|HOST|PORT|TIMEOUT_S[|PATH]        KIND: tcp | udp | http | dns | dnstcp; HOST: IPv4, IPv6 or
//           DNS name (dns and dnstcp: PATH is the DNS name to ask HOST about, see "DNS checks" below)
//
// At most MAX_CONCURRENT_PROBES probes run at once, started in argument order.
//
// Output, one line per probe in the order the probes finish (INDEX says which), then an end line:
//   FLOWPROBE1|INDEX|KIND|HOST|PORT|PATH|SETTLED|N|ATTEMPT|ATTEMPT...
//   FLOWPROBE1-END|COUNT
// or, for a bad settle argument, only `FLOWPROBE1-ERROR|REASON` (exit 2). A bad probe argument gets a
// line of its own with KIND, HOST and PORT `-` and one attempt of step `arg`: its text is never echoed.
// ATTEMPT is `AT_MS,ELAPSED_MS,STEP,RC,ADDRESS,HTTP_STATUS,MESSAGE`: AT_MS counts from the probe's first
// attempt; STEP is the step the attempt ended in (arg, dns, tcp, udp, http, dnsudp, dnstcp); MESSAGE, last so that it
// may hold commas, is the tool's output with newlines turned into `;`, tabs into spaces, `|` into `/`,
// other non-printable bytes into `?`, cut to 160 characters. So a line stays below PIPE_BUF (4096 bytes:
// a 253-character host, a 1024-character path and 10 attempts of at most ~205 bytes make ~3400), and
// the single write of each job's `echo` cannot interleave with another job's.
//
// Settling (settle.ts has the reasoning and the defaults): each probe repeats its attempt, starting one
// every INTERVAL_MS at most, until the last AGREE attempts agree AND the first of them started at least
// WINDOW_MS before the last one started. Attempts agree when they end in the same step with the same
// exit code, HTTP status and kind of message (open, refused, no route, unreachable, timed out, NXDOMAIN;
// otherwise the message itself), so a changing address (DNS round robin) is no disagreement. The window
// is what catches a policy that arrives late: fast answers agree within milliseconds, so without it a
// probe would settle before the policy lands. A probe gives up (SETTLED=0) after MAX_ATTEMPTS attempts
// or once BUDGET_MS have passed since it began.
//
// Grace: before it launches any probe, the script sleeps GRACE_MS once (the test's startupGraceSeconds),
// because enforcers program a fresh pod's rules late (settle.ts). It counts from the script's start, not
// the pod's: the container starts after the sandbox got its IP (CNI ADD), so the grace can only end later
// after that moment than asked, never earlier — the safe direction. An enforcer that learns of the pod
// from the API server (its status.podIP, which the kubelet writes around the container's start) lags
// from a moment the pod cannot see; no clock in the pod can (the downward API does not expose the pod's
// start time), which is why the settle window still follows the grace and why the verdict layer names
// the lag when the attempts stayed short of it (src/verdict/enforcement-lag.ts).
//
// DNS checks (kinds dns and dnstcp): the probe asks HOST itself (never the pod's resolver) for the A record
// of NAME, fully qualified so that no search list applies. Any reply proves the path, whatever its rcode,
// and is printed as the attempt's MESSAGE `answer RCODE[ ADDRESS]` (exit code 0). Over UDP busybox
// nslookup asks (it prints `Server:` once the first reply arrives: networking/nslookup.c, send_queries);
// busybox nslookup has no TCP mode, so over TCP the script writes the query itself (RFC 1035 4.2.2: a
// two-byte length, then the message) through nc and reads the reply's header with od. Without a reply the
// MESSAGE is the tool's output, classified as for tcp/udp (timed out, refused, no route).

/**
 * At most this many probes run at once: probe N starts once probe N - 16 has ended, so probe N starts at
 * most floor((N - 1) / 16) probe lifetimes late (settle.ts, `worstCaseMs`). Measured (README,
 * "Benchmarks"; bench/probe.bench.ts): every probe in flight holds 4-6 short-lived busybox processes,
 * about 1.3 MiB of the pod's memory (kernel stacks and page tables count) and 10-20 ms of CPU per
 * attempt. Unbounded, 100 probes peaked at 56-98 MiB (OOM-killed under the old 32Mi limit), and under a
 * 200m CPU quota some HTTP probes to a listening port came back Blocked: a throttled wget or nc saw its
 * own timeout expire first. 16 keeps the peak near 25 MiB and each start-up burst small, while a run of
 * up to 16 flows from one identity still takes about one timeout; the pod's limits follow the number in
 * flight (src/plan/probe-resources.ts).
 */
export const MAX_CONCURRENT_PROBES = 16;

/** Every command the script runs besides shell builtins: a probe image (or a local run) needs these. */
export const SCRIPT_APPLETS = [
  'sh',
  'nc',
  'wget',
  'nslookup',
  'timeout',
  'awk',
  'sleep',
  'date',
  'od',
] as const;

export const PROBE_SCRIPT = `set -f
M=FLOWPROBE1

# Milliseconds from /proc/uptime (centisecond resolution; busybox date has no %N).
now() {
  if read -r up _ </proc/uptime 2>/dev/null; then
    NOW=$(( \${up%.*} * 1000 + 1\${up#*.}0 - 1000 ))
  else
    NOW=$(( $(date +%s) * 1000 ))
  fi
}

# busybox sleep takes fractions of a second; the argument is milliseconds.
sleep_ms() {
  sleep "$(($1 / 1000)).$(($1 % 1000 / 100))$(($1 % 100 / 10))$(($1 % 10))"
}

uint() {
  case $1 in ''|*[!0-9]*) return 1 ;; esac
  [ \${#1} -le 7 ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

ipv4() {
  case $1 in *[!0-9.]*|.*|*.|*..*) return 1 ;; esac
  o=$IFS; IFS=.; set -- $1; IFS=$o
  [ $# -eq 4 ] || return 1
  for x; do uint "$x" 0 255 || return 1; done
}

# An IPv6 literal, strictly: hex groups of 1-4 digits, eight of them or at most seven around one \`::\`; no
# zone id (%eth0), no embedded IPv4 tail, no brackets (args.ts \`isIPv6\` is the same rule).
ipv6() {
  case $1 in ''|*[!0-9A-Fa-f:]*|*:::*|*::*::*|:[!:]*|*[!:]:) return 1 ;; esac
  [ \${#1} -le 39 ] || return 1
  case $1 in *::*) gmax=7 ;; *) gmax=8 ;; esac
  o=$IFS; IFS=:; set -- $1; IFS=$o
  groups=0
  for x; do
    [ \${#x} -le 4 ] || return 1
    [ -z "$x" ] || groups=$((groups + 1))
  done
  if [ $gmax -eq 7 ]; then [ $groups -le 7 ]; else [ $groups -eq 8 ]; fi
}

# An address literal of either family: no name resolution for it.
ip_literal() {
  ipv4 "$1" || ipv6 "$1"
}

hostname_ok() {
  case $1 in ''|-*|.*|*..*|*[!A-Za-z0-9.-]*) return 1 ;; esac
  [ \${#1} -le 253 ]
}

# A DNS name to ask about (dns-name.ts): a host name whose labels (the trailing dot aside) are 1-63
# characters that neither start nor end with "-".
dnsname_ok() {
  hostname_ok "$1" || return 1
  o=$IFS; IFS=.; set -- \${1%.}; IFS=$o
  for x; do
    case $x in -*|*-) return 1 ;; esac
    [ \${#x} -le 63 ] || return 1
  done
}

# RFC 3986 path and query characters and %XX (http-path.ts). Quoted where they are shell syntax; the
# path is only ever expanded inside double quotes, with globbing off.
path_ok() {
  case $1 in /*) ;; *) return 1 ;; esac
  case $1 in *[!A-Za-z0-9._~/?=\\&%+:@,\\!\\$\\'\\(\\)\\*\\;-]*) return 1 ;; esac
  case $1 in *%|*%?|*%[!0-9A-Fa-f]*|*%?[!0-9A-Fa-f]*) return 1 ;; esac
  [ \${#1} -le 1024 ]
}

# One awk rather than a tr | tr | cut pipeline: with dozens of probes at once, every process counts.
clean() {
  c=$(printf '%s\\n' "$1" | awk '{ gsub(/\\t/, " "); gsub(/[^ -~]/, "?"); gsub(/\\|/, "/"); s = s (NR > 1 ? ";" : "") $0 }
    END { printf "%s", substr(s, 1, 160) }')
}

# A coarse class of an attempt, only to decide whether attempts agree (an address that changes between
# attempts, e.g. DNS round robin, must not count as disagreement).
sig() {
  case $msg in
    "answer "*) s=\${msg#answer }; s="answer \${s%% *}" ;;
    *NXDOMAIN*) s=nxdomain ;;
    *refused*) s=refused ;;
    *"No route"*) s=noroute ;;
    *"Permission denied"*) s=prohibited ;;
    *unreachable*) s=unreachable ;;
    *"timed out"*|*punt*) s=timeout ;;
    *" open"*) s=open ;;
    *) s=$msg ;;
  esac
  SIG="$step $rc $status $s"
}

# The pod's resolver settings, read as glibc (resolv/res_init.c) and musl (src/network/resolvconf.c) read
# them: the last \`search\` or \`domain\` line is the search list; \`options ndots:N\` is how many dots a name
# needs to be tried as is first (default 1, at most 15). The file is read, never evaluated.
resolvconf() {
  SEARCH= NDOTS=1
  [ -r /etc/resolv.conf ] || return 0
  while read -r key rest; do
    case $key in
      search|domain) SEARCH=$rest ;;
      options)
        for opt in $rest; do
          case $opt in ndots:*) uint "\${opt#ndots:}" 0 9999 && NDOTS=\${opt#ndots:} ;; esac
        done ;;
    esac
  done </etc/resolv.conf
  [ "$NDOTS" -le 15 ] || NDOTS=15
}

# The names to ask for, in the C library's order (glibc resolv/res_query.c, __res_context_search): a name
# with fewer dots than ndots goes through the search list first and is tried as is last, any other is
# tried as is first; a trailing dot makes it absolute. Search domains that are not host names are skipped.
names() {
  case $host in *.) NAMES=\${host%.}; return ;; esac
  x=$host dots=0 NAMES=
  while :; do case $x in *.*) x=\${x#*.} dots=$((dots + 1)) ;; *) break ;; esac; done
  [ $dots -lt "$NDOTS" ] || NAMES=$host
  for d in $SEARCH; do
    d=\${d%.}
    hostname_ok "$d" && [ $((\${#host} + \${#d})) -le 252 ] && NAMES="$NAMES $host.$d"
  done
  [ $dots -ge "$NDOTS" ] || NAMES="$NAMES $host"
}

# One name, fully qualified (with a trailing dot nslookup applies no search list of its own), allowed $1
# seconds. Read the Name:/Address lines, not the exit code.
lookup() {
  out=$(timeout $(($1 + 2)) nslookup -type=a -timeout="$1" -retry=1 "$2." </dev/null 2>&1)
  rc=$?
  addr=$(printf '%s\\n' "$out" | awk '/^Name:/ { n = 1; next }
    n && /^Address/ { sub(/^Address[ 0-9]*: */, ""); if ($0 ~ /^[0-9.]+$/) { print; exit } }')
}

# nc and wget do not bound name resolution (5-20 s), so resolve first, then connect to the address. Like
# the C library, walk the names: move on after NXDOMAIN, SERVFAIL or an answer without an address; stop
# at anything else (a timeout, a refusal: the resolver is not answering, asking on would not help).
# The walk stays within the timeout T: each name gets the whole seconds left of T and none starts with
# less than one, so it ends within T + 2 s (the backstop), as one query did. It reports the answer it
# stopped at, else the gravest miss: SERVFAIL, then no address, then NXDOMAIN (all NXDOMAIN: NXDOMAIN).
resolve() {
  step=dns
  resolvconf
  names
  now; end=$((NOW + T * 1000)); k=0 miss= mrc= mrank=0
  for name in $NAMES; do
    now; left=$(((end - NOW) / 1000))
    if [ $left -lt 1 ]; then
      msg="search list timed out: no answer for $name within the timeout" rc=1
      return 1
    fi
    k=$((k + 1))
    lookup $left "$name"
    [ -n "$addr" ] && return 0
    case $out in
      *SERVFAIL*) rank=3 ;;
      *NXDOMAIN*) rank=1 ;;
      *) [ "$rc" -eq 0 ] || { msg=$out; return 1; }; rank=2 ;;
    esac
    [ $rank -gt $mrank ] && miss=$out mrc=$rc mrank=$rank
  done
  # The answer first: MESSAGE is cut at 160 characters, and search-list names are long.
  case $mrank in 3) w=SERVFAIL ;; 2) w='no IPv4 address' ;; *) w=NXDOMAIN ;; esac
  msg="$w for $k names (search list, ndots:$NDOTS): $miss" rc=$mrc
  return 1
}

tcp() {
  step=tcp
  msg=$(timeout $((T + 2)) nc -vv -z -w "$T" "$addr" "$port" </dev/null 2>&1)
  rc=$?
}

udp() {
  step=udp
  msg=$(timeout $((T + 2)) nc -u -vv -z -w "$T" "$addr" "$port" </dev/null 2>&1)
  rc=$?
}

# wget -T bounds the whole transfer, so check the TCP connect first. wget reports the status only on
# errors, so -S prints the response headers; keep the status lines and wget's own messages, drop the
# other headers (their dates would make every attempt differ).
http() {
  tcp
  [ "$rc" -eq 0 ] || return
  step=http
  set -- -Y off -U flowprobe -S -q -O /dev/null -T "$T"
  ip_literal "$host" || set -- "$@" --header "Host: $host:$port"
  # An IPv6 address goes in brackets in a URL (RFC 3986 section 3.2.2); unbracketed, wget reads its last
  # group as the port.
  u=$addr
  ipv6 "$addr" && u="[$addr]"
  out=$(timeout $((T + 2)) wget "$@" "http://$u:$port$path" </dev/null 2>&1)
  rc=$?
  status=$(printf '%s\\n' "$out" | awk '$1 ~ /^HTTP/ && $2 ~ /^[0-9][0-9][0-9]$/ { print $2; exit }')
  msg=$(printf '%s\\n' "$out" | awk '/^ / { if ($1 ~ /^HTTP/) { sub(/^ +/, ""); print }; next } { print }')
}

# DNS checks (see the header). The UDP question goes through nslookup, bounded by its own timeout (one
# try) and the \`timeout\` backstop; a reply is read from the Name:/Address lines and the rcode nslookup
# prints for a miss (\`** server can't find NAME: NXDOMAIN\`). \`Server:\` comes with any reply, even one it
# then ignored (another ID) or resent after (SERVFAIL): NOERROR only if nslookup also exited 0.
dns() {
  step=dnsudp
  out=$(timeout $((T + 2)) nslookup -type=a -port="$port" -timeout="$T" -retry=1 "\${path%.}." "$addr" </dev/null 2>&1)
  rc=$?
  a=$(printf '%s\\n' "$out" | awk -v rc=$rc '/^Server:/ { got = 1 } /^[*][*] server can.t find / { rcode = $NF }
    /^Name:/ { n = 1 } n && /^Address/ && ip == "" { sub(/^Address[ 0-9]*: */, ""); if ($0 ~ /^[0-9.]+$/) ip = $0 }
    END { if (!got) exit; s = rcode != "" ? rcode : rc == 0 ? "NOERROR" : "(rcode unknown)"; if (rcode == "" && ip != "") s = s " " ip; printf "answer %s", s }')
  if [ -n "$a" ]; then msg=$a rc=0; else msg=$out; fi
}

# One byte as a printf octal escape.
oct() {
  OCT="\\\\$(($1 / 64))$(($1 / 8 % 8))$(($1 % 8))"
}

# The TCP DNS message asking for the A record of $1 (RFC 1035 4.1): length, ID, flags RD, one question,
# the name as length-prefixed labels, type A, class IN. Q is a printf format of octal escapes and the
# labels' own characters (letters, digits and "-": dnsname_ok); QEND is where the question ends.
dnsquery() {
  now; ID=$(((NOW + i * 7919) % 65536)) L=$((\${#1} + 18)) QEND=$((\${#1} + 20))
  oct $((L / 256)); Q=$OCT; oct $((L % 256)); Q=$Q$OCT
  oct $((ID / 256)); Q=$Q$OCT; oct $((ID % 256)); Q="$Q$OCT\\001\\000\\000\\001\\000\\000\\000\\000\\000\\000"
  o=$IFS; IFS=.; set -- $1; IFS=$o
  for x; do oct \${#x}; Q=$Q$OCT$x; done
  Q="$Q\\000\\000\\001\\000\\001"
}

# od -v: without it, od prints \`*\` for a line that repeats the one before (a name's long runs of one letter).
# From od's decimal bytes of a TCP reply: \`answer RCODE[ ADDRESS]\` when its header carries our ID and QR,
# the address when the first answer, right after the question, is an A record (compressed name); else
# nothing, exit 1.
READ_REPLY='{ for (k = 1; k <= NF; k++) b[n++] = $k }
  END {
    if (n < 8 || b[2] * 256 + b[3] != id || b[4] < 128) exit 1
    split("NOERROR FORMERR SERVFAIL NXDOMAIN NOTIMP REFUSED", r, " ")
    c = b[5] % 16; s = c < 6 ? r[c + 1] : "RCODE" c; q = qend
    if (c == 0 && b[8] * 256 + b[9] > 0 && b[q] >= 192 && b[q + 2] == 0 && b[q + 3] == 1 && b[q + 10] == 0 && b[q + 11] == 4 && n >= q + 16)
      s = s " " b[q + 12] "." b[q + 13] "." b[q + 14] "." b[q + 15]
    printf "answer %s\\n", s
  }'

dnstcp() {
  step=dnstcp
  dnsquery "\${path%.}"
  out=$( { printf "$Q" | timeout $((T + 2)) nc -vv -w "$T" "$addr" "$port" | od -v -A n -t u1 -N 300 |
    awk -v id="$ID" -v qend="$QEND" "$READ_REPLY"; } 2>&1)
  rc=$?
  case $out in
    *"answer "*) a=\${out#*answer }; msg="answer \${a%%[!A-Z0-9. ]*}" rc=0 ;;
    *) msg=$out ;;
  esac
}

attempt() {
  status= addr=$host msg=
  if ip_literal "$host" || resolve; then
    "$kind"
  fi
}

bad() {
  echo "$M|$i|-|-|-||0|1|0,0,arg,2,,,$1"
}

probe() {
  i=$1
  o=$IFS; IFS='|'; set -- $2; IFS=$o
  kind=\${1-} host=\${2-} port=\${3-} T=\${4-} path=\${5-}
  if [ $# -lt 4 ] || [ $# -gt 5 ] || ! uint "$port" 1 65535 || ! uint "$T" 1 60 || ! { hostname_ok "$host" || ipv6 "$host"; }; then
    bad "invalid probe argument"; return
  fi
  case $kind/$# in
    tcp/4|udp/4) ;;
    http/5) path_ok "$path" || { bad "invalid probe path"; return; } ;;
    dns/5|dnstcp/5) dnsname_ok "$path" || { bad "invalid probe name"; return; } ;;
    *) bad "invalid probe kind"; return ;;
  esac
  now; start=$NOW; n=0; run=0; last=; first=0; settled=0; recs=
  while :; do
    now; t0=$NOW
    attempt
    now; n=$((n + 1))
    clean "$msg"
    recs="$recs|$((t0 - start)),$((NOW - t0)),$step,$rc,$addr,$status,$c"
    sig
    if [ "$SIG" = "$last" ]; then run=$((run + 1)); else run=1; first=$t0; last=$SIG; fi
    if [ $run -ge $AGREE ] && [ $((t0 - first)) -ge $WINDOW ]; then settled=1; break; fi
    [ $n -ge $MAX ] && break
    [ $((NOW - start)) -ge $BUDGET ] && break
    d=$((t0 + INTERVAL - NOW))
    [ $d -gt 0 ] && sleep_ms "$d"
  done
  echo "$M|$i|$kind|$host|$port|$path|$settled|$n$recs"
}

settle() {
  o=$IFS; IFS='|'; set -- $1; IFS=$o
  [ $# -eq 7 ] && [ "$1" = settle ] && uint "$2" 1 10 && uint "$3" 1 10 && [ "$3" -le "$2" ] &&
    uint "$4" 0 600000 && uint "$5" 0 600000 && uint "$6" 0 3600000 && uint "$7" 0 600000 || return 1
  MAX=$2 AGREE=$3 WINDOW=$4 INTERVAL=$5 BUDGET=$6 GRACE=$7
}

settle "\${1-}" || { echo "$M-ERROR|invalid settle argument"; exit 2; }
# Once per pod, before any probe: let the enforcer program this new pod (see the header).
[ "$GRACE" -gt 0 ] && sleep_ms "$GRACE"
shift
# A window of MAX_CONCURRENT_PROBES: probe N starts once probe N - MAX_CONCURRENT_PROBES has ended (its
# pid heads $pids). Not \`wait -n\`: ash reaps every finished job in one call but returns once, so it
# would lose count.
i=0 pids=
for a; do
  i=$((i + 1))
  if [ $i -gt ${MAX_CONCURRENT_PROBES} ]; then
    wait "\${pids%% *}"
    pids=\${pids#* }
  fi
  probe "$i" "$a" &
  pids="$pids$! "
done
wait
echo "$M-END|$i"
`;
