package io.streamprocessor.transport.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test parser refuses what the formats forbid, so a scrape it accepts is well-formed. */
class ExpositionTest {
    private static final String GOOD = """
        # HELP a_total A counter, with \\\\ and \\n in its help.
        # TYPE a_total counter
        a_total{k="v \\"quoted\\" \\\\ \\n"} 3.0
        # TYPE h histogram
        h_bucket{le="0.1"} 1
        h_bucket{le="+Inf"} 2
        h_count 2
        h_sum 0.5
        """;

    @Test
    void aWellFormedExpositionParsesWithItsValuesAndEscapes() {
        Exposition e = Exposition.parseText(GOOD);
        assertEquals(3.0, e.value("a_total", "k", "v \"quoted\" \\ \n"));
        assertEquals("A counter, with \\ and \n in its help.", e.families.get("a_total").help);
        assertEquals(2.0, e.value("h_bucket", "le", "+Inf"));
    }

    @Test
    void whatTheTextFormatForbidsIsRefused() {
        for (String bad : new String[] {
            "a_total 1\n",                                                          // no TYPE before it
            "# TYPE a_total counter\na_total 1",                                    // no final line feed
            "# TYPE a_total counter\na_total 1\na_total 2\n",                       // repeated series
            "# TYPE a_total counter\na_total{k=\"1\"} 1\n# TYPE b gauge\nb 1\na_total{k=\"2\"} 1\n", // split family
            "# TYPE a_total counter\n# TYPE a_total counter\na_total 1\n",          // second TYPE
            "# TYPE a counter\na 1\n",                                              // counter without _total
            "# TYPE a_total counter\na_total -1\n",                                 // negative counter
            "# TYPE g gauge\ng{1k=\"v\"} 1\n",                                      // bad label name
            "# TYPE g gauge\ng{k=\"v\\x\"} 1\n",                                    // bad escape
            "# TYPE g gauge\ng one\n",                                              // bad value
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n", // not cumulative
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 0\n",        // no +Inf
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 0\n",     // +Inf is not _count
        }) {
            assertThrows(IllegalArgumentException.class, () -> Exposition.parseText(bad), bad);
        }
    }

    @Test
    void whatOpenMetricsForbidsIsRefused() {
        String good = "# TYPE a counter\n# UNIT a_seconds seconds\na_total 1\n# EOF\n";
        assertThrows(IllegalArgumentException.class, () -> Exposition.parseOpenMetrics(good), "UNIT of another family");
        Exposition.parseOpenMetrics("# TYPE a_seconds counter\n# UNIT a_seconds seconds\na_seconds_total 1\n# EOF\n");
        for (String bad : new String[] {
            "# TYPE a counter\na_total 1\n",                                        // no # EOF
            "# TYPE a counter\na_total 1\n# EOF\n\n",                               // something after # EOF
            "# TYPE a counter\na 1\n# EOF\n",                                       // counter sample without _total
            "# TYPE a counter\n\na_total 1\n# EOF\n",                               // empty line
            "# TYPE a_bytes gauge\n# UNIT a_bytes seconds\na_bytes 1\n# EOF\n",     // UNIT not the name's suffix
            "# a comment\n# EOF\n",                                                 // no comments in OpenMetrics
        }) {
            assertThrows(IllegalArgumentException.class, () -> Exposition.parseOpenMetrics(bad), bad);
        }
    }
}
