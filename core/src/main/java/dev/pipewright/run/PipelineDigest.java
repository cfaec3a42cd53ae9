package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Environment;
import dev.pipewright.Filter;
import dev.pipewright.Gate;
import dev.pipewright.NamePattern;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Retry;
import dev.pipewright.Role;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import dev.pipewright.Trigger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A stable SHA-256 digest, as 64 lower-case hex digits, of what a pipeline would do when run
 * locally. The journal records it when a run starts; {@code --resume} refuses to go on when the
 * pipeline's digest has changed since, because stages that succeeded under one definition prove
 * nothing about another.
 *
 * <p>What is digested, from the public model only:
 *
 * <ul>
 *   <li>the pipeline's name and triggers (kind, name, cron, filter);
 *   <li>the environments in declared order: name, filter, the environment promoted from, variables,
 *       secret names, role, approval gate and protection;
 *   <li>the roles in {@link Pipeline#roles()} order: name, identity assumed, grants;
 *   <li>the stages in {@link Pipeline#stages()} order: name, needs, environment, roles, gates
 *       (kind, name, approvers, timeout), steps ({@link Step#type()} and {@link
 *       Step#parameters()}), onFailure steps, filter, variables, secret names, timeout, retry and
 *       path filter (only when it has one);
 *   <li>the pipeline's onFailure and always steps, and the names of variables it lets stages
 *       inherit.
 * </ul>
 *
 * <p>What is left out, and why:
 *
 * <ul>
 *   <li>CircleCI options, of the pipeline, its environments and its stages: only the CircleCI
 *       compiler reads them (executor image, resource class, orbs, contexts, caches, workspaces),
 *       the local executor ignores them, so changing them changes nothing a resumed run would do.
 *   <li>Descriptions and an approval's message: words for people. Fixing a typo must not make a
 *       half-done run impossible to resume.
 *   <li>A check gate's code and a Java step's action: code has no stable value to digest, so the
 *       gate's and the step's names stand for them ({@code JavaStep} reports its name as its only
 *       parameter). Editing a check's or an action's body without renaming it keeps the digest.
 *   <li>A step's display name and declared permissions: logs and the pipeline assertions read
 *       them; what the step runs is its type and parameters, as {@link Step} documents.
 * </ul>
 *
 * <p>The digest depends only on values, never on object identity, hash codes or the JVM run.
 * Collections are taken in the model's order, which is part of what a pipeline says (free
 * stages start in that order, gates are evaluated in order, a step's parameters are ordered
 * pairs), except variables and secret names: they become process environment, where order cannot
 * matter, so they are digested sorted by name and a pipeline that builds them from a {@code
 * HashMap} gets the same digest however the map iterates. References to declared environments and
 * roles are digested by name: the pipeline checks they equal the declared ones, which are digested
 * in full.
 *
 * <p>The encoding is private and versioned ({@value #FORMAT}); changing it changes every digest
 * and so refuses every resume across the change, which a test guards against by pinning one
 * pipeline's digest.
 */
final class PipelineDigest {
    /** Fed first to the digest: a new encoding gets a new name. */
    static final String FORMAT = "pipewright.pipeline-digest.v2";

    private final MessageDigest sha256;

    private PipelineDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's documentation).
            throw new AssertionError("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * The digest of {@code pipeline}: 64 lower-case hex digits. Thread-safe.
     *
     * @throws NullPointerException if {@code pipeline} is null
     */
    static String of(Pipeline pipeline) {
        checkNotNull(pipeline, "pipeline");
        PipelineDigest d = new PipelineDigest();
        d.text(FORMAT);
        d.field("name", pipeline.name());
        d.list("triggers", pipeline.triggers(), d::trigger);
        d.list("environments", pipeline.environments(), d::environment);
        d.list("roles", pipeline.roles(), d::role);
        d.list("stages", pipeline.stages(), d::stage);
        d.list("onFailure", pipeline.onFailure(), d::step);
        d.list("always", pipeline.always(), d::step);
        d.sortedSet("inherit", pipeline.inherited());
        return HexFormat.of().formatHex(d.sha256.digest());
    }

    private void trigger(Trigger t) {
        field("kind", t.kind().name());
        optional("name", t.name());
        optional("cron", t.cron());
        filter(t.filter());
    }

    private void environment(Environment e) {
        field("name", e.name());
        filter(e.filter());
        optional("promotedFrom", e.promotedFrom().map(Environment::name));
        sortedMap("variables", e.variables());
        sortedSet("secrets", e.secrets());
        optional("role", e.role().map(Role::name));
        label("approval");
        flag(e.approval().isPresent());
        e.approval().ifPresent(this::gate);
        label("protected");
        flag(e.isProtected());
    }

    private void role(Role r) {
        field("name", r.name());
        optional("assumes", r.assumes());
        list("grants", r.grants(), this::permission);
    }

    private void permission(Permission p) {
        field("action", p.action());
        field("resource", p.resource());
    }

    private void stage(Stage s) {
        field("name", s.name());
        list("needs", s.needs(), this::text);
        optional("environment", s.environment().map(Environment::name));
        list("roles", s.roles(), r -> text(r.name()));
        list("gates", s.gates(), this::gate);
        list("steps", s.steps(), this::step);
        list("onFailure", s.onFailure(), this::step);
        filter(s.filter());
        sortedMap("variables", s.variables());
        sortedSet("secrets", s.secrets());
        optional("timeout", s.timeout().map(Duration::toString));
        label("retry");
        flag(s.retry().isPresent());
        s.retry().ifPresent(this::retry);
        if (!s.whenChanged().isEmpty()) { // only when present, so stages without one keep their digests
            list("whenChanged", s.whenChanged(), p -> text(p.text()));
        }
    }

    private void gate(Gate g) {
        field("kind", g.kind().name());
        field("name", g.name());
        list("approvers", g.approvers(), this::text);
        optional("timeout", g.timeout().map(Duration::toString));
    }

    private void step(Step s) {
        field("type", s.type());
        Map<String, String> parameters = s.parameters();
        label("parameters");
        count(parameters.size());
        parameters.forEach((k, v) -> {
            text(k);
            text(v);
        });
    }

    private void retry(Retry r) {
        field("attempts", Integer.toString(r.attempts()));
        field("backoff", r.backoff().toString());
    }

    private void filter(Filter f) {
        label("filter");
        list("onlyBranches", f.onlyBranches(), this::pattern);
        list("ignoreBranches", f.ignoreBranches(), this::pattern);
        list("onlyTags", f.onlyTags(), this::pattern);
        list("ignoreTags", f.ignoreTags(), this::pattern);
    }

    private void pattern(NamePattern p) {
        text(p.text());
    }

    // The encoding: every value is a tag byte, then a length or count, then the bytes, and every
    // field is preceded by its label; so no two different models give the same byte stream.

    private <T> void list(String label, List<T> items, Consumer<T> each) {
        label(label);
        count(items.size());
        items.forEach(each);
    }

    private void sortedMap(String label, Map<String, String> map) {
        label(label);
        Map<String, String> sorted = new TreeMap<>(map);
        count(sorted.size());
        sorted.forEach((k, v) -> {
            text(k);
            text(v);
        });
    }

    private void sortedSet(String label, Collection<String> set) {
        label(label);
        TreeSet<String> sorted = new TreeSet<>(set);
        count(sorted.size());
        sorted.forEach(this::text);
    }

    private void field(String label, String value) {
        label(label);
        text(value);
    }

    private void optional(String label, Optional<String> value) {
        label(label);
        flag(value.isPresent());
        value.ifPresent(this::text);
    }

    private void label(String label) {
        sha256.update((byte) 'F');
        bytes(label.getBytes(StandardCharsets.UTF_8));
    }

    private void text(String value) {
        sha256.update((byte) 'S');
        bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    private void count(int n) {
        sha256.update((byte) 'L');
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(n).array());
    }

    private void flag(boolean present) {
        sha256.update((byte) (present ? 'T' : 'N'));
    }

    private void bytes(byte[] b) {
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(b.length).array());
        sha256.update(b);
    }
}
