package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.StepContext;
import dev.pipewright.spi.StepHandler;
import dev.pipewright.Step;
import dev.pipewright.circleci.CircleCiCompiler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JobCommandsTest {
    private static final AtomicReference<String> SEEN = new AtomicReference<>();

    private static final Pipeline API = Pipeline.named("api")
            .stage("smoke", s -> s
                    .gate(Gate.check("on-main", ctx -> ctx.ref().name().equals("main")
                            ? CheckResult.pass("on main") : CheckResult.fail("not main: " + ctx.ref())))
                    .gate(Gate.check("boom", ctx -> {
                        throw new IllegalStateException("no network");
                    }))
                    .java("record", ctx -> {
                        SEEN.set(ctx.pipeline() + "/" + ctx.stage() + "@" + ctx.ref() + " " + ctx.commit().orElse("?")
                                + " " + ctx.environment().get("TOKEN") + " in " + Files.isDirectory(ctx.workspace()));
                        ctx.log("recorded");
                    })
                    .java("fail", ctx -> {
                        throw new IllegalArgumentException("bad input");
                    })
                    .run("echo shell"))
            .build();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    static int runWith(List<Plugin> plugins, Pipeline p, Map<String, String> env, StringWriter out, StringWriter err,
            String... args) {
        return Pipewright.execute(args, new PrintWriter(out), new PrintWriter(err), List.of(p), () -> env,
                () -> plugins);
    }

    private int run(Map<String, String> env, String... args) {
        return Pipewright.execute(args, new PrintWriter(out), new PrintWriter(err), List.of(API), () -> env);
    }

    @Test
    void gate_passes_exit0_fails_exit1() {
        assertThat(run(Map.of("CIRCLE_BRANCH", "main"), "gate", "api", "smoke", "on-main")).isZero();
        assertThat(out.toString()).isEqualTo("gate on-main: passed - on main\n");
        assertThat(run(Map.of("CIRCLE_BRANCH", "dev"), "gate", "api", "smoke", "on-main")).isEqualTo(1);
        assertThat(out.toString()).endsWith("gate on-main: FAILED - not main: branch dev\n");
    }

    @Test
    void gate_throwing_failsClosed() {
        assertThat(run(Map.of("CIRCLE_BRANCH", "main"), "gate", "api", "smoke", "boom")).isEqualTo(1);
        assertThat(out.toString()).contains("FAILED - the check threw IllegalStateException: no network");
    }

    @Test
    void gate_outsideCi_orUnknownGate_exit2() {
        assertThat(run(Map.of(), "gate", "api", "smoke", "on-main")).isEqualTo(2);
        assertThat(err.toString()).contains("neither CIRCLE_BRANCH nor CIRCLE_TAG is set");
        assertThat(run(Map.of("CIRCLE_BRANCH", "main"), "gate", "api", "smoke", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("stage 'smoke' has no check gate 'nope'");
    }

    @Test
    void step_runsTheJavaStepWithTheJobsContext() {
        Map<String, String> env = Map.of("CIRCLE_TAG", "v1.2.0", "CIRCLE_SHA1", "abc123", "TOKEN", "t0k");
        assertThat(run(env, "step", "api", "smoke", "1")).isZero();
        assertThat(SEEN.get()).isEqualTo("api/smoke@tag v1.2.0 abc123 t0k in true");
        assertThat(out.toString()).isEqualTo("[smoke] recorded\nstep record: done\n");
    }

    @Test
    void step_failing_exit1_wrongNumberOrType_exit2() {
        assertThat(run(Map.of("CIRCLE_BRANCH", "main"), "step", "api", "smoke", "2")).isEqualTo(1);
        assertThat(err.toString()).contains("step fail failed: IllegalArgumentException: bad input");
        assertThat(run(Map.of("CIRCLE_BRANCH", "main"), "step", "api", "smoke", "9")).isEqualTo(2);
        assertThat(err.toString()).contains("stage 'smoke' has 3 steps, hooks included; there is no step 9.");
        assertThat(run(Map.of("CIRCLE_BRANCH", "main"), "step", "api", "smoke", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("is a 'shell' step, which CircleCI runs itself");
        assertThat(run(Map.of("CIRCLE_BRANCH", "main"), "step", "api", "nope", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("pipeline 'api' has no stage 'nope'; stages: [smoke].");
    }

    @Test
    void moduleStepType_runsThroughTheLauncherWithItsPluginsHandler_elseAClearError() {
        Step custom = new Step() {
            @Override
            public String type() {
                return "acme.migrate";
            }

            @Override
            public String name() {
                return "migrate";
            }

            @Override
            public Map<String, String> parameters() {
                return Map.of("url", "jdbc:postgresql://db/app");
            }
        };
        Pipeline p = Pipeline.named("db").stage("migrate", s -> s.step(custom)).build();
        StepHandler handler = new StepHandler() {
            @Override
            public String type() {
                return "acme.migrate";
            }

            @Override
            public void run(Step step, StepContext context) {
                context.log("migrating " + step.parameters().get("url") + " on " + context.ref());
            }
        };
        Plugin plugin = new Plugin() {
            @Override
            public String name() {
                return "acme";
            }

            @Override
            public List<StepHandler> stepHandlers() {
                return List.of(handler);
            }
        };

        assertThat(Pipewright.execute(new String[] {"generate", "db"}, new PrintWriter(out), new PrintWriter(err),
                List.of(p))).isZero();
        assertThat(out.toString()).contains("name: \"acme.migrate: migrate\"", "command: ./pipewright step db migrate 1");
        assertThat(err.toString()).contains("warning: stage 'migrate' > step 1 is a 'acme.migrate' step");

        StringWriter jobOut = new StringWriter();
        Map<String, String> env = Map.of("CIRCLE_BRANCH", "main");
        assertThat(Pipewright.execute(new String[] {"step", "db", "migrate", "1"}, new PrintWriter(jobOut),
                new PrintWriter(err), List.of(p), () -> env)).isEqualTo(2);
        assertThat(err.toString()).contains("no plugin of this command line runs that type");
        assertThat(Pipewright.execute(new String[] {"step", "db", "migrate", "1"}, new PrintWriter(jobOut),
                new PrintWriter(err), List.of(plugin), List.of(p))).isEqualTo(2); // no CIRCLE_BRANCH here
        assertThat(JobCommandsTest.runWith(List.of(plugin), p, env, jobOut, err, "step", "db", "migrate", "1")).isZero();
        assertThat(jobOut.toString()).contains("[migrate] migrating jdbc:postgresql://db/app on branch main",
                "step migrate: done");
    }

    @Test
    void moduleStep_inAJob_runsShellCommandsWithTheJobsEnvironment_andFailsOnTheirExitCode() {
        Step deploy = new Step() {
            @Override
            public String type() {
                return "acme.deploy";
            }

            @Override
            public String name() {
                return "deploy";
            }

            @Override
            public Map<String, String> parameters() {
                return Map.of();
            }
        };
        StepHandler handler = new StepHandler() {
            @Override
            public String type() {
                return "acme.deploy";
            }

            @Override
            public void run(Step step, StepContext context) {
                context.shell("echo deploying $CIRCLE_BRANCH for run " + context.runId() + "; exit "
                        + context.environment().get("EXIT"));
            }
        };
        Plugin plugin = new Plugin() {
            @Override
            public String name() {
                return "acme";
            }

            @Override
            public List<StepHandler> stepHandlers() {
                return List.of(handler);
            }
        };
        Pipeline p = Pipeline.named("svc").stage("ship", s -> s.step(deploy)).build();
        StringWriter jobOut = new StringWriter();

        assertThat(runWith(List.of(plugin), p, Map.of("CIRCLE_BRANCH", "main", "CIRCLE_WORKFLOW_ID", "wf-1",
                "PATH", System.getenv("PATH"), "EXIT", "0"), jobOut, err, "step", "svc", "ship", "1")).isZero();
        assertThat(jobOut.toString()).contains("[ship] deploying main for run wf-1", "step deploy: done");
        assertThat(runWith(List.of(plugin), p, Map.of("CIRCLE_BRANCH", "main", "PATH", System.getenv("PATH"),
                "EXIT", "3"), jobOut, err, "step", "svc", "ship", "1")).isEqualTo(1);
        assertThat(err.toString()).contains("step deploy failed: exit code 3");
    }
}
