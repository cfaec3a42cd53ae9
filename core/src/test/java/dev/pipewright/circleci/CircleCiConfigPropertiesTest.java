package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random typed models, built with the builders, written as data and read back, are the same
 * models; the data they write is canonical; and {@code toBuilder().build()} changes nothing.
 */
class CircleCiConfigPropertiesTest {

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void typedModel_toDataAndBack_isTheSameModel(@ForAll("configs") CircleCiConfig model) {
        Map<String, Object> data = model.data();

        assertThat(Canonical.config(data)).as("the model writes canonical data").isEqualTo(data);
        CircleCiConfig read = CircleCiConfig.fromData(data, Warnings.detached(), "<generated>", null);
        assertSameModel(read, model);
        assertThat(read.warnings()).as("only kept keys and unknown steps are warned about").allSatisfy(w -> assertThat(
                w.path().substring(w.path().lastIndexOf('.') + 1).startsWith("x-") || w.message().startsWith("a step is"))
                .isTrue());
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void typedModel_emittedAndParsed_isTheSameModel(@ForAll("configs") CircleCiConfig model) {
        String yaml = model.toYaml(List.of("property"));
        CircleCiConfig parsed = CircleCiConfig.parse(yaml, "generated.yml");
        assertSameModel(parsed, model);
        assertThat(parsed.toYaml(List.of("property"))).isEqualTo(yaml);
    }

    @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
    void toBuilder_build_isTheSameModel(@ForAll("configs") CircleCiConfig model) {
        assertSameModel(model.toBuilder().build(), model);
        model.jobs().values().forEach(j -> assertThat(j.toBuilder().build()).isEqualTo(j).hasSameHashCodeAs(j));
        model.workflows().values().forEach(w -> assertThat(w.toBuilder().build()).isEqualTo(w));
    }

    private static void assertSameModel(CircleCiConfig actual, CircleCiConfig expected) {
        assertThat(actual.version()).isEqualTo(expected.version());
        assertThat(actual.setup()).isEqualTo(expected.setup());
        assertThat(actual.orbs()).isEqualTo(expected.orbs());
        assertThat(actual.commands()).isEqualTo(expected.commands());
        assertThat(actual.parameters()).isEqualTo(expected.parameters());
        assertThat(actual.executors()).isEqualTo(expected.executors());
        assertThat(actual.jobs()).isEqualTo(expected.jobs());
        assertThat(actual.workflowsVersion()).isEqualTo(expected.workflowsVersion());
        assertThat(actual.workflows()).isEqualTo(expected.workflows());
        assertThat(actual.jobGroups()).isEqualTo(expected.jobGroups());
        assertThat(actual.extra()).isEqualTo(expected.extra());
        assertThat(actual.data()).isEqualTo(expected.data());
    }

    // ---------------------------------------------------------------- building blocks

    /** A builder with some of its setters applied, each with a random value, or none. */
    @SafeVarargs
    private static <B, R> Arbitrary<R> built(Supplier<B> builder, Function<B, R> build, Arbitrary<Consumer<B>>... setters) {
        List<Arbitrary<Consumer<B>>> all = new ArrayList<>();
        for (Arbitrary<Consumer<B>> setter : setters) {
            all.add(setter);
        }
        return Combinators.combine(all).as(applied -> {
            B b = builder.get();
            applied.forEach(c -> c.accept(b));
            return build.apply(b);
        });
    }

    /** Half the time nothing, else {@code setter} with a value. */
    private static <B, T> Arbitrary<Consumer<B>> maybe(Arbitrary<T> values, BiConsumer<B, T> setter) {
        Consumer<B> nothing = b -> { };
        return Arbitraries.oneOf(Arbitraries.just(nothing), values.map(v -> (Consumer<B>) b -> setter.accept(b, v)));
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().withChars("ab z-_:/.<>{}\"'\n").ofMaxLength(8);
    }

    private static Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abcxyz -_/").ofMinLength(1).ofMaxLength(6);
    }

    private static Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(text(), Arbitraries.longs(), Arbitraries.doubles(), Arbitraries.of(true, false));
    }

    private static Arbitrary<Object> scalarsOrNull() {
        return scalars().injectNull(0.1);
    }

    /** Plain data: scalars, null, and small lists and maps of them. */
    private static Arbitrary<Object> data() {
        return Arbitraries.oneOf(scalarsOrNull(), scalarsOrNull().list().ofMaxSize(2),
                Arbitraries.maps(names(), scalarsOrNull()).ofMaxSize(2));
    }

    /** Keys no type knows, so that they read back as extra. */
    private static Arbitrary<Map<String, Object>> extra() {
        return Arbitraries.maps(names().map(n -> "x-" + n), data()).ofMaxSize(2);
    }

    private static <T> Arbitrary<Map<String, T>> named(Arbitrary<T> values) {
        return Arbitraries.maps(names(), values).ofMaxSize(2);
    }

    private static Arbitrary<Interpolable<Integer>> integers() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-3, 200).map(Interpolable::of),
                Arbitraries.just(Interpolable.expression("<< parameters.n >>")));
    }

    private static Arbitrary<Interpolable<Boolean>> booleans() {
        return Arbitraries.of(Interpolable.of(true), Interpolable.of(false),
                Interpolable.expression("<< pipeline.parameters.b >>"));
    }

    private static Arbitrary<Version> versions() {
        return Arbitraries.oneOf(Arbitraries.of(Version.V2_1, Version.number("2"), Version.number("13.0")),
                text().map(Version::string));
    }

    private static Arbitrary<EnvironmentVariables> environments() {
        return Arbitraries.oneOf(
                Arbitraries.maps(names(), scalarsOrNull()).ofMaxSize(2).map(EnvironmentVariables::of),
                text().list().ofMaxSize(2).map(EnvironmentVariables::assignments),
                text().map(EnvironmentVariables::text));
    }

    // ---------------------------------------------------------------- logic statements and steps

    private static Arbitrary<Condition> conditions(int depth) {
        Arbitrary<Condition> literal = scalarsOrNull().map(Condition::literal);
        if (depth == 0) {
            return literal;
        }
        Arbitrary<List<Condition>> some = conditions(depth - 1).list().ofMaxSize(2);
        return Arbitraries.oneOf(literal,
                some.map(Condition.And::new),
                some.map(Condition.Or::new),
                some.map(Condition.Equal::new),
                conditions(depth - 1).map(Condition::not),
                Combinators.combine(text(), text()).as(Condition::matches));
    }

    private static Arbitrary<RunStep> runSteps() {
        return built(RunStep::builder, RunStep.Builder::build,
                maybe(text(), RunStep.Builder::command),
                maybe(text(), RunStep.Builder::name),
                maybe(text(), RunStep.Builder::shell),
                maybe(environments(), RunStep.Builder::environment),
                maybe(booleans(), RunStep.Builder::background),
                maybe(text(), RunStep.Builder::workingDirectory),
                maybe(text(), RunStep.Builder::noOutputTimeout),
                maybe(Arbitraries.of("always", "on_success", "on_fail"), RunStep.Builder::when),
                maybe(integers(), RunStep.Builder::maxAutoReruns),
                maybe(text(), RunStep.Builder::autoRerunDelay),
                maybe(extra(), RunStep.Builder::extra));
    }

    private static Arbitrary<CircleCiStep> steps(int depth) {
        Arbitrary<CircleCiStep> builtIn = Arbitraries.oneOf(
                runSteps(),
                runSteps().map(DeployStep::of),
                built(CheckoutStep::builder, CheckoutStep.Builder::build,
                        maybe(text(), CheckoutStep.Builder::path),
                        maybe(Arbitraries.of("full", "blobless", "shallow"), CheckoutStep.Builder::method),
                        maybe(integers(), CheckoutStep.Builder::depth),
                        maybe(extra(), CheckoutStep.Builder::extra)),
                built(SetupRemoteDockerStep::builder, SetupRemoteDockerStep.Builder::build,
                        maybe(versions(), SetupRemoteDockerStep.Builder::version),
                        maybe(booleans(), SetupRemoteDockerStep.Builder::dockerLayerCaching)),
                built(SaveCacheStep::builder, SaveCacheStep.Builder::build,
                        maybe(text().list().ofMaxSize(2), SaveCacheStep.Builder::paths),
                        maybe(text(), SaveCacheStep.Builder::key),
                        maybe(text(), SaveCacheStep.Builder::name),
                        maybe(text(), SaveCacheStep.Builder::when),
                        maybe(extra(), SaveCacheStep.Builder::extra)),
                built(RestoreCacheStep::builder, RestoreCacheStep.Builder::build,
                        maybe(text(), RestoreCacheStep.Builder::key),
                        maybe(text().list().ofMaxSize(2), RestoreCacheStep.Builder::keys),
                        maybe(text(), RestoreCacheStep.Builder::name)),
                built(StoreArtifactsStep::builder, StoreArtifactsStep.Builder::build,
                        maybe(text(), StoreArtifactsStep.Builder::path),
                        maybe(text(), StoreArtifactsStep.Builder::destination),
                        maybe(text(), StoreArtifactsStep.Builder::name)),
                built(StoreTestResultsStep::builder, StoreTestResultsStep.Builder::build,
                        maybe(text(), StoreTestResultsStep.Builder::path),
                        maybe(text(), StoreTestResultsStep.Builder::name)),
                built(PersistToWorkspaceStep::builder, PersistToWorkspaceStep.Builder::build,
                        maybe(text(), PersistToWorkspaceStep.Builder::root),
                        maybe(text().list().ofMaxSize(2), PersistToWorkspaceStep.Builder::paths),
                        maybe(text(), PersistToWorkspaceStep.Builder::name)),
                built(AttachWorkspaceStep::builder, AttachWorkspaceStep.Builder::build,
                        maybe(text(), AttachWorkspaceStep.Builder::at),
                        maybe(text(), AttachWorkspaceStep.Builder::name)),
                built(AddSshKeysStep::builder, AddSshKeysStep.Builder::build,
                        maybe(text().list().ofMaxSize(2), AddSshKeysStep.Builder::fingerprints),
                        maybe(text(), AddSshKeysStep.Builder::name),
                        maybe(extra(), AddSshKeysStep.Builder::extra)));
        Arbitrary<CircleCiStep> other = Arbitraries.oneOf(
                Combinators.combine(names().filter(n -> !Steps.RESERVED.contains(n)),
                        Arbitraries.maps(names(), data()).ofMaxSize(2)).as(CircleCiStep::command),
                Arbitraries.of(CircleCiStep.expand("<< parameters.steps >>"), ParameterExpansionStep.keyed("a << parameters.s >>")),
                Arbitraries.of(UnknownStep.of(5L), UnknownStep.of(Map.of("run", 5L)), UnknownStep.of(null)));
        if (depth == 0) {
            return Arbitraries.oneOf(builtIn, other);
        }
        Arbitrary<CircleCiStep> conditional = built(ConditionalStep::builder, ConditionalStep.Builder::build,
                maybe(Arbitraries.just(true), (b, unless) -> b.unless()),
                maybe(conditions(1), ConditionalStep.Builder::condition),
                maybe(steps(depth - 1).list().ofMaxSize(2), ConditionalStep.Builder::steps),
                maybe(extra(), ConditionalStep.Builder::extra));
        return Arbitraries.oneOf(builtIn, other, conditional);
    }

    private static Arbitrary<List<CircleCiStep>> stepLists() {
        return steps(1).list().ofMaxSize(3);
    }

    // ---------------------------------------------------------------- reusable elements

    private static Arbitrary<Parameter> parameters() {
        Arbitrary<Parameter> scalar = built(Parameter::builder, Parameter.Builder::build,
                maybe(Arbitraries.of(ParameterType.class), Parameter.Builder::type),
                maybe(scalars(), Parameter.Builder::defaultValue),
                maybe(text(), Parameter.Builder::description),
                maybe(text().list().ofMaxSize(2), Parameter.Builder::enumValues),
                maybe(extra(), Parameter.Builder::extra));
        Arbitrary<Parameter> steps = steps(0).list().ofMaxSize(2)
                .map(s -> Parameter.builder().type(ParameterType.STEPS).defaultValue(s).build());
        return Arbitraries.oneOf(scalar, steps);
    }

    private static Arbitrary<Patterns> patterns() {
        return built(Patterns::builder, Patterns.Builder::build,
                maybe(text().list().ofMaxSize(2), Patterns.Builder::only),
                maybe(text().list().ofMaxSize(2), Patterns.Builder::ignore),
                maybe(extra(), Patterns.Builder::extra));
    }

    private static Arbitrary<PatternFilters> patternFilters() {
        return built(PatternFilters::builder, PatternFilters.Builder::build,
                maybe(patterns(), PatternFilters.Builder::branches),
                maybe(patterns(), PatternFilters.Builder::tags),
                maybe(extra(), PatternFilters.Builder::extra));
    }

    private static Arbitrary<DockerImage> dockerImages() {
        return built(DockerImage::builder, DockerImage.Builder::build,
                maybe(text(), DockerImage.Builder::image),
                maybe(text(), DockerImage.Builder::name),
                Arbitraries.oneOf(maybe(text(), DockerImage.Builder::entrypoint),
                        maybe(text().list().ofMaxSize(2), DockerImage.Builder::entrypoint)),
                Arbitraries.oneOf(maybe(text(), DockerImage.Builder::command),
                        maybe(text().list().ofMaxSize(2), DockerImage.Builder::command)),
                maybe(text(), DockerImage.Builder::user),
                maybe(environments(), DockerImage.Builder::environment),
                maybe(Combinators.combine(text(), text(), extra()).as(DockerAuth::new), DockerImage.Builder::auth),
                maybe(built(AwsAuth::builder, AwsAuth.Builder::build,
                        maybe(text(), AwsAuth.Builder::accessKeyId),
                        maybe(text(), AwsAuth.Builder::secretAccessKey),
                        maybe(text(), AwsAuth.Builder::oidcRoleArn),
                        maybe(extra(), AwsAuth.Builder::extra)), DockerImage.Builder::awsAuth),
                maybe(extra(), DockerImage.Builder::extra));
    }

    private static Arbitrary<Machine> machines() {
        return Arbitraries.oneOf(
                booleans().map(b -> Machine.builder().shorthand(b).build()),
                built(Machine::builder, Machine.Builder::build,
                        maybe(text(), Machine.Builder::image),
                        maybe(booleans(), Machine.Builder::dockerLayerCaching),
                        maybe(text(), Machine.Builder::resourceClass),
                        maybe(text(), Machine.Builder::shell),
                        maybe(booleans(), Machine.Builder::enabled),
                        maybe(extra(), Machine.Builder::extra)));
    }

    private static Arbitrary<MacOs> macs() {
        return built(MacOs::builder, MacOs.Builder::build,
                maybe(versions(), MacOs.Builder::xcode),
                maybe(text(), MacOs.Builder::resourceClass),
                maybe(text(), MacOs.Builder::shell),
                maybe(extra(), MacOs.Builder::extra));
    }

    private static Arbitrary<ExecutorReference> executorReferences() {
        return Arbitraries.oneOf(names().map(ExecutorReference::named),
                Combinators.combine(names(), Arbitraries.maps(names().filter(n -> !n.equals("name")), data()).ofMaxSize(2))
                        .as(ExecutorReference::of));
    }

    private static Arbitrary<Command> commands() {
        return built(Command::builder, Command.Builder::build,
                maybe(text(), Command.Builder::description),
                maybe(named(parameters()), Command.Builder::parameters),
                maybe(stepLists(), Command.Builder::steps),
                maybe(extra(), Command.Builder::extra));
    }

    private static Arbitrary<Executor> executors() {
        return built(Executor::builder, Executor.Builder::build,
                maybe(text(), Executor.Builder::description),
                maybe(named(parameters()), Executor.Builder::parameters),
                maybe(dockerImages().list().ofMaxSize(2), Executor.Builder::docker),
                maybe(machines(), Executor.Builder::machine),
                maybe(macs(), Executor.Builder::macos),
                maybe(text(), Executor.Builder::resourceClass),
                maybe(text(), Executor.Builder::shell),
                maybe(text(), Executor.Builder::workingDirectory),
                maybe(environments(), Executor.Builder::environment),
                maybe(extra(), Executor.Builder::extra));
    }

    private static Arbitrary<Job> jobs() {
        return built(Job::builder, Job.Builder::build,
                maybe(Arbitraries.of(JobType.class), Job.Builder::type),
                maybe(text(), Job.Builder::description),
                maybe(named(parameters()), Job.Builder::parameters),
                maybe(executorReferences(), Job.Builder::executor),
                maybe(dockerImages().list().ofMaxSize(2), Job.Builder::docker),
                maybe(machines(), Job.Builder::machine),
                maybe(macs(), Job.Builder::macos),
                maybe(text(), Job.Builder::resourceClass),
                maybe(text(), Job.Builder::shell),
                maybe(text(), Job.Builder::workingDirectory),
                maybe(environments(), Job.Builder::environment),
                maybe(integers(), Job.Builder::parallelism),
                maybe(stepLists(), Job.Builder::steps),
                maybe(booleans(), Job.Builder::circleciIpRanges),
                maybe(Combinators.combine(text(), extra()).as(Retention::new), Job.Builder::retention),
                maybe(patterns(), Job.Builder::branches),
                maybe(text(), Job.Builder::planName),
                maybe(text(), Job.Builder::key),
                maybe(extra(), Job.Builder::extra));
    }

    private static Arbitrary<InlineOrb> inlineOrbs() {
        return built(InlineOrb::builder, InlineOrb.Builder::build,
                maybe(versions(), InlineOrb.Builder::version),
                maybe(text(), InlineOrb.Builder::description),
                maybe(named(text().map(Orb::reference)), InlineOrb.Builder::orbs),
                maybe(named(commands()), InlineOrb.Builder::commands),
                maybe(named(executors()), InlineOrb.Builder::executors),
                maybe(named(jobs()), InlineOrb.Builder::jobs),
                maybe(extra(), InlineOrb.Builder::extra));
    }

    // ---------------------------------------------------------------- workflows

    private static Arbitrary<Requirement> requirements() {
        return Arbitraries.oneOf(
                names().map(Requirement::of),
                Combinators.combine(names(), Arbitraries.of(JobStatus.class)).as(Requirement::of),
                Combinators.combine(names(), Arbitraries.of(JobStatus.class).list().ofMinSize(1).ofMaxSize(2))
                        .as(Requirement::of));
    }

    private static Arbitrary<WorkflowJob> workflowJobs() {
        return names().flatMap(job -> built(() -> WorkflowJob.builder(job), WorkflowJob.Builder::build,
                maybe(text(), WorkflowJob.Builder::name),
                maybe(requirements().list().ofMaxSize(2), WorkflowJob.Builder::requires),
                maybe(text().list().ofMaxSize(2), WorkflowJob.Builder::context),
                maybe(Arbitraries.of(JobType.class), WorkflowJob.Builder::type),
                maybe(Arbitraries.oneOf(patternFilters(), text().map(Filters::expression)), WorkflowJob.Builder::filters),
                maybe(built(Matrix::builder, Matrix.Builder::build,
                        maybe(Arbitraries.maps(names(), data().list().ofMaxSize(2)).ofMaxSize(2), Matrix.Builder::parameters),
                        maybe(Arbitraries.maps(names(), data()).ofMaxSize(2).list().ofMaxSize(2), Matrix.Builder::exclude),
                        maybe(text(), Matrix.Builder::alias),
                        maybe(extra(), Matrix.Builder::extra)), WorkflowJob.Builder::matrix),
                maybe(stepLists(), WorkflowJob.Builder::preSteps),
                maybe(stepLists(), WorkflowJob.Builder::postSteps),
                maybe(text(), WorkflowJob.Builder::serialGroup),
                maybe(text(), WorkflowJob.Builder::overrideWith),
                maybe(Arbitraries.maps(names().map(n -> "arg-" + n), data()).ofMaxSize(2), WorkflowJob.Builder::arguments)));
    }

    private static Arbitrary<Workflow> workflows() {
        Arbitrary<WorkflowTrigger> triggers = Combinators.combine(built(Schedule::builder, Schedule.Builder::build,
                maybe(text(), Schedule.Builder::cron),
                maybe(patternFilters(), Schedule.Builder::filters),
                maybe(extra(), Schedule.Builder::extra)), extra()).as(WorkflowTrigger::new);
        return built(Workflow::builder, Workflow.Builder::build,
                maybe(workflowJobs().list().ofMaxSize(3), Workflow.Builder::jobs),
                maybe(conditions(2), Workflow.Builder::when),
                maybe(conditions(2), Workflow.Builder::unless),
                maybe(triggers.list().ofMaxSize(2), Workflow.Builder::triggers),
                maybe(integers(), Workflow.Builder::maxAutoReruns),
                maybe(extra(), Workflow.Builder::extra));
    }

    @Provide
    Arbitrary<CircleCiConfig> configs() {
        return built(CircleCiConfig::builder, CircleCiConfig.Builder::build,
                maybe(versions(), CircleCiConfig.Builder::version),
                maybe(booleans(), CircleCiConfig.Builder::setup),
                maybe(named(Arbitraries.oneOf(text().map(Orb::reference), inlineOrbs())), CircleCiConfig.Builder::orbs),
                maybe(named(commands()), CircleCiConfig.Builder::commands),
                maybe(named(parameters()), CircleCiConfig.Builder::parameters),
                maybe(named(executors()), CircleCiConfig.Builder::executors),
                maybe(named(jobs()), CircleCiConfig.Builder::jobs),
                maybe(versions(), CircleCiConfig.Builder::workflowsVersion),
                maybe(Arbitraries.maps(names().filter(n -> !n.equals("version")), workflows()).ofMaxSize(2),
                        CircleCiConfig.Builder::workflows),
                maybe(named(built(JobGroup::builder, JobGroup.Builder::build,
                        maybe(workflowJobs().list().ofMaxSize(2), JobGroup.Builder::jobs),
                        maybe(extra(), JobGroup.Builder::extra))), CircleCiConfig.Builder::jobGroups),
                maybe(extra(), CircleCiConfig.Builder::extra));
    }
}
