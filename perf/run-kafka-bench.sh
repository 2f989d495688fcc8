#!/usr/bin/env bash
# Kafka sink benchmark: events/s from the pipeline through the Kafka sink to a real one-node
# KRaft broker started in the same JVM (KafkaSinkBenchmark, under perf/src/test so the broker
# stays out of benchmarks.jar). About 45 s per run; writes only under perf/target and a
# temporary directory for the broker's log, deleted at the end.
#
#   perf/run-kafka-bench.sh                          # the sink, 4 partitions, keyed by source
#   perf/run-kafka-bench.sh --mode producer          # the client + broker alone: the ceiling
#   perf/run-kafka-bench.sh linger.ms=20 compression.type=lz4 --partitions 1   # producer overrides
#
# Extra JVM flags through JAVA_OPTS (e.g. JAVA_OPTS=-XX:StartFlightRecording=filename=perf/target/kafka.jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
    -Dmdep.includeScope=test -pl perf -am
exec java -Xms1g -Xmx1g ${JAVA_OPTS:-} \
    -cp "perf/target/test-classes:perf/target/classes:$(cat perf/target/test-classpath.txt)" \
    io.streamprocessor.perf.sinks.KafkaSinkBenchmark "$@"
