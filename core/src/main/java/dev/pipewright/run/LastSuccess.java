package dev.pipewright.run;

import dev.pipewright.Ref;
import dev.pipewright.run.JournalEvent.RunFinished;
import dev.pipewright.run.JournalEvent.RunStarted;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit of a pipeline's last successful run for a branch or tag, read from the journal
 * folder: path filters count changes from there, so a stage skipped because nothing of its
 * changed still runs once its files change after a failed run.
 */
final class LastSuccess {
    private static final Logger LOG = LoggerFactory.getLogger(LastSuccess.class);
    /** How many of the newest runs are read; older successes are not worth reading every journal. */
    private static final int MOST_RUNS = 200;

    private LastSuccess() { }

    /** The commit of the newest run of {@code pipeline} for {@code ref} that succeeded, if any. */
    static Optional<String> commit(Path journalDir, String pipeline, Ref ref) {
        if (!Files.isDirectory(journalDir)) {
            return Optional.empty();
        }
        List<Path> runs = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(journalDir,
                p -> Journal.RUN_ID.matcher(p.getFileName().toString()).matches())) {
            folders.forEach(runs::add);
        } catch (IOException e) {
            LOG.warn("Cannot list the runs in {}: {}", journalDir, e.toString());
            return Optional.empty();
        }
        runs.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (Path run : runs.subList(0, Math.min(MOST_RUNS, runs.size()))) {
            Path file = run.resolve(Journal.FILE_NAME);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            List<JournalEvent> events;
            try {
                events = Journal.read(file).events();
            } catch (RuntimeException e) {
                LOG.debug("Skipping the unreadable journal {}: {}", file, e.toString());
                continue;
            }
            if (events.isEmpty() || !(events.get(0) instanceof RunStarted start) || !start.pipeline().equals(pipeline)
                    || start.facts().commit() == null || !sameRef(start.facts(), ref)) {
                continue;
            }
            if (events.get(events.size() - 1) instanceof RunFinished end
                    && end.status() == JournalEvent.RunStatus.SUCCEEDED) {
                return Optional.of(start.facts().commit());
            }
        }
        return Optional.empty();
    }

    private static boolean sameRef(JournalEvent.Facts facts, Ref ref) {
        return ref.kind() == Ref.Kind.BRANCH ? ref.name().equals(facts.branch()) : ref.name().equals(facts.tag());
    }
}
