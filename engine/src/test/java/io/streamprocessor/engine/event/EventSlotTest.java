package io.streamprocessor.engine.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventSlotTest {
    private static final FieldPath VALUE = FieldPath.of("value");

    private static EventSlot slot(String valuePath, String dataJson) {
        EventSlot slot = new EventSlot(FieldPath.of(valuePath), 4096, 65536);
        slot.begin(null, 0, 1_000L, 0L).type("metric").source("web-1").id("e-1").timestamp(500L);
        JsonTape.write(slot.data(), dataJson);
        slot.refreshValue();
        return slot;
    }

    private static EventSlot slot(String dataJson) {
        return slot("value", dataJson);
    }

    /** The producer reporting an unknown top-level member (the one call here into that producer API). */
    private static EventSlot unknownField(EventSlot slot, String name) {
        return slot.fieldProblem(Rejection.UNKNOWN_FIELD, name);
    }

    // ------------------------------------------------------------------ what sinks receive

    @Test
    void encodesTheEventAsOneJsonLine() {
        EventSlot slot = slot("{\"value\":42,\"tags\":[\"a\"]}");
        assertEquals("{\"id\":\"e-1\",\"type\":\"metric\",\"source\":\"web-1\",\"timestamp\":500,"
            + "\"receivedAt\":1000,\"data\":{\"value\":42,\"tags\":[\"a\"]}}", JsonTape.encode(slot));
    }

    @Test
    void textFieldsKeepNonAsciiAndAreEscaped() {
        EventSlot slot = new EventSlot(VALUE, 4096, 65536);
        char[] source = "xx capteur-é \"1\" xx".toCharArray();
        slot.begin(null, 0, 1L, 0L).type("mesure-\uD83D\uDE80").source(source, 3, source.length - 6).id("id\\1");
        assertEquals("mesure-\uD83D\uDE80", slot.type());
        assertEquals("capteur-é \"1\"", slot.source());
        assertEquals("id\\1", slot.id());
        assertTrue(JsonTape.encode(slot).startsWith(
            "{\"id\":\"id\\\\1\",\"type\":\"mesure-\uD83D\uDE80\",\"source\":\"capteur-é \\\"1\\\"\","));
    }

    @Test
    void setMutationsAreSeenBySinks() {
        EventSlot slot = slot("{\"a\":1}");
        slot.set(FieldPath.of("b.c"), "x").set(FieldPath.of("a"), true).set(FieldPath.of("d"), 2L)
            .set(FieldPath.of("e"), 0.5);
        assertEquals("{\"a\":true,\"b\":{\"c\":\"x\"},\"d\":2,\"e\":0.5}", JsonTape.data(slot));
        slot.remove(FieldPath.of("b")).rename(FieldPath.of("d"), FieldPath.of("dd"));
        assertEquals("{\"a\":true,\"dd\":2,\"e\":0.5}", JsonTape.data(slot));
    }

    @Test
    void viewReadsMembersOfData() {
        EventSlot slot = slot("{\"n\":3,\"s\":\"abc\",\"o\":{\"x\":null}}");
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
        EventSlot slot = slot("{}");
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
        EventSlot slot = slot("{\"value\":1}");
        slot.set(VALUE, "high");
        assertFalse(slot.hasValue());
        slot.set(VALUE, 3L);
        slot.set(VALUE, true);
        assertFalse(slot.hasValue());
    }

    @Test
    void settingTheValuePathToANonFiniteNumberIsNoValue() {
        EventSlot slot = slot("{\"value\":1}");
        slot.set(VALUE, Double.NaN);
        assertFalse(slot.hasValue());
        slot.set(VALUE, Double.POSITIVE_INFINITY);
        assertFalse(slot.hasValue());
        assertEquals("{\"value\":null}", JsonTape.data(slot));
    }

    @Test
    void removingTheValueClearsIt() {
        EventSlot slot = slot("{\"value\":1,\"x\":2}");
        assertTrue(slot.hasValue());
        slot.remove(VALUE);
        assertFalse(slot.hasValue());
        assertEquals("{\"x\":2}", JsonTape.data(slot));
    }

    @Test
    void renamingAMemberOntoTheValuePathMakesItTheValue() {
        EventSlot slot = slot("{\"latency\":12.5}");
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
        EventSlot slot = slot("{\"value\":{\"amount\":5,\"unit\":\"ms\"}}");
        assertFalse(slot.hasValue());
        slot.rename(FieldPath.of("value.amount"), VALUE);
        assertTrue(slot.hasValue());
        assertEquals(5.0, slot.value());
    }

    @Test
    void changingOtherMembersLeavesTheValue() {
        EventSlot slot = slot("{\"value\":3,\"x\":1}");
        slot.set(FieldPath.of("x"), 99.0).remove(FieldPath.of("x")).set(FieldPath.of("y"), "s")
            .rename(FieldPath.of("y"), FieldPath.of("z"));
        assertTrue(slot.hasValue());
        assertEquals(3.0, slot.value());
    }

    @Test
    void removingTheParentOfANestedValuePathClearsTheValue() {
        EventSlot slot = slot("metrics.latency", "{\"metrics\":{\"latency\":9}}");
        assertTrue(slot.hasValue());
        slot.remove(FieldPath.of("metrics"));
        assertFalse(slot.hasValue());
    }

    @Test
    void replacingTheParentOfANestedValuePathClearsTheValue() {
        EventSlot slot = slot("metrics.latency", "{\"metrics\":{\"latency\":9}}");
        slot.set(FieldPath.of("metrics"), 1L);
        assertFalse(slot.hasValue());
    }

    @Test
    void renamingAnObjectOntoTheParentOfANestedValuePathTakesItsValue() {
        EventSlot slot = slot("metrics.latency", "{\"m\":{\"latency\":4}}");
        assertFalse(slot.hasValue());
        slot.rename(FieldPath.of("m"), FieldPath.of("metrics"));
        assertTrue(slot.hasValue());
        assertEquals(4.0, slot.value());
    }

    // ------------------------------------------------------------------ producer side and reuse

    @Test
    void theFirstRejectionWins() {
        EventSlot slot = slot("{}");
        slot.reject(Rejection.TYPE_NOT_STRING).reject(Rejection.SOURCE_NOT_STRING);
        assertEquals(Rejection.TYPE_NOT_STRING, slot.rejection());
        assertEquals("type: must be a string", slot.rejectionMessage());
    }

    @Test
    void anUnknownFieldRejectionNamesTheField() {
        EventSlot slot = slot("{}");
        unknownField(unknownField(slot, "colour"), "other").reject(Rejection.UNKNOWN_FIELD);
        assertEquals("unknown field: colour", slot.rejectionMessage());
    }

    @Test
    void aVeryLongUnknownFieldNameIsCutShort() {
        EventSlot slot = slot("{}");
        unknownField(slot, "f".repeat(10_000)).reject(Rejection.UNKNOWN_FIELD);
        String message = slot.rejectionMessage();
        assertTrue(message.startsWith("unknown field: fff"), message.substring(0, 40));
        assertTrue(message.length() < 100, "message of " + message.length() + " chars");
    }

    @Test
    void beginForgetsThePreviousEvent() {
        EventSlot slot = slot("{\"value\":1,\"a\":{\"b\":2}}");
        unknownField(slot, "x").reject(Rejection.UNKNOWN_FIELD);
        slot.outcome(Outcome.PROCESSED);
        slot.begin(null, 3, 2_000L, 9L);
        assertEquals(Outcome.PENDING, slot.outcome());
        assertNull(slot.rejection());
        assertNull(slot.rejectionMessage());
        assertNull(slot.type());
        assertNull(slot.source());
        assertNull(slot.id());
        assertFalse(slot.hasValue());
        assertEquals(0, slot.data().size());
        assertEquals(3, slot.requestIndex());
        assertEquals(2_000L, slot.receivedAt());
        assertEquals(9L, slot.arrivalNanos());
        slot.type("log").source("s");
        assertEquals("log", slot.type());
        assertEquals("{\"id\":\"\",\"type\":\"log\",\"source\":\"s\",\"timestamp\":0,\"receivedAt\":2000,\"data\":{}}",
            JsonTape.encode(slot));
    }

    @Test
    void aVoidSlotIsVoidUntilBegun() {
        EventSlot slot = new EventSlot(VALUE, 16, 256);
        assertTrue(slot.isVoid());
        slot.begin(null, 0, 1L, 0L);
        assertFalse(slot.isVoid());
        slot.markVoid();
        assertTrue(slot.isVoid());
        assertNull(slot.request());
    }

    @Test
    void overLongTextIsMeasuredNotStored() {
        EventSlot slot = new EventSlot(VALUE, 16, 256);
        slot.begin(null, 0, 1L, 0L).type("t".repeat(129)).source("s".repeat(257)).id("i".repeat(257));
        assertNull(slot.type());
        assertNull(slot.source());
        assertNull(slot.id());
        assertEquals(129, slot.typeChars());
        assertEquals(257, slot.sourceChars());
        assertEquals(257, slot.idChars());
    }
}
