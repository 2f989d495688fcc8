package io.streamprocessor.config.expr;

import io.streamprocessor.config.TestEvents;
import io.streamprocessor.engine.event.MutableEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transforms that set members of data to the value of an expression. */
class AssignmentTest {
    @ParameterizedTest(name = "{0} = {1} on {2}")
    @CsvSource(delimiter = '|', textBlock = """
        normalized       | data.value / 100                       | {"value": 125}          | {"value":125,"normalized":1.25}
        data.normalized  | data.value / 100                       | {"value": 200}          | {"value":200,"normalized":2}
        normalized       | data.value / 100                       | {}                      | {}
        normalized       | data.value / 100                       | {"value": "x"}          | {"value":"x"}
        normalized       | data.value / 0                         | {"value": 1}            | {"value":1}
        kind             | type                                   | {}                      | {"kind":"metric"}
        level            | data.value > 100 ? "high" : "low"      | {"value": 150}          | {"value":150,"level":"high"}
        slow             | data.ms > 250                          | {"ms": 300}             | {"ms":300,"slow":true}
        slow             | data.ms > 250                          | {}                      | {"slow":false}
        user.name        | data.login                             | {"login": "ann"}        | {"login":"ann","user":{"name":"ann"}}
        copy             | data.flag                              | {"flag": false}         | {"flag":false,"copy":false}
        copy             | data.n                                 | {"n": 2.5}              | {"n":2.5,"copy":2.5}
        copy             | data.o                                 | {"o": {"a": 1}}         | {"o":{"a":1}}
        value            | data.value * 2                         | {"value": 21}           | {"value":42}
        label            | "v1"                                   | {"label": {"x": 1}}     | {"label":"v1"}
        n                | data.v * -1                            | {"v": 4503599627370497} | {"v":4503599627370497,"n":-4503599627370497}
        n                | data.v + 0                             | {"v": 9007199254740992} | {"v":9007199254740992,"n":9007199254740992}
        n                | data.v * 2                             | {"v": 9007199254740992} | {"v":9007199254740992,"n":1.8014398509481984E16}
        """)
    void setsTheMember(String target, String expression, String data, String expected) {
        MutableEvent e = TestEvents.data(data);
        Expressions.assignment(target, expression).apply(e);
        assertEquals(expected, TestEvents.dataJson(e));
    }

    @Test
    void settingTheValuePathChangesTheAggregatedValue() {
        MutableEvent e = TestEvents.data("{\"value\": 21}");
        Expressions.assignment("value", "data.value * 2").apply(e);
        assertTrue(e.hasValue());
        assertEquals(42.0, e.value());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
        type          | "x"                 | 'type' is a field of the event
        a..b          | 1                   | is not a member path
        x             | null                | use a remove step
        x             | c ? data.a : data.b | unknown name 'c'
        x             | data.a > 0 ? data.a : data.b | cannot tell whether this gives a number or a string
        """)
    void refusesWhatCannotBeSet(String target, String expression, String message) {
        ExpressionException e = assertThrows(ExpressionException.class,
            () -> Expressions.assignment(target, expression));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
