#!/usr/bin/env bash
# File sink benchmark: batch ingestion over HTTP (POST /events/batch x 1000, 8 connections, closed
# loop) against the real server without sinks and with a file sink, alternating, in one run; prints
# the rates and their ratio (target: >= 80%). Writes only under perf/target/. About 2 minutes.
#
#   perf/run-file-sink-bench.sh                     # 2 rounds, 10 s each after 4 s warm-up
#   perf/run-file-sink-bench.sh --rounds 3 --fsync  # options of FileSinkBench
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests package -pl perf -am
exec java -Xmx1g -cp perf/target/benchmarks.jar io.streamprocessor.perf.sinks.FileSinkBench "$@"
