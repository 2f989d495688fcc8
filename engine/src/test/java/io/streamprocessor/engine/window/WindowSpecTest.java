package io.streamprocessor.engine.window;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowSpecTest {

    @Test
    void sizeNotAMultipleOfSlideIsRejectedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new WindowSpec(60_000, 7_000, 300_000));
        assertTrue(e.getMessage().contains("60000"), e.getMessage());
        assertTrue(e.getMessage().contains("7000"), e.getMessage());
    }

    @Test
    void slideLargerThanSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(10_000, 60_000, 0));
    }

    @Test
    void equalSizeAndSlideIsTumblingWithOnePanePerWindow() {
        WindowSpec spec = new WindowSpec(10_000, 10_000, 0);
        assertTrue(spec.isTumbling());
        assertEquals(1, spec.panesPerWindow());
    }

    @Test
    void slidingSpecCountsPanesPerWindow() {
        WindowSpec spec = new WindowSpec(60_000, 10_000, 300_000);
        assertFalse(spec.isTumbling());
        assertEquals(6, spec.panesPerWindow());
    }

    @Test
    void defaultsAreSixtySecondWindowsEveryTenSecondsKeptFiveMinutes() {
        assertEquals(new WindowSpec(60_000, 10_000, 300_000), WindowSpec.defaults());
    }

    @Test
    void zeroOrNegativeSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(-10, 10, 0));
    }

    @Test
    void zeroOrNegativeSlideIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(10, -5, 0));
    }

    @Test
    void negativeRetentionIsRejectedButZeroIsAllowed() {
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(10, 10, -1));
        assertEquals(0, new WindowSpec(10, 10, 0).retentionMillis());
    }

    @Test
    void tooManyPanesForTheSlideIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(1_000_000, 1, 0));
    }

    @Test
    void aWindowOfAtMostOneHundredThousandSlidesIsAccepted() {
        assertEquals(100_000, new WindowSpec(100_000, 1, 0).panesPerWindow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WindowSpec(100_001, 1, 0));
        assertTrue(e.getMessage().contains("too many panes"), e.getMessage());
    }

    @Test
    void sizeAndRetentionTogetherMayHoldAtMostTenMillionSlides() {
        assertEquals(9_999_000, new WindowSpec(1_000, 1, 9_999_000).retentionMillis());
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(1_000, 1, 9_999_001));
        // the size counts as well as the retention: 9,950,000 ms kept past 100,000 ms windows is too much
        assertThrows(IllegalArgumentException.class, () -> new WindowSpec(100_000, 1, 9_950_000));
    }
}
