package io.streamprocessor.engine.event;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidatorTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long SKEW = 3_600_000L;
    private static final long RECEIVED_AT = NOW - 5L;

    private final Interner types = new Interner(100);
    private final Interner sources = new Interner(100);
    private final Validator validator = new Validator(types, sources, SKEW, 16, 256, false, "gen-");
    private final EventSlot slot = new EventSlot(FieldPath.of("value"), 4096, 65536);
    private long sequence;

    /** A fresh valid event: type and source only. */
    private EventSlot event() {
        slot.begin(null, 0, RECEIVED_AT, 0L).type("metric").source("web-1");
        slot.sequence(sequence++);
        return slot;
    }

    private EventSlot event(String dataJson) {
        event();
        JsonTape.write(slot.data(), dataJson);
        return slot;
    }

    /** The producer reporting an unknown top-level member (the one call here into that producer API). */
    private static EventSlot unknownField(EventSlot slot, String name) {
        return slot.fieldProblem(Rejection.UNKNOWN_FIELD, name);
    }

    private boolean validate(EventSlot e) {
        return validator.validate(e, NOW);
    }

    private void assertRejected(Rejection expected, EventSlot e) {
        assertFalse(validate(e), "expected rejection " + expected);
        assertEquals(expected, e.rejection());
        assertEquals(Outcome.REJECTED, e.outcome());
    }

    private void assertAccepted(EventSlot e) {
        assertTrue(validate(e), () -> "rejected: " + e.rejectionMessage());
        assertNull(e.rejection());
        assertEquals(Outcome.PENDING, e.outcome());
    }

    /** Data nested {@code depth} objects deep, the data object itself included. */
    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** Data with {@code n} members in all, spread over a nested object. */
    private static String fields(int n) {
        StringBuilder b = new StringBuilder("{\"o\":{");
        for (int i = 1; i < n; i++) {
            b.append(i == 1 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        return b.append("}}").toString();
    }

    @Test
    void aMinimalEventIsAccepted() {
        assertAccepted(event());
    }

    // ------------------------------------------------------------------ type, source, id

    @Test
    void typeIsRequired() {
        slot.begin(null, 0, RECEIVED_AT, 0L).source("web-1");
        assertRejected(Rejection.TYPE_MISSING, slot);
        assertTrue(slot.rejectionMessage().startsWith("type"));
    }

    @Test
    void typeOfOneToOneHundredTwentyEightCharsIsAccepted() {
        assertAccepted(event().type("t"));
        assertAccepted(event().type("t".repeat(128)));
        assertEquals("t".repeat(128), slot.type());
    }

    @Test
    void emptyOrOverLongTypeIsRejected() {
        assertRejected(Rejection.TYPE_LENGTH, event().type(""));
        assertRejected(Rejection.TYPE_LENGTH, event().type("t".repeat(129)));
        assertTrue(slot.rejectionMessage().startsWith("type"));
    }

    @Test
    void sourceIsRequired() {
        slot.begin(null, 0, RECEIVED_AT, 0L).type("metric");
        assertRejected(Rejection.SOURCE_MISSING, slot);
        assertTrue(slot.rejectionMessage().startsWith("source"));
    }

    @Test
    void sourceOfOneToTwoHundredFiftySixCharsIsAccepted() {
        assertAccepted(event().source("s"));
        assertAccepted(event().source("s".repeat(256)));
        assertEquals("s".repeat(256), slot.source());
    }

    @Test
    void emptyOrOverLongSourceIsRejected() {
        assertRejected(Rejection.SOURCE_LENGTH, event().source(""));
        assertRejected(Rejection.SOURCE_LENGTH, event().source("s".repeat(257)));
        assertTrue(slot.rejectionMessage().startsWith("source"));
    }

    @Test
    void clientIdOfOneToTwoHundredFiftySixCharsIsKept() {
        assertAccepted(event().id("i"));
        assertEquals("i", slot.id());
        assertAccepted(event().id("i".repeat(256)));
        assertEquals("i".repeat(256), slot.id());
    }

    @Test
    void emptyOrOverLongIdIsRejected() {
        assertRejected(Rejection.ID_LENGTH, event().id(""));
        assertRejected(Rejection.ID_LENGTH, event().id("i".repeat(257)));
        assertTrue(slot.rejectionMessage().startsWith("id"));
    }

    @Test
    void anAbsentIdIsGeneratedUniqueWithThePrefix() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            assertAccepted(event());
            String id = slot.id();
            assertTrue(id.startsWith("gen-"), id);
            assertTrue(ids.add(id), "duplicate id " + id);
            assertTrue(JsonTape.encode(slot).startsWith("{\"id\":\"" + id + "\","));
        }
    }

    @Test
    void theFirstBrokenRuleDecides() {
        slot.begin(null, 0, RECEIVED_AT, 0L).id("");
        assertRejected(Rejection.TYPE_MISSING, slot);
    }

    // ------------------------------------------------------------------ timestamp

    @Test
    void anAbsentTimestampIsTheReceiveTime() {
        assertAccepted(event());
        assertEquals(RECEIVED_AT, slot.timestamp());
    }

    @Test
    void aPositiveTimestampIsKept() {
        assertAccepted(event().timestamp(1L));
        assertEquals(1L, slot.timestamp());
        assertAccepted(event().timestamp(NOW - 86_400_000L));
        assertEquals(NOW - 86_400_000L, slot.timestamp());
    }

    @Test
    void zeroOrNegativeTimestampIsRejected() {
        assertRejected(Rejection.TIMESTAMP_NOT_POSITIVE, event().timestamp(0L));
        assertRejected(Rejection.TIMESTAMP_NOT_POSITIVE, event().timestamp(-1L));
        assertTrue(slot.rejectionMessage().startsWith("timestamp"));
    }

    @Test
    void timestampUpToTheAllowedSkewAheadIsAccepted() {
        assertAccepted(event().timestamp(NOW + SKEW));
    }

    @Test
    void timestampPastTheAllowedSkewAheadIsRejected() {
        assertRejected(Rejection.TIMESTAMP_IN_FUTURE, event().timestamp(NOW + SKEW + 1));
        assertTrue(slot.rejectionMessage().startsWith("timestamp"));
    }

    // ------------------------------------------------------------------ data

    @Test
    void dataNestedToTheDepthLimitIsAccepted() {
        assertAccepted(event(nested(16)));
        assertAccepted(event("{\"a\":" + "[".repeat(15) + "]".repeat(15) + "}"));
    }

    @Test
    void dataNestedPastTheDepthLimitIsRejected() {
        assertRejected(Rejection.DATA_TOO_DEEP, event(nested(17)));
        assertRejected(Rejection.DATA_TOO_DEEP, event("{\"a\":" + "[".repeat(16) + "]".repeat(16) + "}"));
        assertTrue(slot.rejectionMessage().startsWith("data"));
    }

    @Test
    void dataWithTheFieldLimitIsAccepted() {
        assertAccepted(event(fields(256)));
    }

    @Test
    void dataPastTheFieldLimitIsRejected() {
        assertRejected(Rejection.DATA_TOO_MANY_FIELDS, event(fields(257)));
        assertTrue(slot.rejectionMessage().startsWith("data"));
    }

    @Test
    void dataThatIsNotAnObjectIsRejected() {
        assertRejected(Rejection.DATA_NOT_OBJECT, event("[1,2]"));
        assertRejected(Rejection.DATA_NOT_OBJECT, event("\"text\""));
        assertRejected(Rejection.DATA_NOT_OBJECT, event("7"));
    }

    @Test
    void dataLargerThanTheSlotIsRejected() {
        EventSlot small = new EventSlot(FieldPath.of("value"), 8, 1024);
        small.begin(null, 0, RECEIVED_AT, 0L).type("metric").source("web-1");
        JsonTape.write(small.data(), "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}");
        assertRejected(Rejection.DATA_TOO_LARGE, small);
    }

    @Test
    void absentDataIsAnEmptyObject() {
        assertAccepted(event());
        assertTrue(JsonTape.encode(slot).endsWith(",\"data\":{}}"));
    }

    // ------------------------------------------------------------------ unknown fields, producer rejections

    @Test
    void anUnknownTopLevelFieldIsRejected() {
        assertRejected(Rejection.UNKNOWN_FIELD, unknownField(event(), "colour"));
        assertEquals("unknown field: colour", slot.rejectionMessage());
    }

    @Test
    void anUnknownTopLevelFieldIsAcceptedWhenAllowed() {
        Validator lenient = new Validator(types, sources, SKEW, 16, 256, true, "gen-");
        assertTrue(lenient.validate(unknownField(event(), "colour"), NOW));
        assertNull(slot.rejection());
    }

    @Test
    void aRejectionRecordedByTheProducerWins() {
        unknownField(event().reject(Rejection.TIMESTAMP_NOT_INTEGER), "x").type("");
        JsonTape.write(slot.data(), nested(40));
        assertRejected(Rejection.TIMESTAMP_NOT_INTEGER, slot);

        event().reject(Rejection.DUPLICATE_FIELD);
        assertRejected(Rejection.DUPLICATE_FIELD, slot);
    }

    // ------------------------------------------------------------------ enrichment

    @Test
    void typeAndSourceAreInterned() {
        assertAccepted(event().type("log").source("a"));
        int logId = slot.typeId();
        int aId = slot.sourceId();
        long aHash = slot.sourceHash();
        String logName = slot.type();
        assertAccepted(event().type("metric").source("b"));
        assertNotEquals(logId, slot.typeId());
        assertNotEquals(aId, slot.sourceId());
        assertNotEquals(aHash, slot.sourceHash());
        assertAccepted(event().type("log").source("a"));
        assertEquals(logId, slot.typeId());
        assertEquals(aId, slot.sourceId());
        assertEquals(aHash, slot.sourceHash());
        assertSame(logName, slot.type());
        assertEquals("log", types.name(logId));
        assertEquals("a", sources.name(aId));
    }

    @Test
    void pastTheSourceTableBoundTheSourceIsStillKnownByNameAndHash() {
        Validator bounded = new Validator(new Interner(10), new Interner(1), SKEW, 16, 256, false, "gen-");
        assertTrue(bounded.validate(event().source("first"), NOW));
        assertEquals(0, slot.sourceId());
        assertTrue(bounded.validate(event().source("second"), NOW));
        assertEquals(Interner.OVERFLOW, slot.sourceId());
        assertEquals("second", slot.source());
        assertNotEquals(0L, slot.sourceHash());
    }

    @Test
    void aNumberAtTheValuePathIsTheValue() {
        assertAccepted(event("{\"value\":42}"));
        assertTrue(slot.hasValue());
        assertEquals(42.0, slot.value());
        assertAccepted(event("{\"value\":-0.5e2}"));
        assertEquals(-50.0, slot.value());
        assertAccepted(event("{\"value\":0}"));
        assertTrue(slot.hasValue());
        assertEquals(0.0, slot.value());
    }

    @Test
    void anythingButANumberAtTheValuePathIsNoValue() {
        for (String data : new String[] {"{}", "{\"value\":\"5\"}", "{\"value\":true}", "{\"value\":null}",
            "{\"value\":[5]}", "{\"value\":{\"v\":5}}", "{\"other\":5}", "{\"o\":{\"value\":5}}"}) {
            assertAccepted(event(data));
            assertFalse(slot.hasValue(), data);
        }
    }

    @Test
    void aNonFiniteNumberAtTheValuePathIsNoValue() {
        event();
        slot.data().startObject().name("value").number(Double.POSITIVE_INFINITY).endObject();
        assertAccepted(slot);
        assertFalse(slot.hasValue());
        event();
        slot.data().startObject().name("value").number(Double.NaN).endObject();
        assertAccepted(slot);
        assertFalse(slot.hasValue());
    }

    @Test
    void theValuePathIsConfigurable() {
        EventSlot custom = new EventSlot(FieldPath.of("data.metrics.latency"), 4096, 65536);
        custom.begin(null, 0, RECEIVED_AT, 0L).type("metric").source("web-1");
        JsonTape.write(custom.data(), "{\"value\":1,\"metrics\":{\"latency\":12.5}}");
        assertTrue(validate(custom));
        assertTrue(custom.hasValue());
        assertEquals(12.5, custom.value());
    }

    @Test
    void aRejectedEventIsNotEnriched() {
        assertRejected(Rejection.TYPE_LENGTH, event("{\"value\":3}").type(""));
        assertFalse(slot.hasValue());
        assertNull(slot.id());
        assertEquals(-1, slot.typeId());
    }
}
