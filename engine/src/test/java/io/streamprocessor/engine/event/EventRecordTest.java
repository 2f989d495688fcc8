package io.streamprocessor.engine.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventRecordTest {
    private static final FieldPath VALUE = FieldPath.of("value");

    /** A record holding the event; the returned flyweight reads and changes it, as a transform would. */
    private static MutableEvent slot(String valuePath, String dataJson) {
        EventRecord record = new EventRecord(FieldPath.of(valuePath), 4096, 65536);
        record.begin(1_000L).type("metric").source("web-1").id("e-1").timestamp(500L);
        JsonTape.write(record.writer().data(), dataJson);
        record.refreshValue();
        return record.mutable();
    }

    private static MutableEvent slot(String dataJson) {
        return slot("value", dataJson);
    }

    /** The producer reporting an unknown top-level member. */
    private static EventWriter unknownField(EventWriter writer, String name) {
        return writer.fieldProblem(Rejection.UNKNOWN_FIELD, name);
    }

    // ------------------------------------------------------------------ what sinks receive

    @Test
    void encodesTheEventAsOneJsonLine() {
        MutableEvent slot = slot("{\"value\":42,\"tags\":[\"a\"]}");
        assertEquals("{\"id\":\"e-1\",\"type\":\"metric\",\"source\":\"web-1\",\"timestamp\":500,"
            + "\"receivedAt\":1000,\"data\":{\"value\":42,\"tags\":[\"a\"]}}", JsonTape.encode(slot));
    }

    @Test
    void theEncodingTellsWhereEachFieldIs() {
        MutableEvent slot = slot("{\"value\":42,\"q\":\"a\\\"b\"}");
        slot.record.writer().source("web \"1\"");
        EventJson json = new EventJson();
        String line = new String(json.buffer(), 0, json.encode(slot), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("e-1", line.substring(json.idStart(), json.idEnd()));
        assertEquals("metric", line.substring(json.typeStart(), json.typeEnd()));
        assertEquals("web \\\"1\\\"", line.substring(json.sourceStart(), json.sourceEnd()), "escaped as in the line");
        assertEquals("{\"value\":42,\"q\":\"a\\\"b\"}", line.substring(json.dataStart(), json.dataEnd()));
    }

    @Test
    void textFieldsKeepNonAsciiAndAreEscaped() {
        EventRecord record = new EventRecord(VALUE, 4096, 65536);
        EventView slot = record.view();
        char[] source = "xx capteur-é \"1\" xx".toCharArray();
        record.begin(1L).type("mesure-\uD83D\uDE80").source(source, 3, source.length - 6).id("id\\1");
        assertEquals("mesure-\uD83D\uDE80", slot.type());
        assertEquals("capteur-é \"1\"", slot.source());
        assertEquals("id\\1", slot.id());
        assertTrue(JsonTape.encode(slot).startsWith(
            "{\"id\":\"id\\\\1\",\"type\":\"mesure-\uD83D\uDE80\",\"source\":\"capteur-é \\\"1\\\"\","));
    }

    @Test
    void setMutationsAreSeenBySinks() {
        MutableEvent slot = slot("{\"a\":1}");
        slot.set(FieldPath.of("b.c"), "x").set(FieldPath.of("a"), true).set(FieldPath.of("d"), 2L)
            .set(FieldPath.of("e"), 0.5);
        assertEquals("{\"a\":true,\"b\":{\"c\":\"x\"},\"d\":2,\"e\":0.5}", JsonTape.data(slot));
        slot.remove(FieldPath.of("b")).rename(FieldPath.of("d"), FieldPath.of("dd"));
        assertEquals("{\"a\":true,\"dd\":2,\"e\":0.5}", JsonTape.data(slot));
    }

    @Test
    void viewReadsMembersOfData() {
        MutableEvent slot = slot("{\"n\":3,\"s\":\"abc\",\"o\":{\"x\":null}}");
        assertTrue(slot.has(FieldPath.of("o.x")));
        assertFalse(slot.has(FieldPath.of("o.y")));
        assertTrue(slot.isNumber(FieldPath.of("n")));
        assertFalse(slot.isNumber(FieldPath.of("s")));
        assertEquals(3.0, slot.number(FieldPath.of("n"), -1));
        assertEquals(-1.0, slot.number(FieldPath.of("s"), -1));
        assertEquals("abc", slot.string(FieldPath.of("s")));
        assertNull(slot.string(FieldPath.of("n")));
        assertTrue(slot.stringEquals(FieldPath.of("s"), "abc".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ the aggregated value follows data.value

    @Test
    void settingTheValuePathToANumberMakesItTheValue() {
        MutableEvent slot = slot("{}");
        assertFalse(slot.hasValue());
        slot.set(VALUE, 2.5);
        assertTrue(slot.hasValue());
        assertEquals(2.5, slot.value());
        slot.set(VALUE, 7L);
        assertTrue(slot.hasValue());
        assertEquals(7.0, slot.value());
        assertEquals("{\"value\":7}", JsonTape.data(slot));
    }

    @Test
    void settingTheValuePathToANonNumberClearsTheValue() {
        MutableEvent slot = slot("{\"value\":1}");
        slot.set(VALUE, "high");
        assertFalse(slot.hasValue());
        slot.set(VALUE, 3L);
        slot.set(VALUE, true);
        assertFalse(slot.hasValue());
    }

    @Test
    void settingTheValuePathToANonFiniteNumberIsNoValue() {
        MutableEvent slot = slot("{\"value\":1}");
        slot.set(VALUE, Double.NaN);
        assertFalse(slot.hasValue());
        slot.set(VALUE, Double.POSITIVE_INFINITY);
        assertFalse(slot.hasValue());
        assertEquals("{\"value\":null}", JsonTape.data(slot));
    }

    @Test
    void removingTheValueClearsIt() {
        MutableEvent slot = slot("{\"value\":1,\"x\":2}");
        assertTrue(slot.hasValue());
        slot.remove(VALUE);
        assertFalse(slot.hasValue());
        assertEquals("{\"x\":2}", JsonTape.data(slot));
    }

    @Test
    void renamingAMemberOntoTheValuePathMakesItTheValue() {
        MutableEvent slot = slot("{\"latency\":12.5}");
        assertFalse(slot.hasValue());
        slot.rename(FieldPath.of("latency"), VALUE);
        assertTrue(slot.hasValue());
        assertEquals(12.5, slot.value());
        slot.rename(VALUE, FieldPath.of("old"));
        assertFalse(slot.hasValue());
        assertEquals("{\"old\":12.5}", JsonTape.data(slot));
    }

    @Test
    void flatteningANestedNumberOntoTheValuePathMakesItTheValue() {
        MutableEvent slot = slot("{\"value\":{\"amount\":5,\"unit\":\"ms\"}}");
        assertFalse(slot.hasValue());
        slot.rename(FieldPath.of("value.amount"), VALUE);
        assertTrue(slot.hasValue());
        assertEquals(5.0, slot.value());
    }

    @Test
    void changingOtherMembersLeavesTheValue() {
        MutableEvent slot = slot("{\"value\":3,\"x\":1}");
        slot.set(FieldPath.of("x"), 99.0).remove(FieldPath.of("x")).set(FieldPath.of("y"), "s")
            .rename(FieldPath.of("y"), FieldPath.of("z"));
        assertTrue(slot.hasValue());
        assertEquals(3.0, slot.value());
    }

    @Test
    void removingTheParentOfANestedValuePathClearsTheValue() {
        MutableEvent slot = slot("metrics.latency", "{\"metrics\":{\"latency\":9}}");
        assertTrue(slot.hasValue());
        slot.remove(FieldPath.of("metrics"));
        assertFalse(slot.hasValue());
    }

    @Test
    void replacingTheParentOfANestedValuePathClearsTheValue() {
        MutableEvent slot = slot("metrics.latency", "{\"metrics\":{\"latency\":9}}");
        slot.set(FieldPath.of("metrics"), 1L);
        assertFalse(slot.hasValue());
    }

    @Test
    void renamingAnObjectOntoTheParentOfANestedValuePathTakesItsValue() {
        MutableEvent slot = slot("metrics.latency", "{\"m\":{\"latency\":4}}");
        assertFalse(slot.hasValue());
        slot.rename(FieldPath.of("m"), FieldPath.of("metrics"));
        assertTrue(slot.hasValue());
        assertEquals(4.0, slot.value());
    }

    // ------------------------------------------------------------------ producer side and reuse

    @Test
    void theFirstRejectionWins() {
        EventRecord record = slot("{}").record;
        record.writer().reject(Rejection.TYPE_NOT_STRING).reject(Rejection.SOURCE_NOT_STRING);
        assertEquals(Rejection.TYPE_NOT_STRING, record.rejection());
        assertEquals("type: must be a string", record.rejectionMessage());
    }

    @Test
    void anUnknownFieldRejectionNamesTheField() {
        EventRecord record = slot("{}").record;
        unknownField(unknownField(record.writer(), "colour"), "other").reject(Rejection.UNKNOWN_FIELD);
        assertEquals("unknown field: colour", record.rejectionMessage());
    }

    @Test
    void aVeryLongUnknownFieldNameIsCutShort() {
        EventRecord record = slot("{}").record;
        unknownField(record.writer(), "f".repeat(10_000)).reject(Rejection.UNKNOWN_FIELD);
        String message = record.rejectionMessage();
        assertTrue(message.startsWith("unknown field: fff"), message.substring(0, 40));
        assertTrue(message.length() < 100, "message of " + message.length() + " chars");
    }

    @Test
    void aValueOutOfRangeNamesTheValuePath() {
        EventRecord record = slot("latency.ms", "{}").record;
        record.writer().reject(Rejection.VALUE_OUT_OF_RANGE);
        assertTrue(record.rejectionMessage().startsWith("data.latency.ms: number out of range"), record.rejectionMessage());
    }

    @Test
    void beginForgetsThePreviousEvent() {
        MutableEvent slot = slot("{\"value\":1,\"a\":{\"b\":2}}");
        EventRecord record = slot.record;
        unknownField(record.writer(), "x").reject(Rejection.UNKNOWN_FIELD);
        EventWriter writer = record.begin(2_000L);
        assertNull(record.rejection());
        assertNull(record.rejectionMessage());
        assertNull(slot.type());
        assertNull(slot.source());
        assertNull(slot.id());
        assertFalse(slot.hasValue());
        assertEquals(0, slot.data().size());
        assertEquals(2_000L, slot.receivedAt());
        writer.type("log").source("s");
        assertEquals("log", slot.type());
        assertEquals("{\"id\":null,\"type\":\"log\",\"source\":\"s\",\"timestamp\":0,\"receivedAt\":2000,\"data\":{}}",
            JsonTape.encode(slot));
    }

    @Test
    void theReadOnlyViewIsNotTheMutableOne() {
        EventRecord record = slot("{}").record;
        EventView view = record.view();
        assertFalse(view instanceof MutableEvent, "a sink's view cannot be cast to change the event");
        assertTrue(record.mutable() instanceof EventView);
    }

    @Test
    void readingTheTypeAndSourceNeverCachesThem() {
        EventRecord record = new EventRecord(VALUE, 16, 256);
        record.begin(1L).type("t").source("s");
        String first = record.view().source();
        assertEquals("s", first);
        assertNull(record.sourceName, "a read wrote nothing into the record");
        assertNull(record.typeName);
    }

    @Test
    void overLongTextIsMeasuredNotStored() {
        EventRecord record = new EventRecord(VALUE, 16, 256);
        record.begin(1L).type("t".repeat(129)).source("s".repeat(257)).id("i".repeat(257));
        assertNull(record.view().type());
        assertNull(record.view().source());
        assertNull(record.view().id());
        assertEquals(129, record.typeChars);
        assertEquals(257, record.sourceChars);
        assertEquals(257, record.idChars);
    }
}
