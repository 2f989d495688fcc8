#!/usr/bin/env bash
# Overload: floods the real server far past what it parses (batches of 1,000 from 256 connections,
# clients that resend at once and clients that honour Retry-After; single events pipelined 16 deep
# on 256 connections), probes GET /health, /stats and /metrics on fresh connections every 50 ms
# meanwhile (2 s timeout), and reports probe latency and failures, the 503 share and how fast a 503
# comes back, the goodput against the server's own maximum, and the first request after the flood.
# Loopback only; about 2 minutes (--quick: about 1). Writes perf/results/overload.md.
#
#   perf/run-overload.sh
#   perf/run-overload.sh --server "--server.overload-delay 15ms"     # every server with this setting added
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -DskipTests package -pl perf -am
exec java -Xmx1g -cp perf/target/benchmarks.jar io.streamprocessor.perf.OverloadBench "$@"
