#!/usr/bin/env bash
# Metrics scrape benchmark: GET /metrics back to back, over one keep-alive connection, against a
# server in the same JVM holding 10,000 type:source pairs (the engine's default bound); prints the
# scrape time percentiles in ms, the body's size and the load average. About 30 s.
#
#   perf/run-metrics-bench.sh                                   # 10,000 pairs, 300 + 1,000 scrapes
#   perf/run-metrics-bench.sh --accept application/openmetrics-text --scrapes 3000
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests package -pl perf -am
exec java -Xms64m -Xmx512m -XX:+UseG1GC -cp perf/target/benchmarks.jar io.streamprocessor.perf.metrics.ScrapeBench "$@"
