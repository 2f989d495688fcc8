package io.streamprocessor.connectors.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * Test helper: the real file, on a disk that holds only {@link #capacity} bytes of it. A write past
 * that writes what fits and then fails with "No space left on device", as a full disk does, so a
 * batch can fail half-written; truncating the file frees the space again. Opens real
 * {@link FileChannel}s and passes every other call through to them.
 */
final class FillingDisk implements NdjsonFileWriter.Opener {
    volatile long capacity;

    FillingDisk(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public FileChannel open(Path path) throws IOException {
        return new Channel(NdjsonFileWriter.DEFAULT_OPENER.open(path));
    }

    private final class Channel extends FileChannel {
        private final FileChannel file;

        Channel(FileChannel file) {
            this.file = file;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            long room = capacity - file.position();
            if (room <= 0) {
                throw new IOException("No space left on device");
            }
            if (src.remaining() <= room) {
                return file.write(src);
            }
            ByteBuffer part = src.slice().limit((int) room);
            int n = file.write(part);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(srcs[i]);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException("positional writes are not used by the file sink");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return file.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            file.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException("not used by the file sink");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
