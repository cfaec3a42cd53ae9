package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which scripts run without a shell, and what they get; real files, real PATH lookups. */
class SimpleCommandTest {
    private static final String JVM_PATH = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"true", "  true  ", "true\n", "false", "env", "echo hello world", "echo a=b x,y@z 50%",
            "ls -la /tmp", "make -j2 all CC=gcc", "date +%s", "git log --format=%H", "./gradlew build",
            "/usr/bin/env", "sleep 60", "true\tx", "uname -a", "node_modules/.bin/tool --flag=1"})
    void words_plainSimpleCommand_takesTheFastPath(String script) {
        assertThat(SimpleCommand.words(script)).as(script).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n", "# a comment", "true # comment", "echo $HOME", "echo ${X}",
            "echo 'quoted'", "echo \"quoted\"", "echo a\\ b", "ls *.txt", "ls file?", "ls [ab]", "echo ~",
            "echo ~/x", "true; false", "true && false", "true || false", "true | cat", "sleep 1 &",
            "echo x > f", "cat < f", "echo x 2>&1", "(true)", "{ true; }", "! true", "echo a\necho b",
            "echo `date`", "echo $(date)", "echo é", "X=1 env", "X=1", "cd /tmp", "exit 3", "export X=1", "set -x",
            "unset X", "source env.sh", ". env.sh", "eval true", "exec true", "read x", "shift", "trap x INT",
            "ulimit -n", "umask 022", "wait", "times", "type ls", "hash", "command -v ls", "builtin true",
            "let x", "local x", "declare x", "typeset x", "readonly x", "return", "break", "continue",
            "getopts ab x", "jobs", "fg", "bg", "disown", "suspend", "enable", "shopt", "history", "alias",
            "pwd", "pwd -P", "kill 1", "printf x", "test -f x", ":", "mapfile", "if", "then", "fi", "for",
            "while", "until", "do", "done", "case", "esac", "function", "time true", "coproc true", "select",
            "echo -n x", "echo -e x", "echo --help", "true --help", "false --version", "[[", "{", "}"})
    void words_anythingTheShellWouldInterpret_keepsTheShell(String script) {
        assertThat(SimpleCommand.words(script)).as(script).isNull();
    }

    @Test
    void words_splitsAtSpacesAndTabs() {
        assertThat(SimpleCommand.words("  make\t-j2  all ")).containsExactly("make", "-j2", "all");
    }

    @Test
    void of_programOnPath_argvAsWrittenAndUnderscoreIsThePath() {
        SimpleCommand command = of("env -0", Map.of("PATH", JVM_PATH));

        assertThat(command).isNotNull();
        assertThat(command.argv()).containsExactly("env", "-0");
        assertThat(command.program()).startsWith("/").endsWith("/env");
        assertThat(command.environment()).containsEntry("_", command.program());
    }

    @Test
    void of_notOnPath_keepsTheShellSoItReportsCommandNotFound() {
        assertThat(of("no-such-program-here", Map.of("PATH", JVM_PATH))).isNull();
    }

    @Test
    void of_noPath_keepsTheShell() {
        assertThat(of("true", Map.of())).isNull();
    }

    @Test
    void of_foundInARelativePathDirectory_keepsTheShell() throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        script("bin/tool", "#!/bin/sh\necho tool\n");

        assertThat(of("tool", Map.of("PATH", "bin:" + JVM_PATH))).isNull();
        assertThat(of("tool", Map.of("PATH", ":" + JVM_PATH))).isNull();
    }

    @Test
    void of_foundElsewhereThanOnTheJvmsPath_keepsTheShell() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("own-bin"));
        script("own-bin/true", "#!/bin/sh\necho mine\n");

        assertThat(of("true", Map.of("PATH", bin + ":" + JVM_PATH))).isNull();
        assertThat(of("true", Map.of("PATH", JVM_PATH + ":" + bin))).isNotNull();
    }

    @Test
    void of_tildeInPath_keepsTheShell() {
        assertThat(of("true", Map.of("PATH", "~/bin:" + JVM_PATH))).isNull();
    }

    @Test
    void of_scriptFileWithShebang_runsDirectly() throws IOException {
        script("build.sh", "#!/bin/sh\necho built\n");

        SimpleCommand command = of("./build.sh --fast", Map.of("PATH", JVM_PATH));

        assertThat(command).isNotNull();
        assertThat(command.argv()).containsExactly("./build.sh", "--fast");
        assertThat(command.environment()).containsEntry("_", "./build.sh");
    }

    @Test
    void of_fileTheKernelWouldNotRun_keepsTheShell() throws IOException {
        script("no-shebang.sh", "echo bash runs me\n");
        script("missing-interpreter.sh", "#!/no/such/interpreter\necho x\n");
        Files.writeString(dir.resolve("not-executable.sh"), "#!/bin/sh\necho x\n");
        Files.createDirectories(dir.resolve("a-directory"));

        for (String script : List.of("./no-shebang.sh", "./missing-interpreter.sh", "./not-executable.sh",
                "./a-directory", "./missing.sh")) {
            assertThat(of(script, Map.of("PATH", JVM_PATH))).as(script).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BASH_ENV", "BASH_FUNC_true%%", "BASHOPTS", "SHELLOPTS", "POSIXLY_CORRECT", "IFS",
            "PS4", "PPID", "RANDOM", "OPTIND", "LINENO", "EXECIGNORE"})
    void of_variableBashActsOn_keepsTheShell(String name) {
        assertThat(of("true", Map.of("PATH", JVM_PATH, name, "x"))).isNull();
    }

    @Test
    void of_localeAllBashMayWarnAbout_keepsTheShell() {
        assertThat(of("true", Map.of("PATH", JVM_PATH, "LC_ALL", "xx_YY.UTF-8"))).isNull();
        assertThat(of("true", Map.of("PATH", JVM_PATH, "LC_ALL", "C.UTF-8"))).isNotNull();
        assertThat(of("true", Map.of("PATH", JVM_PATH, "LANG", "xx_YY.UTF-8"))).isNotNull();
    }

    @Test
    void of_environment_addsWhatBashAdds() throws IOException {
        Map<String, String> env = of("true", Map.of("PATH", JVM_PATH, "GREETING", "hi")).environment();

        assertThat(env).containsEntry("PATH", JVM_PATH).containsEntry("GREETING", "hi")
                .containsEntry("SHLVL", "1").containsEntry("PWD", dir.toRealPath().toString())
                .doesNotContainKey("OLDPWD");
    }

    @Test
    void of_shellLevel_oneMoreAndOddValuesLeftToBash() {
        assertThat(of("true", env("SHLVL", "4")).environment()).containsEntry("SHLVL", "5");
        assertThat(of("true", env("SHLVL", "")).environment()).containsEntry("SHLVL", "1");
        assertThat(of("true", env("SHLVL", "999"))).isNull();
        assertThat(of("true", env("SHLVL", " 3"))).isNull();
        assertThat(of("true", env("SHLVL", "-1"))).isNull();
    }

    @Test
    void of_pwdNamingTheDirectory_kept_otherwiseReplaced() throws IOException {
        String physical = dir.toRealPath().toString();

        assertThat(of("true", env("PWD", dir + "/")).environment()).containsEntry("PWD", dir + "/");
        assertThat(of("true", env("PWD", "/")).environment()).containsEntry("PWD", physical);
        assertThat(of("true", env("PWD", "relative")).environment()).containsEntry("PWD", physical);
    }

    @Test
    void of_oldPwd_keptOnlyWhenADirectory() {
        assertThat(of("true", env("OLDPWD", "/")).environment()).containsEntry("OLDPWD", "/");
        assertThat(of("true", env("OLDPWD", "/no/such/dir")).environment()).doesNotContainKey("OLDPWD");
        assertThat(of("true", env("OLDPWD", "")).environment()).doesNotContainKey("OLDPWD");
    }

    private @Nullable SimpleCommand of(String script, Map<String, String> environment) {
        return SimpleCommand.of(script, environment, dir, JVM_PATH);
    }

    private static Map<String, String> env(String name, String value) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", JVM_PATH);
        env.put(name, value);
        return env;
    }

    private void script(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
