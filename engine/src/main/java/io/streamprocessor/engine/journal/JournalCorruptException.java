package io.streamprocessor.engine.journal;

import java.io.IOException;

/** The journal holds a damaged record that is not its last, and start-up was told to stop on one. */
public final class JournalCorruptException extends IOException {
    public JournalCorruptException(String message) {
        super(message);
    }
}
