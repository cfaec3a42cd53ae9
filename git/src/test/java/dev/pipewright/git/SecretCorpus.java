package dev.pipewright.git;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Generates a labelled corpus: realistic files (Java, YAML, .env, JSON, shell, Terraform,
 * properties, lock files) with fake secrets of every rule planted at known positions, decoys of
 * every kind, and the ground truth.
 */
final class SecretCorpus {
  /** A planted secret: where the scanner must report it. */
  record Truth(String path, String ruleId, int line, int column) {}

  record File(String path, String content) {}

  record Corpus(List<File> files, List<Truth> truths) {}

  enum Kind {
    JAVA("src/main/java/shop/Config%d.java"),
    YAML("deploy/values-%d.yaml"),
    ENV("services/app%d/.env"),
    JSON("config/settings-%d.json"),
    SHELL("scripts/deploy-%d.sh"),
    TERRAFORM("infra/main-%d.tf"),
    PROPERTIES("src/main/resources/application-%d.properties");

    final String pathPattern;

    Kind(String pathPattern) {
      this.pathPattern = pathPattern;
    }
  }

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
      out.add(file(kind, String.format(kind.pathPattern, i), i % 2 == 0, truths));
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
          .append("==\",\n      \"token\": \"").append(FakeSecrets.random(random, FakeSecrets.BASE62, 32))
          .append("\"\n    },\n");
    }
    return new File(i % 2 == 0 ? "web" + i + "/package-lock.json" : "svc" + i + "/go.sum", b.append("  }\n}\n").toString());
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
        lines.add(filler(kind));
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
        return fake;
      }
    }
  }

  private static boolean fits(Kind kind, FakeSecrets.Fake fake) {
    return !(fake.hasDoubleQuotes() && (kind == Kind.JAVA || kind == Kind.TERRAFORM));
  }

  /** A decoy: a rule's format spoiled, a reference, a digest, a public key or an allowed secret. */
  private FakeSecrets.Fake decoy(Kind kind) {
    while (true) {
      FakeSecrets.Fake d = switch (random.nextInt(20)) {
        case 12 -> named("secret_key_algorithm", "PBKDF2WithHmacSHA256");
        case 13 -> named("private_key_path", "/etc/ssl/private/shop-2024.key");
        case 14 -> named("db_secret_name", "shop/prod/db-credentials-v2");
        case 15 -> named("api_key_param", "apiKeyForServiceV2Client");
        case 16 -> named("password_file", "config/secrets/db-password-2024.txt");
        case 17 -> named("token_signing_alg", "RS256");
        case 18 -> named("secret_checksum", "sha512-"
            + FakeSecrets.random(random, FakeSecrets.BASE64, 86) + "==");
        case 19 -> named("access_token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.");
        case 0 -> named("github_token", "${GITHUB_TOKEN}");
        case 1 -> named("api_key", "$API_KEY");
        case 2 -> named("deploy_token", "<< pipeline.parameters.deploy_token >>");
        case 3 -> named("db_password", "{{ .Values.db.password }}");
        case 4 -> named("api_key", random.nextBoolean() ? "<your-api-key>" : "your_api_key_here");
        case 5 -> named("api_token", UUID.nameUUIDFromBytes(bytes()).toString());
        case 6 -> named(random.nextBoolean() ? "commit_sha" : "artifact_secret_sha256",
            FakeSecrets.random(random, FakeSecrets.HEX, random.nextBoolean() ? 40 : 64));
        case 7 -> named("ssh_public_key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
            + FakeSecrets.random(random, FakeSecrets.BASE64, 43) + " ci@shop.io");
        case 8 -> named("public_key_pem", "-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A"
            + FakeSecrets.random(random, FakeSecrets.BASE64, 300) + "\\n-----END PUBLIC KEY-----");
        case 9 -> named("slack_webhook_url",
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX");
        case 10 -> named("token_header", "X-Shop-Auth-Token");
        default -> FakeSecrets.decoy(
            FakeSecrets.RULE_IDS.get(random.nextInt(FakeSecrets.RULE_IDS.size())), random);
      };
      if (fits(kind, d)) {
        return d;
      }
    }
  }

  private byte[] bytes() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return b;
  }

  private static FakeSecrets.Fake named(String name, String value) {
    return new FakeSecrets.Fake("decoy", name, value, 0, value.length());
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
    if (multiline && kind == Kind.YAML && !allowed) {
      lines.add(fake.name() + ": |");
      String[] parts = value.split("\n", -1);
      int first = lines.size() + 1;
      for (String part : parts) {
        lines.add("  " + part);
      }
      if (truths != null) {
        truths.add(new Truth(path, fake.ruleId(), first, 3));
      }
      return;
    }
    if (multiline && kind == Kind.SHELL && !allowed) {
      lines.add("cat > \"$HOME/.ssh/" + fake.name() + "\" <<'PEM'");
      int first = lines.size() + 1;
      lines.addAll(List.of(value.split("\n", -1)));
      lines.add("PEM");
      if (truths != null) {
        truths.add(new Truth(path, fake.ruleId(), first, 1));
      }
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
    switch (kind) {
      case JAVA -> {
        prefix = "    private static final String " + fake.name().toUpperCase() + " = \"";
        suffix = "\";";
      }
      case YAML -> {
        prefix = "  " + fake.name() + ": " + (single ? "'" : "\"");
        suffix = single ? "'" : "\"";
      }
      case ENV -> {
        prefix = fake.name().toUpperCase() + "=" + (single ? "'" : "");
        suffix = single ? "'" : "";
      }
      case JSON -> {
        boolean object = value.startsWith("{");
        prefix = "  \"" + fake.name() + "\": " + (object ? "" : "\"");
        suffix = object ? "," : "\",";
      }
      case SHELL -> {
        prefix = "export " + fake.name().toUpperCase() + "=" + (single ? "'" : "\"");
        suffix = single ? "'" : "\"";
      }
      case TERRAFORM -> {
        prefix = "  " + fake.name() + " = \"";
        suffix = "\"";
      }
      default -> {
        prefix = fake.name() + "=";
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

  private static String comment(Kind kind) {
    return kind == Kind.JAVA ? "    //" : "#";
  }

  private static List<String> header(Kind kind) {
    return switch (kind) {
      case JAVA -> List.of("package shop;", "", "import java.net.http.HttpClient;", "",
          "/** Settings for the shop backend. */", "final class Config {");
      case YAML -> List.of("# values for the shop chart", "image:", "  repository: shop/api",
          "  tag: \"1.4.2\"", "env:");
      case ENV -> List.of("# local development settings", "APP_ENV=development", "PORT=8080");
      case JSON -> List.of("{", "  \"name\": \"shop\",", "  \"version\": \"2.3.0\",");
      case SHELL -> List.of("#!/usr/bin/env bash", "set -euo pipefail", "");
      case TERRAFORM -> List.of("locals {", "  region = \"eu-west-1\"");
      case PROPERTIES -> List.of("# application settings", "server.port=8080");
    };
  }

  private static List<String> footer(Kind kind) {
    return switch (kind) {
      case JAVA -> List.of("}");
      case JSON -> List.of("  \"debug\": false", "}");
      case TERRAFORM -> List.of("}");
      case SHELL -> List.of("./gradlew deploy --no-daemon");
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
          "    String apiKey = vault.read(\"secret/data/shop\").get(\"api_key\");");
      case YAML -> List.of("  - name: LOG_LEVEL", "    value: info", "  replicas: 3",
          "  tokenTtlSeconds: 3600", "  secretName: shop-db-credentials",
          "  passwordSecretRef: shop-db");
      case ENV -> List.of("LOG_LEVEL=debug", "CACHE_TTL=300", "SECRET_NAME=shop/prod/db",
          "TOKEN_URL=https://auth.shop.io/oauth/token");
      case JSON -> List.of("  \"timeoutMs\": 5000,", "  \"tokenEndpoint\": \"https://auth.shop.io/token\",",
          "  \"retries\": 3,", "  \"secretRef\": \"shop-prod\",");
      case SHELL -> List.of("echo \"deploying $SERVICE\"", "TOKEN=$(vault kv get -field=token secret/ci)",
          "aws sts get-caller-identity", "curl -H \"Authorization: Bearer $TOKEN\" \"$API/health\"");
      case TERRAFORM -> List.of("  instance_type = \"t3.micro\"",
          "  secret_arn = aws_secretsmanager_secret.db.arn",
          "  kms_key_id = aws_kms_key.main.key_id", "  tags = { team = \"shop\" }");
      case PROPERTIES -> List.of("spring.datasource.username=shop",
          "spring.datasource.password=${DB_PASSWORD}", "logging.level.root=INFO",
          "security.token.ttl=3600");
    };
    return pool.get(random.nextInt(pool.size()));
  }
}
