#!/usr/bin/env bash
# PostgreSQL sink benchmark: rows/s from the pipeline into a table by COPY and by multi-row INSERT,
# beside the pipeline alone and the database alone, in the same rounds (PostgresSinkBenchmark).
# Starts an embedded PostgreSQL 14 in a temporary directory (removed afterwards); loopback only.
# About 3 minutes on 2 cores with the defaults. Writes nothing outside the temporary directory.
#
#   perf/run-postgres-bench.sh                          # 1,000,000 events per run, 3 rounds
#   perf/run-postgres-bench.sh --events 200000 --rounds 1
#   perf/run-postgres-bench.sh --breakdown             # also: data as json, as text, no WAL
#   PGPASSWORD=... perf/run-postgres-bench.sh --url jdbc:postgresql://host:5432/db --user me
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests package -pl perf -am
exec java -Xms1g -Xmx1g -XX:+UseG1GC -cp perf/target/benchmarks.jar io.streamprocessor.perf.sinks.PostgresSinkBenchmark "$@"
