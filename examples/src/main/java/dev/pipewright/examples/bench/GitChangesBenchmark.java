package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;

import dev.pipewright.git.ChangedPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * {@code git-changes}: the paths changed between two commits 1,000 commits apart in a generated
 * 20,000-file repository, found by {@link ChangedPaths#between} and by {@code git diff --name-only}
 * (a real {@code git} process) on the same repository in the same run. Reports the ratio of the
 * median times, Pipewright's over Git's (lower is better; the goal is at most 1.5).
 *
 * <p>The repository is generated once per size and kept in {@code
 * <tmpdir>/pipewright-bench/git-changes-v1-<files>-files-<commits>-commits}: a bare repository
 * of 20 services of 10 packages of 100 Java files, then 1,000 commits each editing 4 files, every
 * 10th adding 2, every 25th deleting one and every 50th moving one to another package; {@code
 * refs/tags/base} and {@code master} are the two ends. Objects are written with JGit's object
 * inserter (one tree per changed folder, not a checkout per commit), then packed with JGit's
 * garbage collector, as a cloned repository would be.
 *
 * <p>Both tools are checked to report the same paths before anything is timed; {@code git diff}
 * detects renames unless told not to, so {@code --no-renames} is both the correctness reference
 * and a second ratio. The two are timed alternately, after a warm-up of each, so that a noisy
 * machine slows both alike. Git runs with no system or user configuration.
 */
final class GitChangesBenchmark {
    static final String NAME = "git-changes";
    private static final String VERSION = "v1";
    private static final String BASE_TAG = "base";
    private static final PersonIdent AUTHOR = new PersonIdent("Bench", "bench@example.org",
            Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    private GitChangesBenchmark() {
    }

    /**
     * How big a repository and how long to time.
     *
     * @param services folders under {@code services/}
     * @param packages packages per service
     * @param classes files per package
     * @param commits commits between base and head
     * @param warmups untimed runs of each tool first
     * @param rounds timed rounds, each running both tools once
     */
    record Size(int services, int packages, int classes, int commits, int warmups, int rounds) {
        static final Size FULL = new Size(20, 10, 100, 1_000, 20, 40);
        static final Size SMOKE = new Size(2, 2, 5, 50, 1, 2);

        Size {
            checkArgument(services > 0 && packages > 1 && classes > 0, "the repository needs files and two packages");
            checkArgument(commits >= 50, "commits must be at least 50 (every kind of change happens) but was %s",
                    commits);
            checkArgument(rounds > 0, "rounds must be positive but was %s", rounds);
        }

        static Size of(Scale scale) {
            return scale == Scale.SMOKE ? SMOKE : FULL;
        }

        int files() {
            return services * packages * classes;
        }
    }

    /** The generated repository and its two ends. */
    record Repo(Path folder, String base, String head) {
    }

    /**
     * Generates (or reuses) the repository under {@code cacheRoot}, checks both tools agree, times
     * them alternately.
     *
     * @throws UsageException if {@code git} cannot be run
     */
    static Report run(Size size, Path cacheRoot) {
        checkGitInstalled();
        long prepareStart = System.nanoTime();
        Repo repo = prepare(size, cacheRoot);
        double prepareSeconds = (System.nanoTime() - prepareStart) / 1e9;

        Set<String> ours = ChangedPaths.between(repo.folder(), repo.base(), repo.head()).paths();
        Set<String> theirs = new HashSet<>(gitDiff(repo, true));
        if (!ours.equals(theirs)) {
            Set<String> missing = new HashSet<>(theirs);
            missing.removeAll(ours);
            Set<String> extra = new HashSet<>(ours);
            extra.removeAll(theirs);
            throw new IllegalStateException("ChangedPaths and git diff --no-renames disagree on " + repo.folder()
                    + ": missing " + missing + ", extra " + extra);
        }

        Blackhole blackhole = new Blackhole();
        for (int i = 0; i < size.warmups(); i++) {
            blackhole.consume(ChangedPaths.between(repo.folder(), repo.base(), repo.head()));
            blackhole.consume(gitDiff(repo, false));
            blackhole.consume(gitDiff(repo, true));
        }
        long[] jgit = new long[size.rounds()];
        long[] git = new long[size.rounds()];
        long[] gitNoRenames = new long[size.rounds()];
        for (int i = 0; i < size.rounds(); i++) {
            jgit[i] = time(blackhole, () -> ChangedPaths.between(repo.folder(), repo.base(), repo.head()));
            git[i] = time(blackhole, () -> gitDiff(repo, false));
            gitNoRenames[i] = time(blackhole, () -> gitDiff(repo, true));
        }
        Harness.Samples ourSamples = new Harness.Samples(jgit, size.warmups(), 0);
        Harness.Samples gitSamples = new Harness.Samples(git, size.warmups(), 0);
        Harness.Samples noRenameSamples = new Harness.Samples(gitNoRenames, size.warmups(), 0);
        double ratio = ourSamples.medianNanos() / gitSamples.medianNanos();
        double ratioNoRenames = ourSamples.medianNanos() / noRenameSamples.medianNanos();

        String summary = String.format("%s: %,d changed paths between two commits %,d apart in a %,d-file repository"
                        + " (%s, ready in %.1f s); median of %d alternating rounds after %d warm-ups:%n"
                        + "  ChangedPaths.between           %8.2f ms (min %.2f, max %.2f)%n"
                        + "  git diff --name-only           %8.2f ms (min %.2f, max %.2f)%n"
                        + "  git diff --name-only --no-renames %5.2f ms (min %.2f, max %.2f)",
                NAME, ours.size(), size.commits(), size.files(), repo.folder(), prepareSeconds, size.rounds(),
                size.warmups(), ms(ourSamples.medianNanos()), ms(ourSamples.minNanos()), ms(ourSamples.maxNanos()),
                ms(gitSamples.medianNanos()), ms(gitSamples.minNanos()), ms(gitSamples.maxNanos()),
                ms(noRenameSamples.medianNanos()), ms(noRenameSamples.minNanos()), ms(noRenameSamples.maxNanos()));
        return new Report(summary, List.of(
                new Result(NAME, "time-ratio-vs-git", ratio, "x"),
                new Result(NAME, "time-ratio-vs-git-no-renames", ratioNoRenames, "x"),
                new Result(NAME, "changed-paths-median-ms", ms(ourSamples.medianNanos()), "ms"),
                new Result(NAME, "git-diff-median-ms", ms(gitSamples.medianNanos()), "ms"),
                new Result(NAME, "git-diff-no-renames-median-ms", ms(noRenameSamples.medianNanos()), "ms"),
                new Result(NAME, "changed-paths", ours.size(), "paths")));
    }

    /** Where {@code bench} keeps generated repositories: {@code <java.io.tmpdir>/pipewright-bench}. */
    static Path defaultCacheRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipewright-bench");
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }

    private static long time(Blackhole blackhole, java.util.function.Supplier<?> operation) {
        long start = System.nanoTime();
        Object result = operation.get();
        long nanos = System.nanoTime() - start;
        blackhole.consume(result);
        return nanos;
    }

    // ---------------------------------------------------------------- git

    private static void checkGitInstalled() {
        try {
            run(Path.of("."), List.of("git", "--version"));
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new UsageException(NAME + " compares with the git command line, which cannot be run here: "
                    + e.getMessage() + ". Install git.");
        }
    }

    private static List<String> gitDiff(Repo repo, boolean noRenames) {
        List<String> command = new ArrayList<>(List.of("git", "diff", "--name-only"));
        if (noRenames) {
            command.add("--no-renames");
        }
        command.addAll(List.of(repo.base(), repo.head()));
        return run(repo.folder(), command).lines().toList();
    }

    /** Runs {@code command} in {@code folder} with no system or user Git configuration; its output. */
    private static String run(Path folder, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("LC_ALL", "C");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " was interrupted", e);
        }
    }

    // ---------------------------------------------------------------- the repository

    /** The cached repository for {@code size}, generated first if missing. */
    static Repo prepare(Size size, Path cacheRoot) {
        Path folder = cacheRoot.resolve(String.format("git-changes-%s-%d-files-%d-commits", VERSION, size.files(),
                size.commits()));
        try {
            Repo cached = readReady(folder);
            if (cached != null) {
                return cached;
            }
            Files.createDirectories(cacheRoot);
            Path scratch = Files.createTempDirectory(cacheRoot, "generating-");
            Repo made = generate(size, scratch);
            Properties ready = new Properties();
            ready.setProperty("base", made.base());
            ready.setProperty("head", made.head());
            try (var out = Files.newBufferedWriter(scratch.resolve("pipewright-bench.properties"))) {
                ready.store(out, "git-changes benchmark repository: the two ends");
            }
            try {
                Files.move(scratch, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                delete(scratch); // another run finished first, or the folder holds a broken attempt
                Repo other = readReady(folder);
                if (other == null) {
                    throw new IllegalStateException(folder + " exists but is not a finished benchmark repository;"
                            + " delete it and run again.");
                }
                return other;
            }
            return new Repo(folder, made.base(), made.head());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the benchmark repository under " + cacheRoot, e);
        }
    }

    private static @Nullable Repo readReady(Path folder) throws IOException {
        Path file = folder.resolve("pipewright-bench.properties");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties ready = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            ready.load(in);
        }
        return new Repo(folder, ready.getProperty("base"), ready.getProperty("head"));
    }

    /** A folder of a tree being built: children by name, and its id once written. */
    private static final class Folder {
        final TreeMap<String, Object> children = new TreeMap<>();
        @Nullable ObjectId id;

        Folder folder(String name) {
            Object child = children.computeIfAbsent(name, n -> new Folder());
            if (!(child instanceof Folder f)) {
                throw new IllegalStateException(name + " is a file");
            }
            return f;
        }

        /** Writes this folder's tree and those of its changed subfolders; unchanged ones keep their id. */
        ObjectId write(ObjectInserter inserter) throws IOException {
            if (id != null) {
                return id;
            }
            List<Map.Entry<String, Object>> entries = new ArrayList<>(children.entrySet());
            // Git orders a folder's entries by name, a subfolder's name taken with a trailing '/'.
            entries.sort(Comparator.comparing(e -> e.getKey() + (e.getValue() instanceof Folder ? "/" : "")));
            TreeFormatter tree = new TreeFormatter();
            for (Map.Entry<String, Object> e : entries) {
                if (e.getValue() instanceof Folder sub) {
                    tree.append(e.getKey(), FileMode.TREE, sub.write(inserter));
                } else {
                    tree.append(e.getKey(), FileMode.REGULAR_FILE, (ObjectId) e.getValue());
                }
            }
            id = inserter.insert(tree);
            return id;
        }
    }

    /** Puts a blob at {@code path}, forgetting the ids of the folders above it. */
    private static void put(Folder root, String path, @Nullable ObjectId blob) {
        String[] parts = path.split("/");
        List<Folder> chain = new ArrayList<>();
        Folder f = root;
        chain.add(f);
        for (int i = 0; i < parts.length - 1; i++) {
            f = f.folder(parts[i]);
            chain.add(f);
        }
        if (blob == null) {
            f.children.remove(parts[parts.length - 1]);
        } else {
            f.children.put(parts[parts.length - 1], blob);
        }
        chain.forEach(c -> c.id = null);
    }

    private static Repo generate(Size size, Path folder) throws IOException {
        Random random = new Random(20_000L * size.files() + size.commits());
        try (Git git = Git.init().setBare(true).setDirectory(folder.toFile()).setInitialBranch("master").call()) {
            Repository repo = git.getRepository();
            List<String> paths = new ArrayList<>();
            Folder root = new Folder();
            ObjectId base;
            ObjectId head;
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                for (int s = 0; s < size.services(); s++) {
                    for (int p = 0; p < size.packages(); p++) {
                        for (int c = 0; c < size.classes(); c++) {
                            String path = javaFile(s, p, "C" + c);
                            paths.add(path);
                            put(root, path, blob(inserter, path, 0));
                        }
                    }
                }
                base = commit(inserter, root.write(inserter), null, 0);
                head = base;
                Set<String> live = new LinkedHashSet<>(paths);
                for (int i = 1; i <= size.commits(); i++) {
                    for (int k = 0; k < 4; k++) {
                        String path = paths.get(random.nextInt(paths.size()));
                        if (live.contains(path)) {
                            put(root, path, blob(inserter, path, i));
                        }
                    }
                    if (i % 10 == 0) {
                        for (int k = 0; k < 2; k++) {
                            String path = javaFile(random.nextInt(size.services()), random.nextInt(size.packages()),
                                    "Added" + i + "x" + k);
                            paths.add(path);
                            live.add(path);
                            put(root, path, blob(inserter, path, i));
                        }
                    }
                    if (i % 25 == 0) {
                        String path = pick(random, paths, live);
                        live.remove(path);
                        put(root, path, null);
                    }
                    if (i % 50 == 0) {
                        String from = pick(random, paths, live);
                        String name = from.substring(from.lastIndexOf('/') + 1, from.length() - ".java".length());
                        String to = javaFile(random.nextInt(size.services()), random.nextInt(size.packages()),
                                name + "Moved" + i);
                        ObjectId content = blob(inserter, from, 0);
                        live.remove(from);
                        put(root, from, null);
                        paths.add(to);
                        live.add(to);
                        put(root, to, content);
                    }
                    head = commit(inserter, root.write(inserter), head, i);
                }
                inserter.flush();
            }
            ref(repo, Constants.R_HEADS + "master", head);
            ref(repo, Constants.R_TAGS + BASE_TAG, base);
            git.gc().setAggressive(false).call();
            return new Repo(folder, base.name(), head.name());
        } catch (GitAPIException e) {
            throw new IOException("cannot generate the benchmark repository: " + e.getMessage(), e);
        }
    }

    private static String pick(Random random, List<String> paths, Set<String> live) {
        while (true) {
            String path = paths.get(random.nextInt(paths.size()));
            if (live.contains(path)) {
                return path;
            }
        }
    }

    private static String javaFile(int service, int pkg, String name) {
        return String.format("services/svc%02d/src/main/java/dev/example/svc%02d/pkg%d/%s.java", service, service, pkg,
                name);
    }

    private static ObjectId blob(ObjectInserter inserter, String path, int version) throws IOException {
        String name = path.substring(path.lastIndexOf('/') + 1, path.length() - ".java".length());
        String text = "package " + path.substring("services/svc00/src/main/java/".length(), path.lastIndexOf('/'))
                .replace('/', '.') + ";\n\n/** Generated for the git-changes benchmark. */\npublic final class "
                + name + " {\n    static final int VERSION = " + version + ";\n\n    private " + name + "() {\n    }\n}\n";
        return inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectId commit(ObjectInserter inserter, ObjectId tree, @Nullable ObjectId parent, int i)
            throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        if (parent != null) {
            commit.setParentId(parent);
        }
        PersonIdent when = new PersonIdent(AUTHOR, AUTHOR.getWhenAsInstant().plus(Duration.ofMinutes(i)));
        commit.setAuthor(when);
        commit.setCommitter(when);
        commit.setMessage(i == 0 ? "Base: every service\n" : "Change " + i + "\n");
        return inserter.insert(commit);
    }

    private static void ref(Repository repo, String name, ObjectId target) throws IOException {
        RefUpdate update = repo.updateRef(name);
        update.setNewObjectId(target);
        update.setForceUpdate(true);
        RefUpdate.Result result = update.update();
        if (!Arrays.asList(RefUpdate.Result.NEW, RefUpdate.Result.FORCED, RefUpdate.Result.NO_CHANGE).contains(result)) {
            throw new IOException("cannot set " + name + ": " + result);
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
