#!/usr/bin/env bash
# Issue 12's peer workload: the engine through its public embedding API (every topology, journal
# off) against a plain single-threaded per-window loop, at W/S 1, 6 and 60, interleaved in one JVM.
# Every engine run is checked against the loop's windows (exit 1 on a difference). Prints the
# table that perf/RESULTS.md records (events/s, bytes/event, ratio to the loop, N, CPU time per
# event of all threads and of the stage threads, and the core-to-core hand-off time measured just
# before each engine run: this machine has a fast and a slow state, see CoreHandoff) on stdout,
# and keeps it with the load average in perf/results/peer.log. A few minutes on 2 cores.
#
#   perf/run-peer-bench.sh                                  # 5 M events; the loop 1 M at W/S 60; about 6 minutes
#   perf/run-peer-bench.sh --events 2000000 --warmup-events 500000 --ring-size 1024
#   PEER_JAVA_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC" perf/run-peer-bench.sh   # another collector
#
# The JVM runs the launcher's collector (serial) by default: under G1 the engine ran about a
# third slower in the same run while the plain loop did not change (perf/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -DskipTests package -pl perf -am

out=perf/results
mkdir -p "$out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java ${PEER_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseSerialGC} -cp perf/target/benchmarks.jar io.streamprocessor.perf.engine.PeerBench "$@" | tee "$out/peer.log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
