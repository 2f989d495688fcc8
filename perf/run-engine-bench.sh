#!/usr/bin/env bash
# Engine benchmark: the whole in-process chain (PipelineBenchmark: 4 topologies x W/S 1, 6, 60)
# beside the raw Disruptor ceiling (RawDisruptorBenchmark: empty handlers in the same 4 thread
# layouts), all in one JMH run with -prof gc. Builds perf/target/benchmarks.jar, writes the JMH
# log and JSON under perf/results/ and prints the table that perf/RESULTS.md records.
# About 14 minutes on 2 cores. Writes nothing outside perf/.
#
#   perf/run-engine-bench.sh                # the full run
#   perf/run-engine-bench.sh -p ringSize=1024   # extra JMH options are appended
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -q -B -DskipTests package -pl perf -am

out=perf/results
mkdir -p "$out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/engine.log"
java -jar perf/target/benchmarks.jar 'io\.streamprocessor\.perf\.engine\.' \
    -f 2 -wi 4 -w 3s -i 3 -r 4s -prof gc -rf json -rff "$out/engine.json" "$@" 2>&1 | tee -a "$out/engine.log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/engine.log"

python3 perf/engine-table.py "$out/engine.json"
