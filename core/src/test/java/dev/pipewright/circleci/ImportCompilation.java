package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources with the JDK's compiler against the test class path, all in one
 * compiler call, and runs what they build.
 */
final class ImportCompilation {
    private final URLClassLoader loader;

    private ImportCompilation(URLClassLoader loader) {
        this.loader = loader;
    }

    /**
     * Compiles {@code sources} under {@code dir}.
     *
     * @throws AssertionError listing the compiler's errors and warnings, when there are any
     */
    static ImportCompilation of(List<ImportSource> sources, Path dir) {
        Map<String, String> byName = new LinkedHashMap<>();
        sources.forEach(s -> byName.put(s.qualifiedName(), s.javaSource()));
        return compile(byName, dir);
    }

    /** Compiles sources given by their classes' qualified names. */
    static ImportCompilation compile(Map<String, String> sources, Path dir) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(classes);
            for (Map.Entry<String, String> s : sources.entrySet()) {
                Path file = src.resolve(s.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                files.add(Files.writeString(file, s.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = compiler.getStandardFileManager(diagnostics, null, null)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                    "-proc:none", "-Xlint:all", "-Werror");
            boolean ok = compiler.getTask(null, manager, diagnostics, options, null,
                    manager.getJavaFileObjectsFromPaths(files)).call();
            String report = diagnostics.getDiagnostics().stream().map(ImportCompilation::describe)
                    .collect(Collectors.joining("\n"));
            assertThat(report).as("compiler diagnostics").isEmpty();
            assertThat(ok).as("compiled").isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new ImportCompilation(new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    ImportCompilation.class.getClassLoader()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        String where = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber()
                + ": ";
        return d.getKind() + " " + where + d.getMessage(null);
    }

    /** A compiled class. */
    Class<?> type(String qualifiedName) {
        try {
            return loader.loadClass(qualifiedName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(qualifiedName + " was not compiled", e);
        }
    }

    /** The configuration the compiled class of {@code source} builds: its {@code config()}, or its compiled {@code pipeline()}. */
    CircleCiConfig config(ImportSource source) {
        try {
            Class<?> type = loader.loadClass(source.qualifiedName());
            if (source.form() == ImportSource.Form.PIPELINE) {
                return CircleCiCompiler.compile((Pipeline) type.getMethod("pipeline").invoke(null));
            }
            return (CircleCiConfig) type.getMethod("config").invoke(null);
        } catch (InvocationTargetException e) {
            throw new AssertionError(source.qualifiedName() + " failed to build its configuration", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(source.qualifiedName() + " has no public static config() or pipeline()", e);
        }
    }
}
