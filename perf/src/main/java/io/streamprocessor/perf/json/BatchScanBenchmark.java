package io.streamprocessor.perf.json;

import io.streamprocessor.transport.json.BatchScanner;
import io.streamprocessor.transport.json.Utf8Validator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The two passes over a batch's body before it is parsed, per batch of 1,000 events like the load
 * generator's (about 150 KB): counting its elements, so that the batch claims its slots at once,
 * and checking that it is well-formed UTF-8.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class BatchScanBenchmark {
    private byte[] body;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            b.append(i == 0 ? "" : ",")
                .append("{\"type\":\"metric\",\"source\":\"web-").append(i % 50)
                .append("\",\"timestamp\":").append(1_699_380_000_000L + i)
                .append(",\"data\":{\"value\":").append(i * 1.5)
                .append(",\"unit\":\"ms\",\"endpoint\":\"/api/users\",\"level\":\"info\",\"tags\":[\"a\",\"b\"]}}");
        }
        body = b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public int count() {
        return BatchScanner.count(body, 0, body.length, 10_000);
    }

    @Benchmark
    public int utf8() {
        return Utf8Validator.firstInvalid(body, 0, body.length);
    }
}
