package dev.pipewright.circleci;

import java.util.List;
import java.util.Map;

/**
 * One step of a job or command, of pre-steps or post-steps, or of a {@code steps} parameter's
 * default. There is a type per built-in step ({@link RunStep}, {@link CheckoutStep}, {@link
 * SetupRemoteDockerStep}, {@link SaveCacheStep}, {@link RestoreCacheStep}, {@link
 * StoreArtifactsStep}, {@link StoreTestResultsStep}, {@link PersistToWorkspaceStep}, {@link
 * AttachWorkspaceStep}, {@link AddSshKeysStep}, the deprecated {@link DeployStep}), for
 * {@code when}/{@code unless} ({@link ConditionalStep}), for invoking a command or an orb's command
 * ({@link CommandStep}), for expanding a {@code steps} parameter ({@link ParameterExpansionStep}),
 * and {@link UnknownStep} for anything else, kept as written.
 *
 * <p>Steps are read in their canonical form: a bare {@code - checkout} is {@code - checkout: {}}
 * and {@code - run: make} is {@code - run: {command: make}}; see {@link CircleCiConfig}.
 *
 * <pre>{@code
 * List<CircleCiStep> steps = List.of(
 *     CircleCiStep.checkout(),
 *     CircleCiStep.run("Test", "./mvnw -B verify"),
 *     CircleCiStep.storeTestResults("target/surefire-reports"),
 *     CircleCiStep.command("slack/notify", Map.of("event", "fail")));
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface CircleCiStep permits RunStep, DeployStep, CheckoutStep, SetupRemoteDockerStep, SaveCacheStep,
        RestoreCacheStep, StoreArtifactsStep, StoreTestResultsStep, PersistToWorkspaceStep, AttachWorkspaceStep,
        AddSshKeysStep, ConditionalStep, CommandStep, ParameterExpansionStep, UnknownStep {

    /** {@code - run: {command: command}}. */
    static RunStep run(String command) {
        return RunStep.builder().command(command).build();
    }

    /** {@code - run: {name: name, command: command}}. */
    static RunStep run(String name, String command) {
        return RunStep.builder().command(command).name(name).build();
    }

    /** The deprecated {@code - deploy: {command: command}}. */
    static DeployStep deploy(String command) {
        return DeployStep.of(run(command));
    }

    /** {@code - checkout}. */
    static CheckoutStep checkout() {
        return CheckoutStep.builder().build();
    }

    /** {@code - setup_remote_docker}. */
    static SetupRemoteDockerStep setupRemoteDocker() {
        return SetupRemoteDockerStep.builder().build();
    }

    /** {@code - save_cache: {key: key, paths: paths}}. */
    static SaveCacheStep saveCache(String key, List<String> paths) {
        return SaveCacheStep.builder().key(key).paths(paths).build();
    }

    /** {@code - restore_cache: {key: key}}. */
    static RestoreCacheStep restoreCache(String key) {
        return RestoreCacheStep.builder().key(key).build();
    }

    /** {@code - restore_cache: {keys: keys}}, tried in order. */
    static RestoreCacheStep restoreCache(List<String> keys) {
        return RestoreCacheStep.builder().keys(keys).build();
    }

    /** {@code - store_artifacts: {path: path}}. */
    static StoreArtifactsStep storeArtifacts(String path) {
        return StoreArtifactsStep.builder().path(path).build();
    }

    /** {@code - store_test_results: {path: path}}. */
    static StoreTestResultsStep storeTestResults(String path) {
        return StoreTestResultsStep.builder().path(path).build();
    }

    /** {@code - persist_to_workspace: {root: root, paths: paths}}. */
    static PersistToWorkspaceStep persistToWorkspace(String root, List<String> paths) {
        return PersistToWorkspaceStep.builder().root(root).paths(paths).build();
    }

    /** {@code - attach_workspace: {at: at}}. */
    static AttachWorkspaceStep attachWorkspace(String at) {
        return AttachWorkspaceStep.builder().at(at).build();
    }

    /** {@code - add_ssh_keys: {fingerprints: fingerprints}}. */
    static AddSshKeysStep addSshKeys(List<String> fingerprints) {
        return AddSshKeysStep.builder().fingerprints(fingerprints).build();
    }

    /** {@code - when: {condition: condition, steps: steps}}. */
    static ConditionalStep when(Condition condition, List<? extends CircleCiStep> steps) {
        return ConditionalStep.builder().condition(condition).steps(steps).build();
    }

    /** {@code - unless: {condition: condition, steps: steps}}. */
    static ConditionalStep unless(Condition condition, List<? extends CircleCiStep> steps) {
        return ConditionalStep.builder().unless().condition(condition).steps(steps).build();
    }

    /** {@code - name}: a command, or an orb's command as {@code alias/command}, without arguments. */
    static CommandStep command(String name) {
        return CommandStep.of(name, Map.of());
    }

    /**
     * {@code - name: arguments}: a command, or an orb's command as {@code alias/command}.
     *
     * @param arguments values for the command's parameters, as plain data
     */
    static CommandStep command(String name, Map<String, ?> arguments) {
        return CommandStep.of(name, arguments);
    }

    /** {@code - << parameters.name >>}: the steps of a {@code steps} parameter, spliced in. */
    static ParameterExpansionStep expand(String expression) {
        return ParameterExpansionStep.of(expression);
    }
}
