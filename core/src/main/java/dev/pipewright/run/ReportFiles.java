package dev.pipewright.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/**
 * What the run's report files ({@link JunitReport}, {@link JsonSummary}) share: writing a file
 * so that readers see the old content or the new, never half of it, and text that every encoder
 * accepts.
 */
final class ReportFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Temporary name collisions needing more tries than this mean something else is wrong. */
    private static final int TEMP_TRIES = 16;

    private ReportFiles() { }

    /**
     * Replaces {@code file}'s content with {@code bytes} atomically: writes a temporary file in the
     * same folder (creating the folder if needed), {@code fsync}s it, then renames it over {@code
     * file} with {@link StandardCopyOption#ATOMIC_MOVE}, or with {@link
     * StandardCopyOption#REPLACE_EXISTING} where the file system cannot move atomically. The
     * temporary file is created with the default permissions (the umask), not owner-only ones,
     * so the report ends up readable as any other file the run writes.
     *
     * @throws IOException if the file cannot be written; the temporary file is removed then
     */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) {
            throw new IOException("cannot write " + file + ": it has no parent folder");
        }
        Files.createDirectories(dir);
        Path temp = createTemp(dir, target.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        for (int tries = 1; ; tries++) {
            Path temp = dir.resolve("." + name + "." + Long.toHexString(RANDOM.nextLong() >>> 16) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (tries == TEMP_TRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * {@code text} with every unpaired surrogate replaced by U+FFFD, so that it can be encoded as
     * UTF-8 (a message built from a cut string may hold half a pair).
     */
    static String wellFormed(String text) {
        @Nullable StringBuilder b = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean lone = c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
            if (lone && b == null) {
                b = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (b != null) {
                b.appendCodePoint(lone ? 0xFFFD : c);
            }
            i += Character.charCount(c);
        }
        return b == null ? text : b.toString();
    }
}
