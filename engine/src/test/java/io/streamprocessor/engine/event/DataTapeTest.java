package io.streamprocessor.engine.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataTapeTest {
    private final EventRecord slot = new EventRecord(FieldPath.of("value"), 4096, 65536);

    /** The slot's tape holding {@code json}; mutations are checked through the JSON sinks receive. */
    private DataTape tape(String json) {
        JsonTape.write(slot.begin(1L).data(), json);
        return slot.data;
    }

    private String json() {
        return JsonTape.data(slot.view());
    }

    private static FieldPath path(String p) {
        return FieldPath.of(p);
    }

    // ------------------------------------------------------------------ encoding round trip

    @Test
    void writtenDataIsEncodedBackUnchanged() {
        String json = "{\"a\":1,\"b\":-2.5,\"c\":\"x\",\"d\":true,\"e\":false,\"f\":null,"
            + "\"g\":[1,[2,3],{\"h\":[]}],\"i\":{},\"j\":{\"k\":{\"l\":1e3}}}";
        tape(json);
        assertEquals(json, json());
    }

    @Test
    void emptyTapeEncodesAsAnEmptyObject() {
        slot.begin(1L);
        assertEquals("{}", json());
    }

    @Test
    void stringsAreEscapedOnEncoding() {
        tape("{\"q\\\"uote\":\"back\\\\slash \\\"x\\\" \\n\\u0001 é 传 \uD83D\uDE80\"}");
        assertEquals("{\"q\\\"uote\":\"back\\\\slash \\\"x\\\" \\u000a\\u0001 é 传 \uD83D\uDE80\"}", json());
    }

    // ------------------------------------------------------------------ find

    @Test
    void findsANestedMember() {
        DataTape d = tape("{\"a\":{\"x\":0,\"b\":{\"c\":5}}}");
        int t = d.find(path("a.b.c"));
        assertEquals(DataTape.INTEGER, d.kind(t));
        assertEquals(5, d.longValue(t));
    }

    @Test
    void findMatchesOnlyTopLevelMembersNotSameNamedNestedOnes() {
        DataTape d = tape("{\"x\":{\"value\":1},\"arr\":[{\"value\":2}],\"value\":3}");
        assertEquals(3.0, d.doubleValue(d.find(path("value"))));
        assertEquals(1.0, d.doubleValue(d.find(path("x.value"))));
    }

    @Test
    void findAcceptsTheDataPrefix() {
        DataTape d = tape("{\"value\":7}");
        assertEquals(d.find(path("value")), d.find(path("data.value")));
    }

    @Test
    void missingMemberIsNotFound() {
        DataTape d = tape("{\"a\":{\"b\":1}}");
        assertEquals(-1, d.find(path("c")));
        assertEquals(-1, d.find(path("a.c")));
        assertEquals(-1, d.find(path("a.b.c")));
        assertEquals(-1, d.find(path("ab")));
    }

    @Test
    void aPathThroughANonObjectIsNotFound() {
        DataTape d = tape("{\"a\":5,\"s\":\"text\",\"arr\":[{\"b\":1}]}");
        assertEquals(-1, d.find(path("a.b")));
        assertEquals(-1, d.find(path("s.b")));
        assertEquals(-1, d.find(path("arr.b")));
    }

    @Test
    void nothingIsFoundOnAnEmptyTape() {
        slot.begin(1L);
        assertEquals(-1, slot.data.find(path("value")));
    }

    @Test
    void textComparisonsMatchUtf8() {
        DataTape d = tape("{\"s\":\"héllo-world\"}");
        int t = d.find(path("s"));
        assertEquals("héllo-world", d.text(t));
        assertTrue(d.textEquals(t, "héllo-world".getBytes(StandardCharsets.UTF_8)));
        assertFalse(d.textEquals(t, "héllo".getBytes(StandardCharsets.UTF_8)));
        assertTrue(d.textStartsWith(t, "hél".getBytes(StandardCharsets.UTF_8)));
        assertTrue(d.textEndsWith(t, "-world".getBytes(StandardCharsets.UTF_8)));
        assertFalse(d.textEndsWith(t, "hello".getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ set

    @Test
    void settingAnExistingScalarReplacesItInPlace() {
        DataTape d = tape("{\"a\":1,\"b\":\"x\",\"c\":3}");
        d.setScalar(path("b"), DataTape.INTEGER, 42);
        assertEquals("{\"a\":1,\"b\":42,\"c\":3}", json());
        assertEquals(3, d.fieldCount());
    }

    @Test
    void settingAnExistingObjectReplacesTheWholeSubtree() {
        DataTape d = tape("{\"a\":{\"x\":1,\"y\":{\"z\":[1,2]}},\"b\":2}");
        d.setScalar(path("a"), DataTape.TRUE, 0);
        assertEquals("{\"a\":true,\"b\":2}", json());
        assertEquals(2, d.fieldCount());
        assertEquals(2.0, d.doubleValue(d.find(path("b"))));
    }

    @Test
    void settingANewMemberAppendsIt() {
        DataTape d = tape("{\"a\":1}");
        d.setString(path("b"), "two");
        assertEquals("{\"a\":1,\"b\":\"two\"}", json());
        assertEquals(2, d.fieldCount());
    }

    @Test
    void settingOnAnEmptyTapeCreatesTheDataObject() {
        slot.begin(1L);
        DataTape d = slot.data;
        assertTrue(d.setScalar(path("x"), DataTape.INTEGER, 1) >= 0);
        assertEquals("{\"x\":1}", json());
        assertEquals(1, d.fieldCount());
        assertEquals(1, d.maxDepth());
        assertFalse(d.malformed());
    }

    @Test
    void settingADeepPathCreatesTheMissingParents() {
        DataTape d = tape("{}");
        d.setScalar(path("a.b.c"), DataTape.INTEGER, 1);
        assertEquals("{\"a\":{\"b\":{\"c\":1}}}", json());
        assertEquals(3, d.fieldCount());
        assertEquals(3, d.maxDepth());
        assertEquals(1, d.longValue(d.find(path("a.b.c"))));
    }

    @Test
    void settingADeepPathReusesTheParentsThatExist() {
        DataTape d = tape("{\"a\":{\"x\":1},\"z\":0}");
        d.setScalar(path("a.b.c"), DataTape.NULL, 0);
        assertEquals("{\"a\":{\"x\":1,\"b\":{\"c\":null}},\"z\":0}", json());
        d.setString(path("a.b.d"), "s");
        assertEquals("{\"a\":{\"x\":1,\"b\":{\"c\":null,\"d\":\"s\"}},\"z\":0}", json());
        assertEquals(6, d.fieldCount());
        assertEquals(0, d.longValue(d.find(path("z"))));
    }

    @Test
    void settingThroughANonObjectFailsAndChangesNothing() {
        DataTape d = tape("{\"a\":5}");
        assertEquals(-1, d.setScalar(path("a.b"), DataTape.INTEGER, 1));
        assertEquals("{\"a\":5}", json());
        assertEquals(1, d.fieldCount());
    }

    @Test
    void settingAFloatWithoutTextEncodesItsValue() {
        DataTape d = tape("{\"v\":1.50}");
        assertEquals("{\"v\":1.50}", json(), "a number written as text keeps its text");
        d.setScalar(path("v"), DataTape.FLOAT, Double.doubleToRawLongBits(0.25));
        assertEquals("{\"v\":0.25}", json());
        d.setScalar(path("v"), DataTape.FLOAT, Double.doubleToRawLongBits(3.0));
        assertEquals("{\"v\":3}", json());
    }

    @Test
    void settingPastMaxTokensFailsAndKeepsTheData() {
        EventRecord small = new EventRecord(FieldPath.of("value"), 4, 1024);
        JsonTape.write(small.begin(1L).data(), "{\"a\":1}");
        assertFalse(small.data.overflowed());
        assertEquals(-1, small.data.setScalar(path("b"), DataTape.INTEGER, 2));
        assertEquals("{\"a\":1}", JsonTape.data(small.view()));
    }

    // ------------------------------------------------------------------ remove

    @Test
    void removingAMemberKeepsItsSiblingsWellFormed() {
        DataTape d = tape("{\"a\":1,\"b\":{\"c\":[1,{\"d\":2}]},\"e\":3}");
        assertTrue(d.remove(path("b")));
        assertEquals("{\"a\":1,\"e\":3}", json());
        assertEquals(2, d.fieldCount());
        assertTrue(d.remove(path("a")));
        assertEquals("{\"e\":3}", json());
        assertTrue(d.remove(path("e")));
        assertEquals("{}", json());
        assertEquals(0, d.fieldCount());
        assertFalse(d.malformed());
    }

    @Test
    void removingANestedMemberLeavesItsParent() {
        DataTape d = tape("{\"a\":{\"b\":1,\"c\":2},\"z\":true}");
        assertTrue(d.remove(path("a.b")));
        assertEquals("{\"a\":{\"c\":2},\"z\":true}", json());
        assertEquals(-1, d.find(path("a.b")));
        assertEquals(DataTape.TRUE, d.kind(d.find(path("z"))));
    }

    @Test
    void removingAMissingMemberChangesNothing() {
        DataTape d = tape("{\"a\":1}");
        assertFalse(d.remove(path("b")));
        assertFalse(d.remove(path("a.b")));
        assertEquals("{\"a\":1}", json());
    }

    // ------------------------------------------------------------------ rename

    @Test
    void renamingWithinTheSameParentKeepsThePosition() {
        DataTape d = tape("{\"a\":1,\"b\":{\"x\":[2]},\"c\":3}");
        assertTrue(d.rename(path("b"), path("bee")));
        assertEquals("{\"a\":1,\"bee\":{\"x\":[2]},\"c\":3}", json());
        assertEquals(4, d.fieldCount());
        assertEquals(-1, d.find(path("b")));
    }

    @Test
    void renamingOntoAnExistingMemberReplacesIt() {
        DataTape d = tape("{\"a\":1,\"b\":{\"old\":true}}");
        assertTrue(d.rename(path("a"), path("b")));
        assertEquals("{\"b\":1}", json());
        assertEquals(1, d.fieldCount());
    }

    @Test
    void renamingToItselfChangesNothing() {
        DataTape d = tape("{\"a\":1}");
        assertTrue(d.rename(path("a"), path("a")));
        assertEquals("{\"a\":1}", json());
    }

    @Test
    void renamingAMissingMemberChangesNothing() {
        DataTape d = tape("{\"a\":1}");
        assertFalse(d.rename(path("b"), path("c")));
        assertEquals("{\"a\":1}", json());
    }

    @Test
    void renamingAScalarIntoAnotherObjectMovesIt() {
        DataTape d = tape("{\"a\":1,\"o\":{\"k\":0}}");
        assertTrue(d.rename(path("a"), path("o.a")));
        assertEquals("{\"o\":{\"k\":0,\"a\":1}}", json());
        assertEquals(3, d.fieldCount());
        assertEquals(1, d.longValue(d.find(path("o.a"))));
    }

    @Test
    void renamingAnObjectForwardIntoAnotherParentMovesTheSubtree() {
        DataTape d = tape("{\"src\":{\"x\":1,\"y\":[1,{\"z\":\"s\"}]},\"dst\":{\"k\":0},\"tail\":9}");
        assertTrue(d.rename(path("src"), path("dst.moved")));
        assertEquals("{\"dst\":{\"k\":0,\"moved\":{\"x\":1,\"y\":[1,{\"z\":\"s\"}]}},\"tail\":9}", json());
        assertEquals(7, d.fieldCount());
        assertEquals(1, d.longValue(d.find(path("dst.moved.x"))));
        assertEquals(9, d.longValue(d.find(path("tail"))));
        assertFalse(d.malformed());
    }

    @Test
    void renamingAnObjectBackwardIntoAnEarlierParentMovesTheSubtree() {
        DataTape d = tape("{\"dst\":{},\"mid\":true,\"src\":{\"x\":{\"y\":1},\"w\":2}}");
        assertTrue(d.rename(path("src"), path("dst.s")));
        assertEquals("{\"dst\":{\"s\":{\"x\":{\"y\":1},\"w\":2}},\"mid\":true}", json());
        assertEquals(6, d.fieldCount());
        assertEquals(1, d.longValue(d.find(path("dst.s.x.y"))));
        assertEquals(DataTape.TRUE, d.kind(d.find(path("mid"))));
    }

    @Test
    void renamingANestedMemberToTheTopLevelMovesIt() {
        DataTape d = tape("{\"a\":{\"b\":{\"c\":1},\"d\":2}}");
        assertTrue(d.rename(path("a.b"), path("b")));
        assertEquals("{\"a\":{\"d\":2},\"b\":{\"c\":1}}", json());
        assertEquals(4, d.fieldCount());
    }

    @Test
    void renamingToAPathWithMissingParentsCreatesThem() {
        DataTape d = tape("{\"a\":[1,2]}");
        assertTrue(d.rename(path("a"), path("x.y.a")));
        assertEquals("{\"x\":{\"y\":{\"a\":[1,2]}}}", json());
        assertEquals(3, d.fieldCount());
    }

    @Test
    void renamingANestedMemberOntoItsParentReplacesTheParent() {
        DataTape d = tape("{\"value\":{\"amount\":5,\"unit\":\"ms\"},\"k\":1}");
        assertTrue(d.rename(path("value.amount"), path("value")));
        assertEquals("{\"value\":5,\"k\":1}", json());
        assertEquals(2, d.fieldCount());
        assertEquals(5, d.longValue(d.find(path("value"))));
        assertFalse(d.malformed());
    }

    @Test
    void renamingADeepMemberOntoAnAncestorReplacesTheAncestor() {
        DataTape d = tape("{\"a\":{\"p\":0,\"b\":{\"c\":{\"d\":[1]},\"q\":1}},\"k\":{\"r\":2}}");
        assertTrue(d.rename(path("a.b.c"), path("a")));
        assertEquals("{\"a\":{\"d\":[1]},\"k\":{\"r\":2}}", json());
        assertEquals(4, d.fieldCount());
        assertEquals(2, d.longValue(d.find(path("k.r"))));
    }

    @Test
    void renamingAMemberIntoItsOwnChildChangesNothing() {
        DataTape d = tape("{\"a\":{\"x\":1},\"k\":1}");
        assertFalse(d.rename(path("a"), path("a.b")));
        assertFalse(d.rename(path("a"), path("a.x")));
        assertEquals("{\"a\":{\"x\":1},\"k\":1}", json());
        assertEquals(3, d.fieldCount());
    }

    @Test
    void renamingThroughANonObjectFailsAndKeepsTheMember() {
        DataTape d = tape("{\"a\":1,\"n\":5}");
        assertFalse(d.rename(path("a"), path("n.a")));
        assertEquals("{\"a\":1,\"n\":5}", json());
    }

    // ------------------------------------------------------------------ counts, bounds, well-formedness

    @Test
    void fieldCountCountsMembersAtEveryDepth() {
        DataTape d = tape("{\"a\":1,\"b\":{\"c\":2,\"d\":{\"e\":3}},\"f\":[{\"g\":1},{\"h\":2}]}");
        assertEquals(8, d.fieldCount());
    }

    @Test
    void depthCountsTheDataObjectAsOneAndArraysAsLevels() {
        assertEquals(1, tape("{}").maxDepth());
        assertEquals(1, tape("{\"a\":1}").maxDepth());
        assertEquals(2, tape("{\"a\":{}}").maxDepth());
        assertEquals(3, tape("{\"a\":[{}]}").maxDepth());
        assertEquals(3, tape("{\"a\":{\"b\":{}},\"c\":{}}").maxDepth());
    }

    @Test
    void exactlyMaxTokensFitsOneMoreOverflows() {
        DataTape d = new DataTape(4, 1024);
        JsonTape.write(d, "{\"a\":1}");
        assertFalse(d.overflowed());
        assertFalse(d.malformed());
        d.reset();
        JsonTape.write(d, "{\"a\":1,\"b\":2}");
        assertTrue(d.overflowed());
    }

    @Test
    void textPastTheArenaBoundOverflows() {
        DataTape d = new DataTape(100, 64);
        JsonTape.write(d, "{\"s\":\"" + "x".repeat(10) + "\"}");
        assertFalse(d.overflowed());
        d.reset();
        JsonTape.write(d, "{\"s\":\"" + "x".repeat(100) + "\"}");
        assertTrue(d.overflowed());
    }

    @Test
    void nestingPastTheOpenContainerBoundOverflows() {
        DataTape d = new DataTape(10_000, 1024);
        JsonTape.write(d, "{\"a\":".repeat(63) + "{}" + "}".repeat(63));
        assertFalse(d.overflowed());
        assertEquals(64, d.maxDepth());
        d.reset();
        JsonTape.write(d, "{\"a\":".repeat(64) + "{}" + "}".repeat(64));
        assertTrue(d.overflowed());
    }

    @Test
    void wellFormedObjectsAreNotMalformed() {
        assertFalse(tape("{}").malformed());
        assertFalse(tape("{\"a\":[1,{\"b\":[]}]}").malformed());
        slot.begin(1L);
        assertFalse(slot.data.malformed(), "an empty tape reads as {}");
    }

    @Test
    void aRootThatIsNotAnObjectIsMalformed() {
        assertTrue(tape("5").malformed());
        assertTrue(tape("\"s\"").malformed());
        assertTrue(tape("[1]").malformed());
        assertTrue(tape("null").malformed());
    }

    @Test
    void unpairedStartsAndEndsAreMalformed() {
        DataTape d = new DataTape(100, 1024);
        DataWriter w = new DataWriter(d);
        w.startObject().name("a").number(1L);
        assertTrue(d.malformed(), "unclosed object");
        d.reset();
        w.endObject();
        assertTrue(d.malformed(), "end without start");
        d.reset();
        w.startObject().name("a").startArray().endObject();
        assertTrue(d.malformed(), "array closed as an object");
        d.reset();
        w.startObject().name("a").startObject().endArray().endObject();
        assertTrue(d.malformed(), "object closed as an array");
    }

    @Test
    void resetMakesTheTapeReusable() {
        DataTape d = new DataTape(100_000, 1 << 20);
        JsonTape.write(d, "{\"a\":{\"b\":{\"c\":1}},\"s\":\"" + "x".repeat(100_000) + "\"}");
        d.startArray();
        d.endObject();
        assertTrue(d.malformed());
        d.reset();
        assertEquals(0, d.size());
        assertEquals(0, d.fieldCount());
        assertEquals(0, d.maxDepth());
        assertFalse(d.malformed());
        assertFalse(d.overflowed());
        assertEquals(-1, d.find(path("a.b.c")));

        StringBuilder big = new StringBuilder("{");
        for (int i = 0; i < 3_000; i++) {
            big.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        JsonTape.write(d, big.append('}').toString());
        assertEquals(3_000, d.fieldCount());
        assertEquals(2_999, d.longValue(d.find(path("k2999"))));
        d.reset();
        JsonTape.write(d, "{\"value\":7}");
        assertEquals(7, d.longValue(d.find(path("value"))));
        assertEquals(1, d.fieldCount());
    }

    @Test
    void overflowIsClearedByReset() {
        DataTape d = new DataTape(3, 1024);
        JsonTape.write(d, "{\"a\":1}");
        assertTrue(d.overflowed());
        d.reset();
        JsonTape.write(d, "{}");
        assertFalse(d.overflowed());
        assertFalse(d.malformed());
    }
}
