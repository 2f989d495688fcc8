package io.streamprocessor.config.expr;

import io.streamprocessor.config.TestEvents;
import io.streamprocessor.engine.event.MutableEvent;
import io.streamprocessor.engine.pipeline.EventFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conditions against a table of events, missing members, nulls and wrong types included. */
class ExpressionsTest {
    private static final String EVENT = """
        {"value": 42, "neg": -3, "zero": 0, "ratio": 0.25, "text": "42", "level": "debug", "nothing": null,
         "flag": true, "off": false, "user": {"id": "u-7", "age": 31}, "list": [1, 2], "copy": 42,
         "uni": "h\\u00e9llo w\\u00f6rld", "emoji": "\\ud83d\\ude00!",
         "user-agent": "curl/8", "http": {"status-code": 503}}""";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "=>", textBlock = """
        data.value > 0                                   => true
        data.value > 42                                  => false
        data.value >= 42                                 => true
        data.value == 42                                 => true
        data.value != 42                                 => false
        data.value < 100 && data.value > 10              => true
        0 < data.value                                   => true
        -data.neg == 3                                   => true
        data.ratio * 4 == 1                              => true
        data.value / 0 > 0                               => false
        data.value % 5 == 2                              => true
        data.value + data.neg == 39                      => true
        abs(data.neg) == 3 && min(data.value, 7) == 7    => true
        round(2.5) == 3 && round(-2.5) == -3 && floor(data.ratio) == 0 && ceil(data.ratio) == 1 => true
        round(0.49999999999999994) == 0 && round(-0.49999999999999994) == 0 => true
        round(4503599627370497) == 4503599627370497 && round(-4503599627370497) == -4503599627370497 => true
        max(data.missing, 1) > 0                         => false
        data.missing > 0                                 => false
        data.missing < 0                                 => false
        data.missing == 0                                => false
        data.missing != 0                                => false
        !(data.missing > 0)                              => true
        data.nothing > 0                                 => false
        data.nothing == null                             => true
        data.nothing != null                             => false
        data.value != null                               => true
        data.missing == null                             => false
        data.missing != null                             => false
        data.text > 0                                    => false
        data.text == 42                                  => false
        data.text != 42                                  => false
        data.value == "42"                               => false
        data.text == "42"                                => true
        data.user > 0                                    => false
        data.list == 1                                   => false
        data.user.age > 30                               => true
        data.user.id == "u-7"                            => true
        data.user.id.startsWith("u-")                    => true
        data.user.missing.deeper == 1                    => false
        data.value.deeper == 1                           => false
        type == "metric"                                 => true
        type != "metric"                                 => false
        "metric" == type                                 => true
        type == "metric" && source.startsWith("web-")    => true
        source.endsWith("-1") && source.contains("eb")   => true
        source.startsWith("api")                         => false
        type in ["log", "metric"]                        => true
        type in ["log", "trace"]                         => false
        data.level in ["debug", "trace"]                 => true
        data.value in [1, 42]                            => true
        data.missing in [1, 42]                          => false
        data.level == "debug"                            => true
        data.level != "debug"                            => false
        data.level != "info"                             => true
        data.missing != "info"                           => false
        data.level.contains("bug")                       => true
        data.text.contains("2l")                         => false
        data.level.endsWith("bug")                       => true
        data.value.startsWith("4")                       => false
        has(data.userId)                                 => false
        has(data.user)                                   => true
        has(data.user.id)                                => true
        has(data.nothing)                                => true
        data.flag                                        => true
        data.off                                         => false
        !data.off                                        => true
        data.missing                                     => false
        !data.missing                                    => true
        data.value                                       => false
        data.flag == true                                => true
        data.flag != true                                => false
        data.off == false                                => true
        data.off != true                                 => true
        data.value == true                               => false
        data.value != true                               => false
        data.copy == data.value                          => true
        data.copy != data.value                          => false
        data.text == data.value                          => false
        data.text != data.value                          => false
        data.missing == data.value                       => false
        data.level == data.level                         => true
        data.flag == data.flag                           => true
        data.nothing == data.nothing                     => true
        data.uni == "héllo wörld"                        => true
        data.uni.contains("wö")                          => true
        data.emoji.startsWith("😀")                      => true
        data.level == type                               => false
        type == type                                     => true
        (data.value > 100 ? "big" : "small") == "small"  => true
        (data.value > 0 ? data.value : 0) == 42          => true
        (data.value > 0 ? data.missing : data.flag) == false => false
        (data.value > 0 ? data.missing : data.flag) != true  => false
        (data.value > 0 ? data.off : data.flag) == false => true
        (data.value > 0 ? data.text : data.flag) == data.text => true
        (data.value < 0 ? data.value : data.text) == data.text => true
        data.emoji.startsWith("\\ud83d\\ude00")       => true
        (data.missing > 0 || data.value > 0) && !(data.level == "info") => true
        timestamp == 1699999999000                       => true
        receivedAt > timestamp                           => true
        true                                             => true
        data["user-agent"].startsWith("curl")            => true
        data.http["status-code"] >= 500                  => true
        data["http"]["status-code"] == 503               => true
        1 < 2 && "a" != "b"                              => true
        null == null                                     => true
        1e3 == 1000 && 2.5E-1 == 0.25                    => true
        """)
    void conditionOnTheEvent(String expression, boolean expected) {
        MutableEvent e = TestEvents.data(EVENT);
        EventFilter f = Expressions.condition(expression);
        assertEquals(expected, f.test(e), expression);
        assertEquals(expected, f.test(e), "evaluating twice gives the same answer: " + expression);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', textBlock = """
        data.value > 0            | {}                       | false
        data.value > 0            | {"value": null}          | false
        data.value > 0            | {"value": "12"}          | false
        data.value > 0            | {"value": true}          | false
        data.value > 0            | {"value": [1]}           | false
        data.value > 0            | {"value": {"x": 1}}      | false
        data.value > 0            | {"value": 0.0001}        | true
        data.value > 0            | {"value": -1}            | false
        data.level == "debug"     | {"level": 5}             | false
        data.level == "debug"     | {"level": "debugger"}    | false
        data.level == "debug"     | {"lev": "debug"}         | false
        has(data.userId)          | {"userId": null}         | true
        has(data.userId)          | {"user": {"Id": 1}}      | false
        data.a.b == 1             | {"a": {"b": 1}}          | true
        data.a.b == 1             | {"a": [1]}               | false
        data.a.b == 1             | {"b": 1, "a": {"c": {"b": 1}}} | false
        data.a == data.b          | {"a": "xy", "b": "yx"}   | false
        data.a != data.b          | {"a": "xy", "b": "yx"}   | true
        """)
    void missingNullAndWrongTypesAreFalseNeverExceptions(String expression, String data, boolean expected) {
        assertEquals(expected, Expressions.condition(expression).test(TestEvents.data(data)));
    }

    /** Positions are what the user reads: "... (at character 13 of "data.value >> 0")". */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        data.value >> 0            | 13 | expected a value
        data.value > 0 &&          | 18 | expected a value
        data.value = 0             | 12 | compare with ==
        data.value > 0 & true      | 16 | 'and' is written &&
        value > 0                  | 1  | unknown name 'value'
        data > 0                   | 1  | data is an object
        type > 0                   | 6  | cannot compare a string with a number
        type < "m"                 | 6  | strings compare with == and != only
        type                       | 1  | type is a string, not a condition; compare it, e.g. type == "metric"
        timestamp                  | 1  | timestamp is a number, not a condition; compare it, e.g. timestamp > 0
        5                          | 1  | 5 is a number, not a condition; compare it, e.g. ... > 0
        "x" && true                | 1  | "x" is a string, not a condition
        null && true               | 1  | null is null, not a condition
        data.value + 1             | 12 | the expression at character 12 is a number, not a condition; compare it, e.g. ... > 0
        type + 1 > 0               | 1  | type is a string, not a number; + works on numbers only
        true + 1 > 0               | 1  | true is a condition (true or false), not a number; + works on numbers only
        -type > 0                  | 2  | type is a string, not a number; arithmetic works on numbers only
        1.startsWith("a")          | 3  | startsWith() is a method of strings, not of a number
        "abc                       | 1  | string not closed
        data.x == "ab\\            | 11 | string not closed
        data.x == "\\u1234         | 11 | string not closed
        data.x == "\\u12"          | 12 | \\u needs four hex digits
        data.x == "\\uzzzz"        | 12 | \\u needs four hex digits
        foo(data.x)                | 1  | unknown function foo()
        source.matches("x")        | 8  | unknown method matches()
        has(type)                  | 1  | has() takes one member of data
        has(data.a, data.b)        | 1  | has() takes one member of data
        min(1) > 0                 | 1  | min() takes 2 arguments, got 1
        min() > 0                  | 1  | min() takes 2 arguments, got 0
        type == null               | 6  | only members of data can be null
        data.x < null              | 8  | null can only be compared with == or !=
        1 < 2 < 3                  | 7  | comparisons do not chain
        data.x in ["a", 1]         | 17 | only strings or only numbers
        data.x in [data.y]         | 12 | the elements of an 'in' list must be numbers or strings
        type in [1, 2]             | 6  | cannot look for a string in a list of numbers
        (data.x > 1                | 12 | expected ')' to close the '(' at character 1, found the end
        data.x > 1 ? 1 : "a"       | 12 | the branches of ?: differ
        data.value 0               | 12 | unexpected the number 0 after a complete expression; an operator such as &&
        data.value x               | 12 | unexpected 'x' after a complete expression; an operator such as &&
        data.value "x"             | 12 | unexpected a string after a complete expression; an operator such as &&
        data.x "?" data.y : data.z | 8  | unexpected a string after a complete expression
        type.x == 1                | 1  | type has no members
        data.x > 1x                | 11 | a number cannot be followed by 'x'
        data.x > 1e                | 11 | a number cannot be followed by 'e'
        data.x > 1e+               | 11 | a number cannot be followed by 'e'
        data.x > 1.                | 12 | expected a method name after '.', found the end
        data[1] > 0                | 6  | expected a member name in quotes after '['
        data["a.b"] > 0            | 6  | names cannot be empty or contain '.'
        data["a" > 0               | 10 | expected ']' to close the '['
        "a\\q" == data.x           | 3  | unknown escape
        data.x == "\\ud83d"        | 11 | half of a surrogate pair
        data.x == "\\ude00\\ud83d" | 11 | half of a surrogate pair
        """)
    void mistakesAreReportedAtCompileTimeWithTheirPosition(String expression, int position, String message) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> Expressions.condition(expression));
        assertTrue(e.getMessage().contains(message), () -> "'" + e.getMessage() + "' should contain '" + message + "'");
        assertEquals(position, e.position(), () -> "position of the mistake in " + expression + ": " + e.getMessage());
    }

    @Test
    void aStrayTokenGetsTheOperatorHintOnlyWhenAnOperatorIsMissing() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> Expressions.condition("data.x > 1)"));
        assertEquals("unexpected ')' after a complete expression", e.getMessage());
        assertEquals(11, e.position());
    }
}
