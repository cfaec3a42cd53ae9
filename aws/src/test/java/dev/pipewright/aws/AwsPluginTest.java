package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsPluginTest {
    private static final String ARN = "arn:aws:iam::123456789012:role/housing-api-deploy";
    private static final Role DEPLOYER = Role.named("deployer").assumes(ARN)
            .grant("lambda:UpdateFunctionCode", "arn:aws:lambda:eu-west-2:123456789012:function:housing-api").build();

    @TempDir
    Path dir;

    @Test
    void run_handsTheRoleToItsStageOnly_andMasksEveryValue() throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        Pipeline pipeline = Pipeline.named("housing-api")
                .role(DEPLOYER)
                .stage("test", s -> s.run("echo \"test sees key=${AWS_ACCESS_KEY_ID:-none}"
                        + " token=${AWS_SESSION_TOKEN:-none}\""))
                .stage("deploy", s -> s.needs("test").as(DEPLOYER).timeout(Duration.ofMinutes(20))
                        .run("echo \"deploy sees key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY"
                                + " token=$AWS_SESSION_TOKEN\""))
                .build();
        Files.createDirectories(dir.resolve("workspace"));

        RunResult result;
        try (AwsSandbox sandbox = AwsSandbox.start()) {
            result = LocalRunner.builder()
                    .workspace(dir.resolve("workspace"))
                    .locks(dir.resolve("locks"))
                    .environment(Map.of("PATH", System.getenv("PATH")))
                    .facts(Facts.builder().ref(Ref.branch("master")).build())
                    .discover(false)
                    .addPlugin(AwsPlugin.create(sandbox.stsClient()))
                    .addListener(new RunListener() {
                        @Override
                        public void stageOutput(String stage, String line) {
                            output.add(line);
                        }
                    })
                    .build()
                    .run(pipeline);

            assertThat(result.status()).as(result.message().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            FakeSts.AssumedRole assumed = sandbox.sts().assumedRoles().get(0);
            assertThat(sandbox.sts().assumedRoles()).hasSize(1);
            assertThat(assumed.sessionName()).startsWith("housing-api.deploy.");
            assertThat(assumed.duration()).isBetween(Duration.ofSeconds(1190), Duration.ofSeconds(1200));
            assertThat(output).containsExactly("test sees key=none token=none",
                    "deploy sees key=*** secret=*** token=***");
            assertThat(String.join("\n", output)).doesNotContain(assumed.accessKeyId());
        }
    }

    @Test
    void run_whenStsRefusesTheRole_failsTheStageNamingOperationRoleAndCode() throws Exception {
        Pipeline pipeline = Pipeline.named("housing-api").role(DEPLOYER)
                .stage("deploy", s -> s.as(DEPLOYER).run("echo deploying"))
                .build();
        Files.createDirectories(dir.resolve("workspace"));
        try (AwsSandbox sandbox = AwsSandbox.start()) {
            sandbox.sts().denyAssume(ARN);

            RunResult result = LocalRunner.builder()
                    .workspace(dir.resolve("workspace"))
                    .locks(dir.resolve("locks"))
                    .environment(Map.of("PATH", System.getenv("PATH")))
                    .facts(Facts.builder().ref(Ref.branch("master")).build())
                    .discover(false)
                    .addPlugin(AwsPlugin.create(sandbox.stsClient()))
                    .build()
                    .run(pipeline);

            assertThat(result.status()).isEqualTo(RunStatus.FAILED);
            assertThat(result.stage("deploy").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                    .contains("role 'deployer'")
                    .contains("AssumeRole of " + ARN + " failed: AccessDenied (403)"));
        }
    }

    @Test
    void create_supportsRolesAssumingAnIamRoleArn() {
        try (AwsSandbox sandbox = AwsSandbox.start()) {
            Plugin plugin = AwsPlugin.create(sandbox.stsClient());

            assertThat(plugin.name()).isEqualTo("aws");
            assertThat(plugin.stepHandlers()).extracting(h -> h.type())
                    .containsExactly(LambdaDeploy.TYPE, OpenApiPublish.TYPE);
            assertThat(plugin.credentialsProviders()).singleElement()
                    .satisfies(p -> assertThat(p.supports(DEPLOYER)).isTrue())
                    .satisfies(p -> assertThat(p.supports(Role.named("opaque").build())).isFalse());
        }
    }

    @Test
    void builder_withoutClient_saysWhatItNeeds() {
        assertThatThrownBy(() -> AwsPlugin.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AwsPlugin.builder().sts(StsClient.create())");
    }

    @Test
    void serviceLoader_findsThePlugin() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).anySatisfy(p -> assertThat(p).isInstanceOf(AwsPlugin.class));
    }

    @Test
    void discovered_withoutConfiguredCredentials_supportsNoRole() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".aws"));
        CredentialsProvider none = AwsPlugin.discovered(Map.of(), home);
        assertThat(none.supports(DEPLOYER)).isFalse();

        Files.writeString(home.resolve(".aws").resolve("config"), "");
        assertThat(AwsPlugin.discovered(Map.of(), home).supports(DEPLOYER)).isFalse();

        Files.writeString(home.resolve(".aws").resolve("config"), "[default]\nregion = eu-west-2\n");
        assertThat(AwsPlugin.discovered(Map.of(), home).supports(DEPLOYER)).isTrue();
        assertThat(AwsPlugin.discovered(Map.of("AWS_PROFILE", "dev"), dir).supports(DEPLOYER)).isTrue();
        assertThat(AwsPlugin.discovered(Map.of("AWS_ACCESS_KEY_ID", "AKIA", "AWS_SECRET_ACCESS_KEY", "s"), dir)
                .supports(DEPLOYER)).isTrue();
        assertThat(AwsPlugin.discovered(Map.of("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/config").toString()),
                dir).supports(DEPLOYER)).isTrue();
        assertThat(AwsPlugin.discovered(Map.of("AWS_ACCESS_KEY_ID", "AKIA", "AWS_SECRET_ACCESS_KEY", "s"), dir)
                .supports(Role.named("opaque").build())).isFalse();
    }

    @Test
    void discovered_onCircleCi_assumesWithTheOidcToken() {
        CredentialsProvider p = AwsPlugin.discovered(Map.of("CIRCLE_OIDC_TOKEN_V2", "a.b.c"), dir);

        assertThat(p.supports(DEPLOYER)).isTrue();
        assertThat(p.toString()).isEqualTo("STS AssumeRoleWithWebIdentity ($CIRCLE_OIDC_TOKEN_V2)");
    }
}
