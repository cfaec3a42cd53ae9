package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.googlejavaformat.java.Formatter;
import com.google.googlejavaformat.java.FormatterException;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java source that rebuilds a CircleCI configuration: one class, generated with JavaPoet and
 * formatted with google-java-format, whose {@code main} prints the configuration's YAML.
 *
 * <p>The source reads like code written by hand. Where the configuration has the shape of a
 * Pipewright pipeline (its jobs are stages with approvals, contexts and branch filters per
 * environment, and compiling that pipeline gives back the same data), the class builds a
 * {@code Pipeline} with environments, gates and roles ({@link Form#PIPELINE}). Otherwise it builds
 * the configuration with the CircleCI model's builders ({@link Form#CONFIGURATION}): a method per
 * job, command and workflow; near-identical jobs share one method taking what differs
 * ({@code deployTo("staging")}); steps, images, filters and long strings used more than once are
 * constants, named after their YAML anchors when they have one; the environments the workflows
 * express (jobs named after an environment with its own context, approval or deploy branch
 * filter) are {@code Environment} constants the workflow entries are placed in
 * ({@link WorkflowJob.Builder#environment}, {@link WorkflowJob#approval}). Either way, running the class
 * prints YAML with the same data as the input (maps may list their keys in another order).
 *
 * <pre>{@code
 * ImportSource source = ImportSource.generate(Files.readString(path), "config.yml", "com.example.ci", "Delivery");
 * Files.writeString(Path.of("src/main/java/com/example/ci/Delivery.java"), source.javaSource());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ImportSource {
    private static final Logger LOG = LoggerFactory.getLogger(ImportSource.class);

    /** How the source builds the configuration. */
    public enum Form {
        /** Through the CircleCI model's builders: {@code CircleCiConfig.builder()}. */
        CONFIGURATION,
        /** As a Pipewright {@code Pipeline} with environments, gates and roles, compiled to CircleCI. */
        PIPELINE
    }

    private final String packageName;
    private final String className;
    private final Form form;
    private final String javaSource;
    private final List<ConfigProblem> warnings;

    private final List<String> environments;

    private ImportSource(String packageName, String className, Form form, String javaSource,
            List<String> environments, List<ConfigProblem> warnings) {
        this.packageName = packageName;
        this.className = className;
        this.form = form;
        this.javaSource = javaSource;
        this.environments = List.copyOf(environments);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The source for a configuration file's text; its YAML anchors name the constants they share.
     *
     * @param yaml the file's text
     * @param file the file's name, for error messages and the class's Javadoc
     * @param packageName the class's package, such as {@code com.example.ci}; empty for none
     * @param className the class's simple name
     * @throws InvalidConfigException when the text is not a CircleCI configuration, with
     *     {@code file:line:column} of each problem
     * @throws IllegalArgumentException when a name is not a Java name, or the class name is the
     *     name of a type the source uses, such as {@code Job}
     */
    public static ImportSource generate(String yaml, String file, String packageName, String className) {
        CircleCiConfig config = CircleCiConfig.parse(yaml, file);
        return generate(config, ImportAnchors.of(yaml, config), packageName, className);
    }

    /**
     * The source for a configuration read or built before; as {@link #generate(String, String,
     * String, String)}, without anchor names.
     *
     * @throws IllegalArgumentException when a name is not a Java name, or the class name is the
     *     name of a type the source uses
     */
    public static ImportSource generate(CircleCiConfig config, String packageName, String className) {
        return generate(config, ImportAnchors.NONE, packageName, className);
    }

    private static ImportSource generate(CircleCiConfig config, ImportAnchors anchors, String packageName,
            String className) {
        checkNotNull(config, "config");
        checkNotNull(packageName, "packageName");
        checkNotNull(className, "className");
        checkArgument(ImportNames.isIdentifier(className) && Character.isUpperCase(className.charAt(0)),
                "'%s' is not a class name: start with an upper-case letter, then letters and digits", className);
        checkArgument(packageName.isEmpty() || List.of(packageName.split("\\.", -1)).stream()
                .allMatch(ImportNames::isIdentifier), "'%s' is not a package name, such as com.example.ci", packageName);
        String origin = origin(config.file());
        Optional<ImportPipeline> pipeline = ImportPipeline.of(config);
        TypeSpec type;
        List<String> environments;
        if (pipeline.isPresent()) {
            type = pipeline.get().type(className, origin);
            environments = pipeline.get().environments();
        } else {
            ImportClass written = new ImportClass(config, className, origin, anchors);
            type = written.type();
            environments = written.environments();
        }
        String source = javaFile(type, packageName).toString();
        // JavaPoet writes a type's qualified name, unimported, when the class has its simple name.
        Pattern qualified = Pattern.compile("\\b(?:dev\\.pipewright(?:\\.circleci)?|java\\.(?:lang|util|math)"
                + "|com\\.google\\.common\\.collect)\\." + className + "\\b");
        checkArgument(source.lines().filter(l -> !l.startsWith("import ")).noneMatch(l -> qualified.matcher(l).find()),
                "the class name '%s' is also the name of a type the source uses; choose another name", className);
        return new ImportSource(packageName, className, pipeline.isPresent() ? Form.PIPELINE : Form.CONFIGURATION,
                format(source), environments, config.warnings());
    }

    private static JavaFile javaFile(TypeSpec type, String packageName) {
        JavaFile plain = JavaFile.builder(packageName, type).skipJavaLangImports(true).build();
        // Steps read run("make"): import the factories the class calls, and only those.
        Matcher call = STEP_FACTORY.matcher(plain.toString());
        Set<String> used = new TreeSet<>();
        while (call.find()) {
            used.add(call.group(1));
        }
        return used.isEmpty() ? plain : JavaFile.builder(packageName, type).skipJavaLangImports(true)
                .addStaticImport(ImportCode.CIRCLECI_STEP, used.toArray(String[]::new)).build();
    }

    private static final Pattern STEP_FACTORY = Pattern.compile("\\bCircleCiStep\\.(\\w+)\\(");

    /**
     * The class name made of a file's name: {@code processes-api.yml} gives {@code ProcessesApi},
     * {@code config.yml} {@code Config}; {@code Config} when the name has no letters.
     */
    public static String className(String file) {
        String name = origin(checkNotNull(file, "file")).replaceFirst("\\.[^.]*$", "");
        String type = ImportNames.type(name, "Config");
        return Character.isUpperCase(type.charAt(0)) ? type : "Config";
    }

    private static String origin(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return file.substring(slash + 1);
    }

    /**
     * The source formatted by google-java-format, unused imports removed. The formatter uses the
     * JDK's compiler internals; where the JVM does not open them (it needs
     * {@code --add-exports jdk.compiler/com.sun.tools.javac.*=ALL-UNNAMED}), the source stays as
     * JavaPoet wrote it, which compiles the same.
     */
    private static String format(String source) {
        try {
            return new Formatter().formatSourceAndFixImports(source);
        } catch (FormatterException e) {
            throw new IllegalStateException("google-java-format refused the generated source: " + e.getMessage(), e);
        } catch (IllegalAccessError e) {
            LOG.warn("google-java-format cannot run in this JVM ({}); the source is left as JavaPoet wrote it. Run"
                    + " java with --add-exports jdk.compiler/com.sun.tools.javac.{{api,code,file,parser,tree,util}}"
                    + "=ALL-UNNAMED to format it.", e.getMessage());
            return source;
        }
    }

    /** The class's package; empty for none. */
    public String packageName() {
        return packageName;
    }

    /** The class's simple name. */
    public String className() {
        return className;
    }

    /** The class's name with its package: the argument {@code java} runs it by. */
    public String qualifiedName() {
        return packageName.isEmpty() ? className : packageName + "." + className;
    }

    /** How the source builds the configuration. */
    public Form form() {
        return form;
    }

    /** The Java source: one compilation unit, formatted. */
    public String javaSource() {
        return javaSource;
    }

    /**
     * The environments the source declares, in order: {@code staging}, {@code production}. Empty
     * when the configuration expresses none.
     *
     * @since 0.1
     */
    public List<String> environments() {
        return environments;
    }

    /**
     * What the parser kept without knowing it (keys the model does not know, values of a shape it
     * cannot type), with its position; the source keeps these as written.
     */
    public List<ConfigProblem> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "ImportSource[" + qualifiedName() + ", " + form + "]";
    }

    // Parts both forms of the class share.

    /** The line the YAML printed by a generated class starts with. */
    static String header(String className) {
        return "Generated by " + className + ".java (imported by Pipewright): change the Java source, then run it"
                + " to write this file.";
    }

    /** {@code public static void main(String[] args)}, printing {@code yaml}. */
    static MethodSpec main(String className, CodeBlock yaml) {
        return MethodSpec.methodBuilder("main")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addParameter(String[].class, "args")
                .addJavadoc("Prints the configuration as YAML: {@code java $L > .circleci/config.yml}.\n", className)
                .addStatement("$T.out.print($L)", System.class, yaml)
                .build();
    }

    /** The helper for ordered maps with null values; see {@link ImportCode#map}. */
    static MethodSpec nullableMap() {
        return MethodSpec.methodBuilder(ImportCode.NULLABLE_MAP)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("An ordered map that holds null values, which {@code Map.of} and {@code ImmutableMap}"
                        + " refuse.\n")
                .returns(ParameterizedTypeName.get(Map.class, String.class, Object.class))
                .addParameter(Object[].class, "keysAndValues")
                .varargs()
                .addStatement("$T<$T, $T> map = new $T<>()", Map.class, String.class, Object.class, LinkedHashMap.class)
                .beginControlFlow("for (int i = 0; i < keysAndValues.length; i += 2)")
                .addStatement("map.put(($T) keysAndValues[i], keysAndValues[i + 1])", String.class)
                .endControlFlow()
                .addStatement("return map")
                .build();
    }
}
