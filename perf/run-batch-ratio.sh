#!/usr/bin/env bash
# The HTTP batch path against its ceiling: the real server (the launcher's flags, a fresh journal)
# and the parse-only Netty baseline (same Netty, same epoll, same decoder, same body handling:
# one copy into an array, then jackson-core over it) take turns, one at a time, each driven by our
# load generator with batches of 1,000 events on 8 connections, closed loop, 8 s warm-up then 10 s
# measured. Rounds alternate so that the shared machine's drift falls on both. Prints events/s per
# run and the server's share of the baseline per round; loopback only, about 45 s per round.
#
#   perf/run-batch-ratio.sh            # 3 rounds
#   perf/run-batch-ratio.sh 5          # 5 rounds
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
mvn -q -B -ntp -o -DskipTests package -pl perf -am
port=18000
flags="-Xms32m -Xmx128m -XX:+UseSerialGC"
load="java -cp perf/target/benchmarks.jar io.streamprocessor.perf.load.LoadGenerator --url http://127.0.0.1:$port
  --connections 8 --batch 1000 --duration 10 --warmup 8"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs the load against the server started by "$@"; prints its events/s.
measure() {
  "$@" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null http://127.0.0.1:$port/health && break
    sleep 0.2
  done
  $load --json "$work/report.json" >/dev/null 2>&1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  grep -oE '"eventsPerSecond":[0-9]+' "$work/report.json" | cut -d: -f2
}

echo "| round | server events/s | parse-only events/s | server / parse-only |"
echo "|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  rm -rf "$work/journal"
  server=$(measure java $flags -jar transport/target/stream-processor.jar --server.port $port --journal.dir "$work/journal")
  parse=$(measure java $flags -cp perf/target/benchmarks.jar io.streamprocessor.perf.baseline.BaselineServer parse $port)
  echo "| $round | $server | $parse | $(awk -v s="$server" -v p="$parse" 'BEGIN { printf "%.2f", s / p }') |"
done
