#!/usr/bin/env bash
# Memory under sustained load, JVM configuration by configuration (heap size, collector, ring size):
# RSS at rest, median and peak under load, young-GC pause p99 and max, full GCs, load achieved.
# Loopback only; about 75 s per configuration. Writes perf/results/memory.md.
#
#   perf/run-memory-bench.sh                                   # every configuration, 60 s each
#   perf/run-memory-bench.sh --duration 30 --configs g1-512,serial-128
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -DskipTests package -pl perf -am
exec java -Xmx1g -cp perf/target/benchmarks.jar io.streamprocessor.perf.MemoryBench "$@"
