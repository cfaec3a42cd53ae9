package dev.pipewright.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** A mistake in how a command was called: exit code 2 with the message, no stack trace. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    /**
     * Checks, before anything runs, that option {@code option}'s {@code folder} is a folder or
     * can be created as one: it, or else the nearest of its parents that exists, is a folder.
     *
     * @throws UsageException naming the option and the file in the way
     */
    static void requireFolder(String option, Path folder) {
        for (Path p = folder.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                return;
            }
            if (Files.exists(p)) {
                throw new UsageException(option + " " + folder + " is not a folder: " + (p.equals(
                        folder.toAbsolutePath().normalize()) ? "it" : p) + " is a file. Give a folder; it is"
                        + " created if missing.");
            }
        }
    }
}
