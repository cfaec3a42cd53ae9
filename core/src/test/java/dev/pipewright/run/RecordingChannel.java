package dev.pipewright.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A real file channel that logs what is done to it, as {@code "write <file>"}, {@code "force(true)
 * <file>"}, {@code "open [READ] <file>"}: the journal's durability is a sequence of calls, which
 * this makes visible. {@link #opener(List, Force)} makes the channels for a journal.
 */
final class RecordingChannel extends FileChannel {
    private final FileChannel delegate;
    private final Path path;
    private final List<String> log;
    private final Force force;

    /** What {@link #force} does on the journal file (folders are always really forced). */
    enum Force {
        /** Forces: what production does. */
        REAL,
        /** Throws, as a failing disk would. */
        FAIL,
        /** Does nothing: for tests about the file's bytes that would only wait for the disk. */
        SKIP
    }

    private RecordingChannel(FileChannel delegate, Path path, List<String> log, Force force) {
        this.delegate = delegate;
        this.path = path;
        this.log = log;
        this.force = force;
    }

    /** Opens real channels that log to {@code log} (a synchronized list). */
    static Journal.Opener opener(List<String> log, Force force) {
        return (Path path, OpenOption... options) -> {
            log.add("open " + Arrays.toString(options) + " " + path.getFileName());
            return new RecordingChannel(FileChannel.open(path, options), path, log, force);
        };
    }

    /** A synchronized list to log to. */
    static List<String> newLog() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    private void record(String what) {
        log.add(what + " " + path.getFileName());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        record("write");
        return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        record("write");
        return delegate.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        record("truncate(" + size + ")");
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        record("force(" + metaData + ")");
        boolean journalFile = path.getFileName().toString().equals(Journal.FILE_NAME);
        if (journalFile && force == Force.FAIL) {
            throw new IOException("Input/output error (simulated)");
        }
        if (!journalFile || force == Force.REAL) {
            delegate.force(metaData);
        }
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        record("write");
        return delegate.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        record("close");
        delegate.close();
    }
}
