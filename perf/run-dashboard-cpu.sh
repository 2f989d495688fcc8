#!/usr/bin/env bash
# What an open dashboard costs the server: the real launcher (transport/target/stream-processor.jar,
# a journal in a fresh directory under /tmp), no traffic, its CPU time (utime + stime from
# /proc/PID/stat) over 30 s with no page open, then over 30 s with N headless Chromium pages open
# on http://127.0.0.1:P/ (each polls /stats, /aggregations and /health every second), alternating.
# Prints each measurement as % of one core and the difference per page. Needs chromium on the PATH.
#
#   perf/run-dashboard-cpu.sh                       # 3 rounds, 1 page
#   perf/run-dashboard-cpu.sh --rounds 2 --pages 4
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 pages=1 seconds=30 port=18123
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --pages) pages=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        *) echo "unknown option $1 (--rounds N, --pages N, --seconds S, --port P)" >&2; exit 2 ;;
    esac
done
mvn -q -B -ntp -o -DskipTests package -pl transport -am
dir=$(mktemp -d /tmp/dashboard-cpu.XXXXXX)
browsers=()
server=""
cleanup() {
    for b in "${browsers[@]}"; do kill "$b" 2>/dev/null || true; done
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
java -Xms64m -Xmx512m -XX:+UseG1GC -jar transport/target/stream-processor.jar --port "$port" \
    --journal.dir "$dir/journal" >"$dir/server.out" 2>"$dir/server.err" &
server=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.1
done
sleep 6 # JIT and start-up work settle
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
measure() {
    local a b
    a=$(ticks); sleep "$seconds"; b=$(ticks)
    awk -v d=$((b - a)) -v hz="$hz" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * d / (hz * s) }'
}
echo "round  no page (% of a core)  $pages page(s) (% of a core)  per page (points of a core)"
for r in $(seq "$rounds"); do
    none=$(measure)
    browsers=()
    for i in $(seq "$pages"); do
        chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking \
            --disable-component-update --disable-dev-shm-usage --user-data-dir="$dir/chrome-$r-$i" \
            "http://127.0.0.1:$port/" >/dev/null 2>&1 &
        browsers+=($!)
    done
    sleep 5 # the pages load and start polling
    with=$(measure)
    for b in "${browsers[@]}"; do kill "$b" 2>/dev/null || true; wait "$b" 2>/dev/null || true; done
    browsers=()
    sleep 2
    awk -v r="$r" -v n="$none" -v w="$with" -v p="$pages" 'BEGIN { printf "%5d  %21.2f  %26.2f  %27.2f\n", r, n, w, (w - n) / p }'
done
