#!/usr/bin/env bash
# Journal benchmark against the real launcher (transport/target/stream-processor.jar), journals in
# fresh directories under /tmp, deleted after each run.
#
# Ingestion (default): batch ingestion over HTTP (POST /events/batch x 1000, 8 connections, closed
# loop, the project's load generator) with the journal off, fsync none and fsync batch, alternating
# in every round; prints events/s per run, the ratios none/off (target >= 90%) and batch/off
# (target >= 50%), and each mode's p99 latency beside this disk's fsync time. About 4 minutes.
#
#   perf/run-journal-bench.sh                               # 3 rounds, 10 s measured after 10 s of load
#   perf/run-journal-bench.sh --rounds 5 --modes off,none,batch,interval
#
# Recovery: journals 10 million events (no timestamps: their event time is their arrival, inside
# the retained windows), kill -9s the server, restarts it on the same directory and measures the
# time from process start to the first accepted POST (target <= 10 s) and the replay rate from the
# launcher's "journal: replayed N events ... in T ms" line (target >= 2 million events/s).
#
#   perf/run-journal-bench.sh --recovery                    # 10 M events, SIGKILL, 2 restarts
#   perf/run-journal-bench.sh --recovery --events 1000000 --signal TERM --restarts 1
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -DskipTests package -pl perf -am
exec java -Xmx1g -cp perf/target/benchmarks.jar io.streamprocessor.perf.journal.JournalBench "$@"
