package io.streamprocessor.perf.journal;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a mapping now rather than when the collector finds it, through {@code sun.misc.Unsafe}
 * ({@code jdk.unsupported}, open on Java 17 without flags; Agrona 2's {@code IoUtil.unmap} goes
 * through {@code jdk.internal.misc.Unsafe} and needs {@code --add-exports}).
 */
final class Unmap {
    private static final sun.misc.Unsafe UNSAFE;

    static {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            UNSAFE = (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Unmap() {
    }

    static void unmap(MappedByteBuffer map) {
        UNSAFE.invokeCleaner(map);
    }
}
