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
    private final EventRecord slot = new EventRecord(FieldPath.of("value"), 4096, 65536);
    private final EventView view = slot.view();
    private long sequence;

    /** A fresh valid event: type and source only. */
    private EventWriter event() {
        return slot.begin(RECEIVED_AT).type("metric").source("web-1");
    }

    private EventWriter event(String dataJson) {
        EventWriter w = event();
        JsonTape.write(w.data(), dataJson);
        return w;
    }

    /** The producer reporting an unknown top-level member. */
    private static EventWriter unknownField(EventWriter writer, String name) {
        return writer.fieldProblem(Rejection.UNKNOWN_FIELD, name);
    }

    private boolean validate(EventRecord e) {
        return validator.validate(e, NOW, sequence++);
    }

    /** The event just written through {@link #event()} is rejected for {@code expected}. */
    private void assertRejected(Rejection expected, EventWriter written) {
        assertRejected(expected, slot);
    }

    private void assertRejected(Rejection expected, EventRecord e) {
        assertFalse(validate(e), "expected rejection " + expected);
        assertEquals(expected, e.rejection());
    }

    private void assertAccepted(EventWriter written) {
        assertAccepted(slot);
    }

    private void assertAccepted(EventRecord e) {
        assertTrue(validate(e), () -> "rejected: " + e.rejectionMessage());
        assertNull(e.rejection());
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
        slot.begin(RECEIVED_AT).source("web-1");
        assertRejected(Rejection.TYPE_MISSING, slot);
        assertTrue(slot.rejectionMessage().startsWith("type"));
    }

    @Test
    void typeOfOneToOneHundredTwentyEightCharsIsAccepted() {
        assertAccepted(event().type("t"));
        assertAccepted(event().type("t".repeat(128)));
        assertEquals("t".repeat(128), view.type());
    }

    @Test
    void emptyOrOverLongTypeIsRejected() {
        assertRejected(Rejection.TYPE_LENGTH, event().type(""));
        assertRejected(Rejection.TYPE_LENGTH, event().type("t".repeat(129)));
        assertTrue(slot.rejectionMessage().startsWith("type"));
    }

    @Test
    void sourceIsRequired() {
        slot.begin(RECEIVED_AT).type("metric");
        assertRejected(Rejection.SOURCE_MISSING, slot);
        assertTrue(slot.rejectionMessage().startsWith("source"));
    }

    @Test
    void sourceOfOneToTwoHundredFiftySixCharsIsAccepted() {
        assertAccepted(event().source("s"));
        assertAccepted(event().source("s".repeat(256)));
        assertEquals("s".repeat(256), view.source());
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
        assertEquals("i", view.id());
        assertAccepted(event().id("i".repeat(256)));
        assertEquals("i".repeat(256), view.id());
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
            String id = view.id();
            assertTrue(id.startsWith("gen-"), id);
            assertTrue(ids.add(id), "duplicate id " + id);
            assertTrue(JsonTape.encode(view).startsWith("{\"id\":\"" + id + "\","));
        }
    }

    @Test
    void theFirstBrokenRuleDecides() {
        slot.begin(RECEIVED_AT).id("");
        assertRejected(Rejection.TYPE_MISSING, slot);
    }

    // ------------------------------------------------------------------ timestamp

    @Test
    void anAbsentTimestampIsTheReceiveTime() {
        assertAccepted(event());
        assertEquals(RECEIVED_AT, view.timestamp());
    }

    @Test
    void aPositiveTimestampIsKept() {
        assertAccepted(event().timestamp(1L));
        assertEquals(1L, view.timestamp());
        assertAccepted(event().timestamp(NOW - 86_400_000L));
        assertEquals(NOW - 86_400_000L, view.timestamp());
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
        EventRecord small = new EventRecord(FieldPath.of("value"), 8, 1024);
        JsonTape.write(small.begin(RECEIVED_AT).type("metric").source("web-1").data(), "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}");
        assertRejected(Rejection.DATA_TOO_LARGE, small);
    }

    @Test
    void absentDataIsAnEmptyObject() {
        assertAccepted(event());
        assertTrue(JsonTape.encode(view).endsWith(",\"data\":{}}"));
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
        unknownField(event(), "colour");
        assertTrue(lenient.validate(slot, NOW, 0));
        assertNull(slot.rejection());
    }

    @Test
    void aRejectionRecordedByTheProducerWins() {
        unknownField(event().reject(Rejection.TIMESTAMP_NOT_INTEGER), "x").type("");
        JsonTape.write(slot.writer().data(), nested(40));
        assertRejected(Rejection.TIMESTAMP_NOT_INTEGER, slot);

        event().reject(Rejection.DUPLICATE_FIELD);
        assertRejected(Rejection.DUPLICATE_FIELD, slot);
    }

    // ------------------------------------------------------------------ enrichment

    @Test
    void typeAndSourceAreInterned() {
        assertAccepted(event().type("log").source("a"));
        int logId = view.typeId();
        int aId = view.sourceId();
        long aHash = view.sourceHash();
        String logName = view.type();
        assertAccepted(event().type("metric").source("b"));
        assertNotEquals(logId, view.typeId());
        assertNotEquals(aId, view.sourceId());
        assertNotEquals(aHash, view.sourceHash());
        assertAccepted(event().type("log").source("a"));
        assertEquals(logId, view.typeId());
        assertEquals(aId, view.sourceId());
        assertEquals(aHash, view.sourceHash());
        assertSame(logName, view.type());
        assertEquals("log", types.name(logId));
        assertEquals("a", sources.name(aId));
    }

    @Test
    void pastTheSourceTableBoundTheSourceIsStillKnownByNameAndHash() {
        Validator bounded = new Validator(new Interner(10), new Interner(1), SKEW, 16, 256, false, "gen-");
        event().source("first");
        assertTrue(bounded.validate(slot, NOW, 0));
        assertEquals(0, view.sourceId());
        event().source("second");
        assertTrue(bounded.validate(slot, NOW, 1));
        assertEquals(Interner.OVERFLOW, view.sourceId());
        assertEquals("second", view.source());
        assertNotEquals(0L, view.sourceHash());
    }

    @Test
    void aNumberAtTheValuePathIsTheValue() {
        assertAccepted(event("{\"value\":42}"));
        assertTrue(view.hasValue());
        assertEquals(42.0, view.value());
        assertAccepted(event("{\"value\":-0.5e2}"));
        assertEquals(-50.0, view.value());
        assertAccepted(event("{\"value\":0}"));
        assertTrue(view.hasValue());
        assertEquals(0.0, view.value());
    }

    @Test
    void anythingButANumberAtTheValuePathIsNoValue() {
        for (String data : new String[] {"{}", "{\"value\":\"5\"}", "{\"value\":true}", "{\"value\":null}",
            "{\"value\":[5]}", "{\"value\":{\"v\":5}}", "{\"other\":5}", "{\"o\":{\"value\":5}}"}) {
            assertAccepted(event(data));
            assertFalse(view.hasValue(), data);
        }
    }

    @Test
    void aNaNAtTheValuePathIsNoValue() {
        event().data().startObject().name("value").number(Double.NaN).endObject();
        assertAccepted(slot);
        assertFalse(view.hasValue());
    }

    @Test
    void aNumberTooLargeForADoubleAtTheValuePathIsRefusedNamingTheField() {
        char[] text = "1e400".toCharArray();
        event().data().startObject().name("value").number(Double.POSITIVE_INFINITY, text, 0, text.length).endObject();
        assertRejected(Rejection.VALUE_OUT_OF_RANGE, slot);
        assertTrue(slot.rejectionMessage().startsWith("data.value: number out of range"), slot.rejectionMessage());
        char[] negative = "-1e400".toCharArray();
        event().data().startObject().name("value").number(Double.NEGATIVE_INFINITY, negative, 0, negative.length).endObject();
        assertRejected(Rejection.VALUE_OUT_OF_RANGE, slot);
    }

    @Test
    void aNumberTooLargeForADoubleElsewhereInDataIsKeptAsSent() {
        char[] text = "1e400".toCharArray();
        event().data().startObject().name("value").number(2L).name("big").number(Double.POSITIVE_INFINITY, text, 0, text.length)
            .endObject();
        assertAccepted(slot);
        assertEquals(2.0, view.value());
        assertTrue(JsonTape.encode(view).endsWith("\"data\":{\"value\":2,\"big\":1e400}}"), JsonTape.encode(view));
    }

    @Test
    void theValuePathIsConfigurable() {
        EventRecord custom = new EventRecord(FieldPath.of("data.metrics.latency"), 4096, 65536);
        JsonTape.write(custom.begin(RECEIVED_AT).type("metric").source("web-1").data(),
            "{\"value\":1,\"metrics\":{\"latency\":12.5}}");
        assertTrue(validate(custom));
        assertTrue(custom.view().hasValue());
        assertEquals(12.5, custom.view().value());
    }

    @Test
    void aRejectedEventIsNotEnriched() {
        assertRejected(Rejection.TYPE_LENGTH, event("{\"value\":3}").type(""));
        assertFalse(view.hasValue());
        assertNull(view.id());
        assertEquals(-1, view.typeId());
    }
}
