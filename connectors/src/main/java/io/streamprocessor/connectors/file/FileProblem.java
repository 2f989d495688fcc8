package io.streamprocessor.connectors.file;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * A failed file operation in words about the file, for {@code /stats} and standard error: the
 * JDK's exceptions carry only a path (a missing file) or the system's terse reason, and their class
 * names mean nothing to an operator. Stateless.
 */
final class FileProblem {
    private FileProblem() {
    }

    /** An exception saying {@code doing} (e.g. "cannot write to file out/events.ndjson") failed, and why. */
    static IOException of(String doing, Throwable cause) {
        return new IOException(doing + ": " + reason(cause), cause);
    }

    /** Why an operation failed, in words. */
    static String reason(Throwable e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied on " + a.getFile();
        }
        if (e instanceof FileAlreadyExistsException a) {
            return a.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException a) {
            return a.getFile() + " does not exist";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String reason = f.getReason();
            String lower = Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
            return f.getFile() != null ? lower + " (" + f.getFile() + ")" : lower;
        }
        String m = e.getMessage();
        return m != null && !m.isBlank() ? m : "an input/output error";
    }
}
