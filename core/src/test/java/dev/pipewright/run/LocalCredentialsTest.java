package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.PipewrightException;
import dev.pipewright.Role;
import dev.pipewright.spi.CredentialsRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCredentialsTest {
    private static final Role DEPLOYER = Role.named("deployer").build();
    private static final Role OTHER = Role.named("other").build();
    private static final CredentialsRequest REQUEST = new CredentialsRequest("p", "deploy", "run", Duration.ofHours(1));

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("credentials"), text);
    }

    @Test
    void fromFile_givesEachRoleItsSection_only() throws IOException {
        LocalCredentials c = LocalCredentials.fromFile(file("""
                # comment

                [deployer]
                AWS_ACCESS_KEY_ID = AKIA1
                AWS_SECRET_ACCESS_KEY=s=e=c
                """));

        assertThat(c.supports(DEPLOYER)).isTrue();
        assertThat(c.supports(OTHER)).isFalse();
        assertThat(c.credentials(DEPLOYER, REQUEST).environment())
                .containsExactly(Map.entry("AWS_ACCESS_KEY_ID", "AKIA1"), Map.entry("AWS_SECRET_ACCESS_KEY", "s=e=c"));
        assertThat(c.credentials(DEPLOYER, REQUEST).toString()).doesNotContain("AKIA1", "s=e=c");
    }

    @Test
    void fromFile_badLines_namedByFileAndLine() throws IOException {
        assertThatThrownBy(() -> LocalCredentials.fromFile(file("AWS_REGION=x\n")))
                .isInstanceOf(PipewrightException.class).hasMessageContaining("credentials:1: a variable before any");
        assertThatThrownBy(() -> LocalCredentials.fromFile(file("[a]\nno equals sign\n")))
                .hasMessageContaining("credentials:2: expected NAME=VALUE");
        assertThatThrownBy(() -> LocalCredentials.fromFile(file("[a]\nX=1\n[a]\nY=2\n")))
                .hasMessageContaining("credentials:3: role 'a' has a second section");
        assertThatThrownBy(() -> LocalCredentials.fromFile(file("[]\n")))
                .hasMessageContaining("a section needs a role name");
        assertThatThrownBy(() -> LocalCredentials.fromFile(file("[a]\n")))
                .hasMessageContaining("role 'a' has no variables");
        assertThatThrownBy(() -> LocalCredentials.fromFile(dir.resolve("missing")))
                .hasMessageContaining("Could not read the credentials file");
    }

    @Test
    void fromEnvironment_onlyRealCredentials_notSettings() {
        LocalCredentials none = LocalCredentials.fromEnvironment(Map.of("AWS_REGION", "eu-west-2",
                "AWS_EC2_METADATA_DISABLED", "true", "AWS_CONFIG_FILE", "/dev/null"));
        LocalCredentials keys = LocalCredentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKIA2",
                "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "eu-west-2", "PATH", "/bin"));
        LocalCredentials profile = LocalCredentials.fromEnvironment(Map.of("AWS_PROFILE", "dev",
                "AWS_CONFIG_FILE", "/home/u/.aws/config"));

        assertThat(none.supports(DEPLOYER)).isFalse();
        assertThat(keys.credentials(OTHER, REQUEST).environment()).containsOnlyKeys("AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY");
        assertThat(profile.credentials(DEPLOYER, REQUEST).environment()).containsOnlyKeys("AWS_PROFILE",
                "AWS_CONFIG_FILE");
    }
}
