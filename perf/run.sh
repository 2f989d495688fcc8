#!/usr/bin/env bash
# Runs every HTTP scenario (throughput vs the no-op and parse-only ceilings, latency at constant
# rates, queries under load, a 60 s soak, overload, a wrk cross-check) against servers started here
# one at a time, and writes perf/RESULTS-http.md. Loopback only; bounded in time (~10 minutes;
# --quick: ~3). Needs wrk for the cross-check (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests package -pl perf -am
exec java -Xmx1g -cp perf/target/benchmarks.jar io.streamprocessor.perf.Scenarios "$@"
