package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A script that is one simple command of plain words naming a program, run without a shell: what
 * {@link ShellCommand} does instead of starting bash when nothing bash would do could show. GNU
 * make does the same for simple recipes; it saves bash's start-up, most of the cost of a short
 * command.
 *
 * <p><b>Which scripts.</b> The script, stripped, is one line of words separated by spaces or
 * tabs, each made only of ASCII letters, digits and {@code _ . / : = @ % + , -}: no quoting,
 * expansion, glob, comment, redirection, operator or line break can appear, so bash would pass
 * the words unchanged as the program's arguments. The first word is no assignment ({@code X=y}),
 * no reserved word and no bash builtin, except {@code true}, {@code false} and {@code echo}
 * when no argument starts with {@code -} (then the programs behave as the builtins do). It names
 * an executable regular file: a word with {@code /} relative to the working directory, any other
 * word on the stage environment's {@code PATH}, at the same place as on this JVM's {@code PATH}
 * (the JDK searches the JVM's; the program must get its name as written in {@code argv[0]}, as
 * under bash). The file starts with {@code #!} and an existing interpreter, or is an ELF
 * binary: bash would run any other file as a bash script, the JDK with {@code /bin/sh}.
 *
 * <p><b>Environment.</b> The stage's variables plus what bash adds for the programs it runs:
 * {@code PWD} (kept when it is absolute and names the working directory, else the physical
 * working directory), {@code SHLVL} one more than given, {@code _} the program's path, and
 * {@code OLDPWD} only when it names a directory. A stage environment holding a variable bash
 * resets, drops or acts on at start-up ({@code BASH*}, {@code SHELLOPTS}, {@code IFS}, {@code PS4},
 * {@code PPID}, {@code LC_ALL} naming a locale bash may lack, ... see {@link #of}) keeps the
 * script on the shell.
 *
 * <p>Immutable; the file checks happen once, in {@link #of}.
 */
final class SimpleCommand {
    /** Bash's reserved words made only of plain characters. */
    private static final Set<String> RESERVED = Set.of("if", "then", "else", "elif", "fi", "case", "esac", "for",
            "select", "while", "until", "do", "done", "in", "function", "time", "coproc");
    /**
     * Bash 5.2's builtins ({@code compgen -b}) and a few of other versions: run in the shell,
     * they act on it or differ from the program of the same name ({@code pwd}, {@code kill},
     * {@code printf}, {@code test}). {@code true}, {@code false} and {@code echo} are checked
     * apart.
     */
    private static final Set<String> BUILTINS = Set.of(".", ":", "[", "alias", "bg", "bind", "break", "builtin",
            "caller", "cd", "command", "compgen", "complete", "compopt", "continue", "declare", "dirs", "disown",
            "enable", "eval", "exec", "exit", "export", "fc", "fg", "getopts", "hash", "help", "history", "jobs",
            "kill", "let", "local", "logout", "mapfile", "popd", "printf", "pushd", "pwd", "read", "readarray",
            "readonly", "return", "set", "shift", "shopt", "source", "suspend", "test", "times", "trap", "type",
            "typeset", "ulimit", "umask", "unalias", "unset", "wait");
    /** Builtins whose programs do the same as long as they get no option. */
    private static final Set<String> TWINS = Set.of("true", "false", "echo");
    /**
     * Variables bash resets, drops or acts on when it finds them in its environment (found with
     * {@code env -i NAME=x bash -c env}); names starting with {@code BASH} count too.
     */
    private static final Set<String> SHELL_VARIABLES = Set.of("SHELLOPTS", "POSIXLY_CORRECT", "EXECIGNORE",
            "COMP_WORDBREAKS", "EPOCHREALTIME", "EPOCHSECONDS", "IFS", "LINENO", "OPTERR", "OPTIND", "PPID", "PS1",
            "PS2", "PS4", "RANDOM", "SRANDOM");
    /** Locales every C library has: bash warns about any other {@code LC_ALL} it cannot load. */
    private static final Set<String> SAFE_LOCALES = Set.of("C", "POSIX", "C.UTF-8", "C.utf8");
    /** The longest {@code #!} line the kernel reads. */
    private static final int SHEBANG_MAX = 256;

    private final List<String> argv;
    private final String program;
    private final Map<String, String> environment;

    private SimpleCommand(List<String> argv, String program, Map<String, String> environment) {
        this.argv = List.copyOf(argv);
        this.program = program;
        this.environment = Map.copyOf(environment);
    }

    /**
     * The command {@code script} is when it can run without a shell, or {@code null} when the
     * shell must run it.
     *
     * @param script the step's script
     * @param environment the stage's whole environment
     * @param workingDirectory the directory the command runs in; exists
     * @param jvmPath this JVM's {@code PATH}, where the JDK looks programs up
     */
    static @Nullable SimpleCommand of(String script, Map<String, String> environment, Path workingDirectory,
            @Nullable String jvmPath) {
        List<String> words = words(script);
        if (words == null || !plainEnvironment(environment)) {
            return null;
        }
        String name = words.get(0);
        String program;
        if (name.indexOf('/') >= 0) {
            File file = new File(name).isAbsolute() ? new File(name) : new File(workingDirectory.toFile(), name);
            if (!runnable(file)) {
                return null;
            }
            program = name;
        } else {
            String path = environment.get("PATH");
            if (path == null || jvmPath == null) {
                return null;
            }
            program = lookUp(name, path, workingDirectory);
            if (program == null || !runnable(new File(program))
                    || !(path.equals(jvmPath) || program.equals(lookUp(name, jvmPath, workingDirectory)))) {
                return null;
            }
        }
        Map<String, String> env = shellEnvironment(environment, workingDirectory, program);
        return env == null ? null : new SimpleCommand(words, program, env);
    }

    /**
     * The words of {@code script} when it is one simple command of plain words whose first one
     * bash would look up as a program, else {@code null}. Looks at the text only.
     */
    static @Nullable List<String> words(String script) {
        checkNotNull(script, "script");
        String text = script.strip();
        if (text.isEmpty()) {
            return null;
        }
        List<String> words = new ArrayList<>(4);
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (c == ' ' || c == '\t') {
                if (start >= 0) {
                    words.add(text.substring(start, i));
                    start = -1;
                }
            } else if (plain(c)) {
                if (start < 0) {
                    start = i;
                }
            } else {
                return null;
            }
        }
        String first = words.get(0);
        if (first.indexOf('=') >= 0 || RESERVED.contains(first) || BUILTINS.contains(first)) {
            return null;
        }
        if (TWINS.contains(first)) {
            for (int i = 1; i < words.size(); i++) {
                if (words.get(i).startsWith("-")) {
                    return null; // --help, --version, -n, -e: the programs read options the builtins ignore
                }
            }
        }
        return words;
    }

    /** The program's arguments, its name as written first. */
    List<String> argv() {
        return argv;
    }

    /** The program's path: found on {@code PATH}, or the first word when it holds {@code /}. */
    String program() {
        return program;
    }

    /** The program's whole environment, what bash would add included. */
    Map<String, String> environment() {
        return environment;
    }

    private static boolean plain(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' || c == '%' || c == '+'
                || c == ',' || c == '-';
    }

    /** Whether bash would hand {@code environment} to a program as it is, apart from what it adds. */
    private static boolean plainEnvironment(Map<String, String> environment) {
        for (String name : environment.keySet()) {
            if (name.startsWith("BASH") || SHELL_VARIABLES.contains(name)) {
                return false;
            }
        }
        String locale = environment.get("LC_ALL");
        return locale == null || locale.isEmpty() || SAFE_LOCALES.contains(locale);
    }

    /**
     * Where bash would find {@code name} on {@code path}: the first executable regular file.
     * {@code null} when there is none, when it is in a relative directory (bash would name it
     * relative to the working directory, and so would {@code _}), or when a directory starts with
     * {@code ~} (bash expands it).
     */
    private static @Nullable String lookUp(String name, String path, Path workingDirectory) {
        for (String dir : path.split(":", -1)) {
            if (dir.startsWith("~")) {
                return null;
            }
            boolean relative = !dir.startsWith("/");
            File candidate = relative
                    ? new File(workingDirectory.toFile(), dir.isEmpty() ? name : dir + "/" + name)
                    : new File(dir, name);
            if (candidate.isFile() && candidate.canExecute()) {
                return relative ? null : (dir.endsWith("/") ? dir + name : dir + "/" + name);
            }
        }
        return null;
    }

    /**
     * Whether the kernel runs {@code file} itself: an executable regular file that is an ELF
     * binary or starts with {@code #!} and an interpreter that exists. For any other file execve
     * fails with ENOEXEC; then bash would run it as a bash script and the JDK with /bin/sh, and if
     * the interpreter is missing the JDK would go on looking along the PATH where bash fails.
     */
    private static boolean runnable(File file) {
        if (!file.isFile() || !file.canExecute()) {
            return false;
        }
        byte[] head = new byte[SHEBANG_MAX];
        int n;
        try (InputStream in = new FileInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return false; // not readable: execve may still work, but bash reports the failure better
        }
        if (n >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            return true;
        }
        if (n < 2 || head[0] != '#' || head[1] != '!') {
            return false;
        }
        int from = 2;
        while (from < n && (head[from] == ' ' || head[from] == '\t')) {
            from++;
        }
        int to = from;
        while (to < n && head[to] != ' ' && head[to] != '\t' && head[to] != '\n' && head[to] != '\r') {
            to++;
        }
        if (to == n) {
            return false; // no end of line in the buffer: leave the odd file to bash
        }
        String interpreter = new String(head, from, to - from, StandardCharsets.UTF_8);
        File found = new File(interpreter);
        return interpreter.startsWith("/") && found.isFile() && found.canExecute();
    }

    /**
     * {@code environment} with what bash adds for a program it runs, or {@code null} when bash's
     * start-up would do something this cannot foresee.
     */
    private static @Nullable Map<String, String> shellEnvironment(Map<String, String> environment,
            Path workingDirectory, String program) {
        Map<String, String> env = new HashMap<>(environment.size() + 4);
        env.putAll(environment);
        String level = environment.get("SHLVL");
        if (level == null || level.isEmpty()) {
            env.put("SHLVL", "1");
        } else if (level.length() <= 3 && level.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int next = Integer.parseInt(level) + 1;
            if (next >= 1000) {
                return null; // bash warns and starts again at 1
            }
            env.put("SHLVL", Integer.toString(next));
        } else {
            return null; // signs, spaces or words: bash's rules for them are its own
        }
        String pwd = environment.get("PWD");
        if (pwd == null || !pwd.startsWith("/") || !sameDirectory(pwd, workingDirectory)) {
            try {
                env.put("PWD", workingDirectory.toRealPath().toString()); // getcwd(), as bash
            } catch (IOException e) {
                return null;
            }
        }
        String old = environment.get("OLDPWD");
        if (old != null && (old.isEmpty() || !new File(old).isDirectory())) {
            env.remove("OLDPWD"); // bash keeps OLDPWD only when it names a directory
        }
        env.put("_", program);
        return env;
    }

    private static boolean sameDirectory(String path, Path directory) {
        try {
            return Files.isSameFile(Path.of(path), directory);
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }
}
