#!/usr/bin/env bash
# Latency at half the single-event maximum, against the floor of a no-op server under the same load:
# single events open loop (p50-p99.9), GET /aggregations and GET /health beside them, the server's CPU
# and context switches per request. Loopback only; about 4 minutes per round. Writes perf/results/latency.md.
#
#   perf/run-latency-bench.sh                                   # 2 rounds: noop, default, inline, ws60
#   perf/run-latency-bench.sh --rounds 1 --configs noop,default
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -DskipTests package -pl perf -am
exec java -Xmx1g -cp perf/target/benchmarks.jar io.streamprocessor.perf.LatencyBench "$@"
