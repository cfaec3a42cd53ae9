package dev.pipewright.git;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Generates a labelled corpus: realistic files (Java, Python, JavaScript, YAML, .env, JSON, shell,
 * Terraform, properties, key files, lock files) with fake secrets of every rule planted at known
 * positions in the ways code holds them (assignments, object literals, map puts, exports,
 * connection strings, URLs, heredocs, YAML blocks, escaped JSON), decoys of every kind (spoiled
 * formats, template and environment references, placeholders, documentation keys, UUIDs, digests,
 * password hashes, public keys and certificates, encrypted vault blocks, code that names secrets
 * without holding them), and the ground truth.
 */
final class SecretCorpus {
    /** A planted secret: where the scanner must report it. */
    record Truth(String path, String ruleId, int line, int column) {}

    record File(String path, String content) {}

    record Corpus(List<File> files, List<Truth> truths) {}

    enum Kind {
        JAVA("src/main/java/shop/Config%d.java"),
        PYTHON("app/settings_%d.py"),
        JAVASCRIPT("web/src/config-%d.js"),
        YAML("deploy/values-%d.yaml"),
        ENV("services/app%d/.env"),
        JSON("config/settings-%d.json"),
        SHELL("scripts/deploy-%d.sh"),
        TERRAFORM("infra/main-%d.tf"),
        PROPERTIES("src/main/resources/application-%d.properties"),
        KEY_FILE("certs/server-%d.key");

        final String pathPattern;

        Kind(String pathPattern) {
            this.pathPattern = pathPattern;
        }
    }

    private static final List<String> PHRASES = List.of("not my real password",
            "this is an example secret", "fake token for the docs", "dummy value for tests");

    private final Random random;
    private int nextRule;

    SecretCorpus(long seed) {
        this.random = new Random(seed);
    }

    Corpus generate(int files) {
        List<File> out = new ArrayList<>();
        List<Truth> truths = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = 0; i < files; i++) {
            if (i % 30 == 29) {
                out.add(lockFile(i));
                continue;
            }
            Kind kind = kinds[i % kinds.length];
            String path = String.format(kind.pathPattern, i);
            out.add(kind == Kind.KEY_FILE ? keyFile(path, i % 2 == 0, truths)
                    : file(kind, path, i % 2 == 0, truths));
        }
        return new Corpus(List.copyOf(out), List.copyOf(truths));
    }

    private File lockFile(int i) {
        StringBuilder b = new StringBuilder("{\n  \"name\": \"shop\",\n  \"lockfileVersion\": 3,\n"
                + "  \"packages\": {\n");
        for (int p = 0; p < 20; p++) {
            b.append("    \"node_modules/pkg").append(p).append("\": {\n      \"resolved\": \"https://"
                    + "registry.npmjs.org/pkg/-/pkg-1.0.").append(p).append(".tgz\",\n      \"integrity\": "
                    + "\"sha512-").append(FakeSecrets.random(random, FakeSecrets.BASE64, 86))
                    .append("==\",\n      \"token\": \"")
                    .append(FakeSecrets.random(random, FakeSecrets.BASE62, 32))
                    .append("\"\n    },\n");
        }
        return new File(i % 2 == 0 ? "web" + i + "/package-lock.json" : "svc" + i + "/go.sum",
                b.append("  }\n}\n").toString());
    }

    /** A key file: a private key (a secret) or a certificate and public key (decoys). */
    private File keyFile(String path, boolean withSecret, List<Truth> truths) {
        List<String> lines = new ArrayList<>();
        if (withSecret) {
            String rule = List.of("private-key-rsa", "private-key-ec", "private-key-pkcs8",
                    "private-key-openssh").get(random.nextInt(4));
            if (random.nextBoolean()) {
                lines.add("Bag Attributes");
                lines.add("    friendlyName: shop-api");
            }
            truths.add(new Truth(path, rule, lines.size() + 1, 1));
            lines.addAll(List.of(FakeSecrets.valid(rule, random).value().split("\n")));
        } else {
            lines.addAll(List.of(FakeSecrets.pem("CERTIFICATE", "MIIDdzCCAl+gAwIBAgIE", random)
                    .split("\n")));
            lines.addAll(List.of(FakeSecrets.pem("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A",
                    random).split("\n")));
        }
        return new File(path, String.join("\n", lines) + "\n");
    }

    private File file(Kind kind, String path, boolean withSecrets, List<Truth> truths) {
        List<String> lines = new ArrayList<>(header(kind));
        int secrets = withSecrets ? 1 + random.nextInt(3) : 0;
        int decoys = 3 + random.nextInt(4);
        List<Runnable> plan = new ArrayList<>();
        for (int s = 0; s < secrets; s++) {
            plan.add(() -> {
                FakeSecrets.Fake fake = nextFake(kind);
                plant(kind, path, lines, fake, truths);
            });
        }
        for (int d = 0; d < decoys; d++) {
            plan.add(() -> plant(kind, path, lines, decoy(kind), null));
        }
        Collections.shuffle(plan, random);
        for (Runnable step : plan) {
            for (int f = random.nextInt(4); f > 0; f--) {
                lines.addAll(List.of(filler(kind).split("\n")));
            }
            step.run();
        }
        lines.addAll(footer(kind));
        // Some files come from Windows, some lack the final newline.
        String newline = random.nextInt(5) == 0 ? "\r\n" : "\n";
        return new File(path, String.join(newline, lines) + (random.nextInt(4) == 0 ? "" : newline));
    }

    private FakeSecrets.Fake nextFake(Kind kind) {
        while (true) {
            String rule = FakeSecrets.RULE_IDS.get(nextRule++ % FakeSecrets.RULE_IDS.size());
            FakeSecrets.Fake fake = FakeSecrets.valid(rule, random);
            if (fits(kind, fake)) {
                return harder(kind, fake);
            }
        }
    }

    private static boolean fits(Kind kind, FakeSecrets.Fake fake) {
        return !(fake.hasDoubleQuotes() && (kind == Kind.JAVA || kind == Kind.TERRAFORM));
    }

    /** Variants of a fake that real configurations hold: other URL forms, connection strings. */
    private FakeSecrets.Fake harder(Kind kind, FakeSecrets.Fake fake) {
        String secret = fake.secret();
        switch (fake.ruleId()) {
            case "database-url-password" -> {
                return switch (random.nextInt(4)) {
                    case 0 -> embed(fake, "redis_url", "redis://:", secret, "@cache.shop.io:6379/0");
                    case 1 -> embed(fake, "mongo_uri", "mongodb+srv://shop-app:", secret,
                            "@cluster0.x1y2z.mongodb.net/shop?retryWrites=true");
                    case 2 -> embed(fake, "broker_url", "amqps://orders:", secret, "@mq.shop.io:5671/prod");
                    default -> fake;
                };
            }
            case "generic-password" -> {
                if ((kind == Kind.ENV || kind == Kind.PROPERTIES) && random.nextBoolean()) {
                    return embed(fake, "ConnectionStrings__Default", "Server=tcp:db.shop.io,1433;"
                            + "Database=shop;User Id=shop_app;Password=", secret, ";Encrypt=True;");
                }
                return fake;
            }
            default -> {
                return fake;
            }
        }
    }

    private static FakeSecrets.Fake embed(FakeSecrets.Fake fake, String name, String before,
            String secret, String after) {
        return new FakeSecrets.Fake(fake.ruleId(), name, before + secret + after, before.length(),
                secret.length());
    }

    /** A decoy: a rule's format spoiled, a reference, a digest, a public key or an allowed secret. */
    private FakeSecrets.Fake decoy(Kind kind) {
        while (true) {
            FakeSecrets.Fake d = switch (random.nextInt(40)) {
                case 0 -> named("github_token", "${GITHUB_TOKEN}");
                case 1 -> named("api_key", "$API_KEY");
                case 2 -> named("deploy_token", "<< pipeline.parameters.deploy_token >>");
                case 3 -> named("db_password", "{{ .Values.db.password }}");
                case 4 -> named("api_key", random.nextBoolean() ? "<your-api-key>" : "your_api_key_here");
                case 5 -> named("api_token", uuid(random.nextBoolean()));
                case 6 -> named(random.nextBoolean() ? "commit_sha" : "artifact_secret_sha256",
                        FakeSecrets.random(random, FakeSecrets.HEX, random.nextBoolean() ? 40 : 64));
                case 7 -> named("ssh_public_key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
                        + FakeSecrets.random(random, FakeSecrets.BASE64, 43) + " ci@shop.io");
                case 8 -> named("public_key_pem", FakeSecrets.pem("PUBLIC KEY",
                        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A", random));
                case 9 -> named("slack_webhook_url",
                        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX");
                case 10 -> named("token_header", "X-Shop-Auth-Token");
                case 12 -> named("secret_key_algorithm", "PBKDF2WithHmacSHA256");
                case 13 -> named("private_key_path", "/etc/ssl/private/shop-2024.key");
                case 14 -> named("db_secret_name", "shop/prod/db-credentials-v2");
                case 15 -> named("api_key_param", "apiKeyForServiceV2Client");
                case 16 -> named("password_file", "config/secrets/db-password-2024.txt");
                case 17 -> named("token_signing_alg", "RS256");
                case 18 -> named("secret_checksum", "sha512-"
                        + FakeSecrets.random(random, FakeSecrets.BASE64, 86) + "==");
                case 19 -> named("access_token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.");
                case 20 -> named("github_token", "${{ secrets.GITHUB_TOKEN }}");
                case 21 -> named("db_password", "${DB_PASSWORD:-changeme}");
                case 22 -> named("vault_api_key", "{{ vault_shop_api_key }}");
                case 23 -> named("master_password",
                        "{{resolve:secretsmanager:prod/shop/db:SecretString:password}}");
                case 24 -> named("db_secret_arn", "arn:aws:secretsmanager:eu-west-2:123456789012:secret:"
                        + "prod/shop/db-" + FakeSecrets.body(random, FakeSecrets.BASE62, 6));
                case 25 -> named("admin_password_hash", "$2b$12$"
                        + FakeSecrets.body(random, FakeSecrets.BASE62 + "./", 53));
                case 26 -> named("password_digest", "$argon2id$v=19$m=65536,t=3,p=4$"
                        + FakeSecrets.body(random, FakeSecrets.BASE64, 22) + "$"
                        + FakeSecrets.body(random, FakeSecrets.BASE64, 43));
                case 27 -> named("smtp_password", Base64.getEncoder().encodeToString(
                        PHRASES.get(random.nextInt(PHRASES.size())).getBytes(StandardCharsets.US_ASCII)));
                case 28 -> named("broker_url", random.nextBoolean()
                        ? "amqp://guest:guest@localhost:5672/" : "postgres://postgres:postgres@localhost:5432/test");
                case 29 -> named("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE");
                case 30 -> named("aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
                case 31 -> named("github_token", "ghp_" + "*".repeat(36));
                case 32 -> named("slack_bot_token", "xoxb-your-slack-bot-token");
                case 33 -> named("stripe_secret_key", "sk_live_REPLACE_ME");
                case 34 -> named("tls_certificate", FakeSecrets.pem("CERTIFICATE",
                        "MIIDdzCCAl+gAwIBAgIE", random));
                case 35 -> named("signing_public_key", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
                        + FakeSecrets.body(random, FakeSecrets.BASE64, 88));
                case 36 -> named("deploy_key_pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ"
                        + FakeSecrets.body(random, FakeSecrets.BASE64, 300) + " deploy@shop.io");
                case 37 -> named("image_secret_digest", "sha256:"
                        + FakeSecrets.random(random, FakeSecrets.HEX, 64));
                case 38 -> named("stripe_publishable_key", "pk_live_"
                        + FakeSecrets.body(random, FakeSecrets.BASE62, 24));
                default -> FakeSecrets.decoy(
                        FakeSecrets.RULE_IDS.get(random.nextInt(FakeSecrets.RULE_IDS.size())), random);
            };
            if (fits(kind, d)) {
                return d;
            }
        }
    }

    private String uuid(boolean upper) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String u = UUID.nameUUIDFromBytes(b).toString();
        return upper ? u.toUpperCase(Locale.ROOT) : u;
    }

    private static FakeSecrets.Fake named(String name, String value) {
        return new FakeSecrets.Fake("decoy", name, value, 0, value.length());
    }

    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    /** Appends the assignment and, for a real secret, its truth. */
    private void plant(Kind kind, String path, List<String> lines, FakeSecrets.Fake fake,
            List<Truth> truths) {
        boolean allowed = truths == null && random.nextInt(8) == 0 && kind != Kind.JSON;
        if (allowed) {
            fake = FakeSecrets.valid(FakeSecrets.RULE_IDS.get(random.nextInt(5)), random);
            lines.add(comment(kind) + " pipewright:allow fixture for the parser tests");
        }
        String value = fake.value();
        boolean multiline = value.contains("\n");
        if (multiline && !allowed && multilinePlanted(kind, path, lines, fake, truths)) {
            return;
        }
        if (multiline) {
            value = value.replace("\n", "\\n");
            fake = new FakeSecrets.Fake(fake.ruleId(), fake.name(), value, fake.offset(),
                    fake.value().substring(fake.offset(), fake.offset() + fake.length())
                            .replace("\n", "\\n").length());
        }
        String prefix;
        String suffix;
        boolean single = fake.hasDoubleQuotes();
        String q = single ? "'" : "\"";
        int variant = random.nextInt(3);
        switch (kind) {
            case JAVA -> {
                if (variant == 0) {
                    prefix = "        settings.put(\"" + fake.name().replace('_', '.') + "\", \"";
                    suffix = "\");";
                } else {
                    prefix = "    private static final String " + fake.name().toUpperCase(Locale.ROOT)
                            + " = \"";
                    suffix = "\";";
                }
            }
            case PYTHON -> {
                if (variant == 0) {
                    prefix = "    \"" + fake.name().toUpperCase(Locale.ROOT) + "\": " + q;
                    suffix = q + ",";
                } else if (variant == 1 && !single) {
                    prefix = "os.environ.setdefault(\"" + fake.name().toUpperCase(Locale.ROOT) + "\", \"";
                    suffix = "\")";
                } else {
                    prefix = fake.name().toUpperCase(Locale.ROOT) + " = " + q;
                    suffix = q;
                }
            }
            case JAVASCRIPT -> {
                if (variant == 0) {
                    prefix = "  " + camel(fake.name()) + ": '";
                    suffix = "',";
                } else {
                    prefix = "const " + camel(fake.name()) + " = '";
                    suffix = "';";
                }
            }
            case YAML -> {
                prefix = "  " + fake.name() + ": " + q;
                suffix = q;
            }
            case ENV -> {
                prefix = (variant == 0 ? "export " : "") + fake.name().toUpperCase(Locale.ROOT) + "="
                        + (single ? "'" : "");
                suffix = single ? "'" : "";
            }
            case JSON -> {
                boolean object = value.startsWith("{");
                prefix = "  \"" + (variant == 0 ? camel(fake.name()) : fake.name()) + "\": "
                        + (object ? "" : "\"");
                suffix = object ? "," : "\",";
            }
            case SHELL -> {
                prefix = "export " + fake.name().toUpperCase(Locale.ROOT) + "=" + q;
                suffix = q;
            }
            case TERRAFORM -> {
                prefix = "  " + fake.name() + " = \"";
                suffix = "\"";
            }
            default -> {
                String name = variant == 0 ? "shop." + fake.name().replace('_', '.') : fake.name();
                prefix = name + (variant == 1 ? " = " : "=");
                suffix = "";
            }
        }
        if (kind == Kind.SHELL && !single && random.nextInt(3) == 0
                && fake.ruleId().matches("github-.*|gitlab-pat|npm-token|slack-token|openai-api-key")) {
            prefix = "curl -fsS -H \"Authorization: Bearer ";
            suffix = "\" https://api.shop.io/v1/deployments";
        } else if (kind == Kind.YAML && !single && random.nextBoolean()) {
            prefix = "  " + fake.name() + ": ";
            suffix = "";
        }
        if ((kind == Kind.ENV || kind == Kind.YAML) && suffix.isEmpty()
                && random.nextInt(3) == 0) {
            suffix = "  # rotated 2024-05, owner platform";
        }
        lines.add(prefix + value + suffix);
        if (truths != null) {
            truths.add(new Truth(path, fake.ruleId(), lines.size(), prefix.length() + fake.offset() + 1));
        }
    }

    /** A multi-line value kept on several lines where the kind allows it; false when it does not. */
    private boolean multilinePlanted(Kind kind, String path, List<String> lines,
            FakeSecrets.Fake fake, List<Truth> truths) {
        String[] parts = fake.value().split("\n", -1);
        int first;
        int column;
        switch (kind) {
            case YAML -> {
                lines.add("  " + fake.name() + ": |");
                first = lines.size() + 1;
                column = 5;
                for (String part : parts) {
                    lines.add("    " + part);
                }
            }
            case SHELL -> {
                lines.add("cat > \"$HOME/.ssh/" + fake.name() + "\" <<'PEM'");
                first = lines.size() + 1;
                column = 1;
                lines.addAll(List.of(parts));
                lines.add("PEM");
            }
            case TERRAFORM -> {
                lines.add("  " + fake.name() + " = <<-EOT");
                first = lines.size() + 1;
                column = 5;
                for (String part : parts) {
                    lines.add("    " + part);
                }
                lines.add("  EOT");
            }
            case PYTHON -> {
                lines.add(fake.name().toUpperCase(Locale.ROOT) + " = \"\"\"\\");
                first = lines.size() + 1;
                column = 1;
                lines.addAll(List.of(parts));
                lines.add("\"\"\"");
            }
            default -> {
                return false;
            }
        }
        if (truths != null) {
            truths.add(new Truth(path, fake.ruleId(), first, column + fake.offset()));
        }
        return true;
    }

    private static String comment(Kind kind) {
        return switch (kind) {
            case JAVA, JAVASCRIPT -> "    //";
            default -> "#";
        };
    }

    private static List<String> header(Kind kind) {
        return switch (kind) {
            case JAVA -> List.of("package shop;", "", "import java.net.http.HttpClient;", "",
                    "/** Settings for the shop backend. */", "final class Config {");
            case PYTHON -> List.of("\"\"\"Settings for the shop backend.\"\"\"", "import os", "",
                    "DEBUG = False");
            case JAVASCRIPT -> List.of("'use strict';", "", "const axios = require('axios');", "");
            case YAML -> List.of("# values for the shop chart", "image:", "  repository: shop/api",
                    "  tag: \"1.4.2\"", "env:");
            case ENV -> List.of("# local development settings", "APP_ENV=development", "PORT=8080");
            case JSON -> List.of("{", "  \"name\": \"shop\",", "  \"version\": \"2.3.0\",");
            case SHELL -> List.of("#!/usr/bin/env bash", "set -euo pipefail", "");
            case TERRAFORM -> List.of("locals {", "  region = \"eu-west-1\"");
            case PROPERTIES -> List.of("# application settings", "server.port=8080");
            case KEY_FILE -> List.of();
        };
    }

    private static List<String> footer(Kind kind) {
        return switch (kind) {
            case JAVA -> List.of("}");
            case JSON -> List.of("  \"debug\": false", "}");
            case TERRAFORM -> List.of("}");
            case SHELL -> List.of("./gradlew deploy --no-daemon");
            case JAVASCRIPT -> List.of("", "module.exports = { axios };");
            default -> List.of();
        };
    }

    private String filler(Kind kind) {
        List<String> pool = switch (kind) {
            case JAVA -> List.of(
                    "    private static final String TOKEN_HEADER = \"X-Shop-Token\";",
                    "    String token = request.getHeader(\"Authorization\");",
                    "    char[] password = console.readPassword(\"Password: \");",
                    "    String secret = System.getenv(\"APP_SECRET\");",
                    "    private final HttpClient client = HttpClient.newHttpClient();",
                    "    // keys are rotated by the platform team every 90 days",
                    "    String apiKey = vault.read(\"secret/data/shop\").get(\"api_key\");",
                    "    String password = DEFAULT_ADMIN_PASSWORD;",
                    "        settings.put(\"db.password\", System.getenv(\"DB_PASSWORD\"));",
                    "    private static final String SECRET_KEY_PROPERTY = \"shop.jwt.secret-key\";",
                    "    Map<String, String> tokens = new HashMap<>(); // token -> session id",
                    "    if (token == null || token.isBlank()) { throw new IllegalStateException(); }");
            case PYTHON -> List.of(
                    "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]",
                    "password = os.getenv(\"DB_PASSWORD\", \"\")",
                    "api_key = settings.STRIPE_API_KEY",
                    "token = request.headers.get(\"Authorization\", \"\").removeprefix(\"Bearer \")",
                    "self.client_secret = client_secret",
                    "PASSWORD_HASHERS = [\"django.contrib.auth.hashers.Argon2PasswordHasher\"]",
                    "# the token is refreshed by the worker every 10 minutes",
                    "db_password = secrets_client.get_secret_value(SecretId=DB_SECRET_ARN)[\"SecretString\"]");
            case JAVASCRIPT -> List.of(
                    "  apiKey: process.env.STRIPE_API_KEY,",
                    "const token = await getAccessToken(user.id);",
                    "const password = document.getElementById('password').value;",
                    "headers: { Authorization: `Bearer ${token}` },",
                    "// never log the token",
                    "const secretName = 'shop/prod/api';",
                    "if (!apiKey) throw new Error('API key missing');");
            case YAML -> List.of("  - name: LOG_LEVEL", "    value: info", "  replicas: 3",
                    "  tokenTtlSeconds: 3600", "  secretName: shop-db-credentials",
                    "  passwordSecretRef: shop-db",
                    "  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: shop-db\n"
                            + "        key: password",
                    "  db_password: !vault |\n    $ANSIBLE_VAULT;1.1;AES256\n    "
                            + FakeSecrets.random(random, FakeSecrets.HEX, 80) + "\n    "
                            + FakeSecrets.random(random, FakeSecrets.HEX, 80) + "\n    "
                            + FakeSecrets.random(random, FakeSecrets.HEX, 40),
                    "  api_token: ${{ secrets.SHOP_API_TOKEN }}",
                    "  image: shop/api@sha256:" + FakeSecrets.random(random, FakeSecrets.HEX, 64));
            case ENV -> List.of("LOG_LEVEL=debug", "CACHE_TTL=300", "SECRET_NAME=shop/prod/db",
                    "TOKEN_URL=https://auth.shop.io/oauth/token", "API_KEY=${API_KEY:-}",
                    "SESSION_SECRET_FILE=/run/secrets/session");
            case JSON -> List.of("  \"timeoutMs\": 5000,",
                    "  \"tokenEndpoint\": \"https://auth.shop.io/token\",",
                    "  \"retries\": 3,", "  \"secretRef\": \"shop-prod\",",
                    "  \"keyId\": \"" + uuid(false) + "\",",
                    "  \"integrity\": \"sha384-" + FakeSecrets.random(random, FakeSecrets.BASE64, 64)
                            + "\",");
            case SHELL -> List.of("echo \"deploying $SERVICE\"",
                    "TOKEN=$(vault kv get -field=token secret/ci)",
                    "aws sts get-caller-identity",
                    "curl -H \"Authorization: Bearer $TOKEN\" \"$API/health\"",
                    "export AWS_SECRET_ACCESS_KEY=\"$(cat /run/secrets/aws_secret)\"",
                    "read -rsp 'Password: ' PASSWORD");
            case TERRAFORM -> List.of("  instance_type = \"t3.micro\"",
                    "  secret_arn = aws_secretsmanager_secret.db.arn",
                    "  kms_key_id = aws_kms_key.main.key_id", "  tags = { team = \"shop\" }",
                    "  password = var.db_password",
                    "  master_password = random_password.db.result");
            case PROPERTIES -> List.of("spring.datasource.username=shop",
                    "spring.datasource.password=${DB_PASSWORD}", "logging.level.root=INFO",
                    "security.token.ttl=3600", "shop.jwt.secret-key.property=SHOP_JWT_SECRET",
                    "server.ssl.key-store-password=${KEYSTORE_PASSWORD:changeit}");
            case KEY_FILE -> List.of("");
        };
        return pool.get(random.nextInt(pool.size()));
    }
}
