package dev.pipewright.git;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The built-in detectors, most specific first: when two rules match overlapping text, the
 * earlier one wins, so the generic rules only report what no specific rule claims. Every rule but
 * the multi-line keys is line-scoped, and anchored where the distance from a match's start to
 * its keyword is bounded.
 */
final class SecretRules {
    /**
     * The user (group 1, not the secret: the last group that matched is) and the start of a
     * password that differs from it; the caller closes the group after a length.
     */
    private static final String USER_PASSWORD = "([^\\s:/@\"'<>]*):(?!\\1@)([^\\s:/@\"'<>]";
    /** A token-ish value ends where no token character follows. */
    private static final String END = "(?![A-Za-z0-9_\\-])";
    /** Body of a PEM block, raw or with JSON/Java {@code \n} escapes, YAML indentation allowed. */
    private static final String PEM_BODY = "(?:\\\\n|\\\\r|\\s|[A-Za-z0-9+/=:.,\\-]){64,16384}?";
    /**
     * After a name: optional closing quote and an assignment operator, or a closing quote and a
     * comma (a quoted name passed with its value: {@code put("password", "…")}).
     */
    private static final String ASSIGN =
            "[\\w.\\-]{0,24}(?:[\"']?\\s*(?:=|:=|=>|:)|[\"']\\s*,)\\s*";
    /**
     * A value quoted, or unquoted up to the end of the line, a {@code ;} (the next field of a
     * connection string) or a space and a trailing comment ({@code //} and {@code #} are part of
     * base64 and URL values).
     */
    private static String value(int min, int max) {
        return "(?:\"([^\"\\s]{" + min + "," + max + "})\"|'([^'\\s]{" + min + "," + max + "})'"
                + "|([^\\s\"'`;,(){}\\[\\]<>$]{" + min + "," + max + "})"
                + "(?:[ \\t]*(?:$|;)|[ \\t]+(?:#|//)))";
    }

    /** AKIA/ASIA/ABIA/ACCA + 16 base32 characters: AWS access key id. */
    static final SecretRule AWS_ACCESS_KEY_ID =
            SecretRule.of("aws-access-key-id", "\\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\\b", 3.0,
                    "akia", "asia", "abia", "acca").anchored(0);
    /** 40 base64 characters assigned to an aws_secret_access_key-like name: AWS secret key. */
    static final SecretRule AWS_SECRET_ACCESS_KEY =
            SecretRule.of("aws-secret-access-key",
                    "(?i)aws[_.\\-]?secret[_.\\-]?(?:access[_.\\-]?)?key" + ASSIGN + "[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
                    3.5, "aws").anchored(0);
    /** 100+ base64 characters assigned to an aws_session_token-like name: AWS session token. */
    static final SecretRule AWS_SESSION_TOKEN =
            SecretRule.of("aws-session-token",
                    "(?i)aws[_.\\-]?session[_.\\-]?token" + ASSIGN + "[\"']?([A-Za-z0-9/+=]{100,2048})", 4.0, "aws")
                    .anchored(0);
    /** ghp_ + 30 base62 + 6 base62 CRC32: GitHub classic personal access token. */
    static final SecretRule GITHUB_CLASSIC_PAT = github("github-classic-pat", "ghp_");
    /** gho_ + 30 base62 + 6 base62 CRC32: GitHub OAuth access token. */
    static final SecretRule GITHUB_OAUTH = github("github-oauth-token", "gho_");
    /** ghu_ + 30 base62 + 6 base62 CRC32: GitHub App user-to-server token. */
    static final SecretRule GITHUB_APP_USER = github("github-app-user-token", "ghu_");
    /** ghs_ + 30 base62 + 6 base62 CRC32: GitHub App installation (server-to-server) token. */
    static final SecretRule GITHUB_APP_INSTALLATION = github("github-app-installation-token", "ghs_");
    /** ghr_ + 30 base62 + 6 base62 CRC32: GitHub App refresh token. */
    static final SecretRule GITHUB_REFRESH = github("github-refresh-token", "ghr_");
    /** github_pat_ + 22 base62 + _ + 53 base62 + 6 base62 CRC32: GitHub fine-grained PAT. */
    static final SecretRule GITHUB_FINE_GRAINED_PAT =
            SecretRule.of("github-fine-grained-pat", "\\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})" + END,
                    4.0, TokenChecksum::isValid, "github_pat_").anchored(0);
    /** glpat- + 20 characters of [A-Za-z0-9_-]: GitLab personal access token. */
    static final SecretRule GITLAB_PAT =
            SecretRule.of("gitlab-pat", "\\b(glpat-[A-Za-z0-9_\\-]{20})" + END, 3.5, "glpat-")
                    .anchored(0);
    /** xoxb-/xoxp-/xoxa-/xoxr-/xoxs- + numeric ids + a random part: Slack token. */
    static final SecretRule SLACK_TOKEN =
            SecretRule.of("slack-token",
                    "\\b(xox[abprs]-(?:[0-9]{8,13}-){1,3}[A-Za-z0-9]{24,34})" + END, 3.5, "xox").anchored(0);
    /** https://hooks.slack.com/services/T…/B…/ + 24 base62: Slack incoming webhook. */
    static final SecretRule SLACK_WEBHOOK =
            SecretRule.of("slack-webhook",
                    "(https://hooks\\.slack\\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})"
                            + END,
                    3.5, "hooks.slack.com").anchored(8);
    /** sk_live_ + 24-99 base62: Stripe live secret key. */
    static final SecretRule STRIPE_SECRET_KEY =
            SecretRule.of("stripe-secret-key", "\\b(sk_live_[A-Za-z0-9]{24,99})" + END, 3.5, "sk_live_")
                    .anchored(0);
    /** rk_live_ + 24-99 base62: Stripe live restricted key. */
    static final SecretRule STRIPE_RESTRICTED_KEY =
            SecretRule.of("stripe-restricted-key", "\\b(rk_live_[A-Za-z0-9]{24,99})" + END, 3.5,
                    "rk_live_").anchored(0);
    /** AIza + 35 characters of [A-Za-z0-9_-]: Google API key. */
    static final SecretRule GOOGLE_API_KEY =
            SecretRule.of("google-api-key", "\\b(AIza[0-9A-Za-z_\\-]{35})" + END, 3.5, "aiza")
                    .anchored(0);
    /** "private_key": "-----BEGIN PRIVATE KEY-----\n…": Google service-account JSON key. */
    static final SecretRule GCP_SERVICE_ACCOUNT =
            SecretRule.of("gcp-service-account",
                    "\"private_key\"\\s*:\\s*\"(-----BEGIN PRIVATE KEY-----" + PEM_BODY
                            + "-----END PRIVATE KEY-----)",
                    0, SecretRules::isDerKey, "\"private_key\"");
    /** PEM "RSA PRIVATE KEY" whose body is DER (starts MI): PKCS#1 RSA private key. */
    static final SecretRule RSA_PRIVATE_KEY = pem("private-key-rsa", "RSA PRIVATE KEY",
            SecretRules::isDerKey);
    /** PEM "EC PRIVATE KEY" whose body is DER (MH or MI): SEC1 EC private key. */
    static final SecretRule EC_PRIVATE_KEY = pem("private-key-ec", "EC PRIVATE KEY",
            SecretRules::isDerKey);
    /** PEM "OPENSSH PRIVATE KEY" whose body starts with base64 of "openssh-key-v1". */
    static final SecretRule OPENSSH_PRIVATE_KEY = pem("private-key-openssh", "OPENSSH PRIVATE KEY",
            s -> body(s).startsWith("b3BlbnNzaC1rZXktdjE"));
    /** PEM "PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" with a DER body: PKCS#8 private key. */
    static final SecretRule PKCS8_PRIVATE_KEY = pem("private-key-pkcs8", "(?:ENCRYPTED )?PRIVATE KEY",
            SecretRules::isDerKey);
    /** "PGP PRIVATE KEY BLOCK" armor with a high-entropy body: PGP secret key. */
    static final SecretRule PGP_PRIVATE_KEY = pem("private-key-pgp", "PGP PRIVATE KEY BLOCK",
            s -> body(s).length() >= 64 && Decoys.entropy(body(s)) >= 5.0);
    /** eyJ….eyJ….signature whose header decodes to JSON with "alg": JSON Web Token. */
    static final SecretRule JWT =
            SecretRule.of("jwt",
                    "\\b(eyJ[A-Za-z0-9_\\-]{10,}\\.eyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{16,})" + END,
                    4.0, SecretRules::isJwt, "eyj").anchored(0);
    /** npm_ + 30 base62 + 6 base62 CRC32: npm access token. */
    static final SecretRule NPM_TOKEN =
            SecretRule.of("npm-token", "\\b(npm_[A-Za-z0-9]{36})" + END, 3.5, TokenChecksum::isValid,
                    "npm_").anchored(0);
    /** pypi-AgEIcHlwaS5vcmc + 50+ base64url: PyPI API token (macaroon for pypi.org). */
    static final SecretRule PYPI_TOKEN =
            SecretRule.of("pypi-token", "\\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\\-]{50,})" + END, 4.0,
                    "pypi-ageichlwas5vcmc").anchored(0);
    /** SG. + 22 + . + 43 base64url: SendGrid API key. */
    static final SecretRule SENDGRID =
            SecretRule.of("sendgrid-api-key", "\\b(SG\\.[A-Za-z0-9_\\-]{22}\\.[A-Za-z0-9_\\-]{43})" + END,
                    4.0, "sg.").anchored(0);
    /** SK + 32 lower-case hex: Twilio API key SID. */
    static final SecretRule TWILIO_API_KEY =
            SecretRule.of("twilio-api-key", "\\b(SK[0-9a-f]{32})\\b", 3.0, "sk").anchored(0);
    /** AccountKey= + 86 base64 + "==": Azure storage account key in a connection string. */
    static final SecretRule AZURE_STORAGE_KEY =
            SecretRule.of("azure-storage-key", "AccountKey=([A-Za-z0-9+/]{86}==)", 4.5, "accountkey=")
                    .anchored(0);
    /** hf_ + 34 letters: Hugging Face access token. */
    static final SecretRule HUGGING_FACE =
            SecretRule.of("huggingface-token", "\\b(hf_[A-Za-z]{34})" + END, 3.5, "hf_")
                    .anchored(0);
    /** sk-(proj-|svcacct-|admin-)…T3BlbkFJ…: OpenAI API key (T3BlbkFJ is base64 of "OpenAI"). */
    static final SecretRule OPENAI =
            SecretRule.of("openai-api-key",
                    "\\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\\-]{20,}T3BlbkFJ[A-Za-z0-9_\\-]{20,})" + END,
                    4.0, "t3blbkfj").lineScoped();
    /** sk-ant-api03- or sk-ant-admin01- + 93 base64url + AA: Anthropic API key. */
    static final SecretRule ANTHROPIC =
            SecretRule.of("anthropic-api-key",
                    "\\b(sk-ant-(?:api03|admin01)-[A-Za-z0-9_\\-]{93}AA)" + END, 4.0, "sk-ant-")
                    .anchored(0);
    /** hvs./hvb./hvr. + 24+ base64url: HashiCorp Vault service, batch or recovery token. */
    static final SecretRule VAULT_TOKEN =
            SecretRule.of("vault-token", "\\b(hv[sbr]\\.[A-Za-z0-9_\\-]{24,})" + END, 4.0, "hvs.", "hvb.",
                    "hvr.").anchored(0);
    /** dapi + 32 lower-case hex (+ optional -N): Databricks personal access token. */
    static final SecretRule DATABRICKS =
            SecretRule.of("databricks-token", "\\b(dapi[0-9a-f]{32}(?:-[0-9])?)\\b", 3.0, "dapi")
                    .anchored(0);
    /** "auth": base64 of user:password, as in ~/.docker/config.json: Docker registry auth. */
    static final SecretRule DOCKER_AUTH =
            SecretRule.of("docker-registry-auth", "\"auth\"\\s*:\\s*\"([A-Za-z0-9+/]{12,}={0,2})\"", 3.0,
                    SecretRules::isBasicAuthPair, "\"auth\"").anchored(0);
    /**
     * scheme://user:password@host for postgres, mysql, mongodb, redis, amqp, mssql (the user may be
     * empty, as in redis://:password@host): DB URL. A password equal to the user is a local
     * default (guest:guest, postgres:postgres), not a secret.
     */
    static final SecretRule DATABASE_URL =
            SecretRule.of("database-url-password",
                    "(?i)\\b(?=[pPmMrRaAsS])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver)"
                            + "://" + USER_PASSWORD + "{4,128})@[^\\s\"'<>]+",
                    2.0, "://").anchored("mongodb+srv".length());
    /** http(s)/ftp/git://user:password@host: URL with embedded credentials. */
    static final SecretRule BASIC_AUTH_URL =
            SecretRule.of("url-password",
                    "(?i)\\b(?=[hHfFgGsS])(?:https?|ftps?|git|ssh)://" + USER_PASSWORD
                            + "{6,128})@[^\\s\"'<>]+",
                    2.5, "://").anchored("https".length());
    /** A password-like name assigned a literal of 8+ characters mixing letters and others. */
    static final SecretRule GENERIC_PASSWORD =
            SecretRule.of("generic-password",
                    "(?im)(?=[pP])(?:password|passwd|pwd|passphrase)" + ASSIGN + value(8, 128), 2.8,
                    SecretRules::isPasswordLike, "password", "passwd", "pwd", "passphrase").anchored(0);
    /** A key/secret/token-like name assigned 16+ high-entropy characters with letters and digits. */
    static final SecretRule GENERIC_SECRET =
            SecretRule.of("generic-secret",
                    "(?im)(?=[aAsStTpPcC])(?:api[_.\\-]?key|apikey|secret|token|access[_.\\-]?key|auth[_.\\-]?key"
                            + "|private[_.\\-]?key|credential)" + ASSIGN + value(16, 256),
                    3.7, SecretRules::isGenericSecret, genericSecretKeywords()).anchored(0);

    private static final List<SecretRule> DEFAULTS =
            List.of(
                    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, GITHUB_CLASSIC_PAT,
                    GITHUB_OAUTH, GITHUB_APP_USER, GITHUB_APP_INSTALLATION, GITHUB_REFRESH,
                    GITHUB_FINE_GRAINED_PAT, GITLAB_PAT, SLACK_TOKEN, SLACK_WEBHOOK, STRIPE_SECRET_KEY,
                    STRIPE_RESTRICTED_KEY, GOOGLE_API_KEY, GCP_SERVICE_ACCOUNT, RSA_PRIVATE_KEY,
                    EC_PRIVATE_KEY, OPENSSH_PRIVATE_KEY, PKCS8_PRIVATE_KEY, PGP_PRIVATE_KEY, JWT, NPM_TOKEN,
                    PYPI_TOKEN, SENDGRID, TWILIO_API_KEY, AZURE_STORAGE_KEY, HUGGING_FACE, OPENAI,
                    ANTHROPIC, VAULT_TOKEN, DATABRICKS, DOCKER_AUTH, DATABASE_URL, BASIC_AUTH_URL,
                    GENERIC_PASSWORD, GENERIC_SECRET);

    /** Specific rules claim their formats: a rejected ghp_ token is not a generic secret either. */
    private static final List<Pattern> SPECIFIC =
            DEFAULTS.stream()
                    .filter(r -> !r.id().startsWith("generic-"))
                    .map(SecretRule::pattern)
                    .toList();

    private static final Pattern PREFIXED =
            Pattern.compile("^(?:gh[pousr]_|github_pat_|npm_|glpat-|xox|sk_|rk_|AIza|AKIA|ASIA|hf_|sk-"
                    + "|hv[sbr]\\.|dapi|SG\\.|eyJ|pypi-)");

    /** Words that make a generic value an identifier, path or setting rather than a secret. */
    private static final List<String> STOPWORDS =
            List.of("algorithm", "header", "param", "name", "path", "config", "default", "version",
                    "client", "service", "secret", "token", "password", "key", "value", "prefix", "suffix",
                    "bearer", "with", "hmac", "sha256", "sha512", "pbkdf2", "aes", "rsa", "endpoint",
                    "file", "local", "prod", "staging", "test", "redis", "postgres", "cache", "policy",
                    "length", "enabled", "disabled", "expires", "session", "cookie", "format", "type");
    /** Lower-case words joined by - _ / . : a name, a path or a resource id. */
    private static final Pattern WORDS = Pattern.compile("[a-z0-9]+(?:[\\-_/.:][a-z0-9]+)+");
    /**
     * Escapes ({@code \\u6E2C}, {@code \\b}, {@code \\d}): localized text in a resource bundle or
     * a regular expression, not a literal secret.
     */
    private static final Pattern ESCAPE = Pattern.compile("\\\\[A-Za-z\\\\]");
    /** Words of letters only joined by - _ / . : (Ziel-Keystore-Kennwort): a label, not a password. */
    private static final Pattern LETTER_WORDS =
            Pattern.compile("[A-Za-z][a-z]*(?:[\\-_/.:][A-Za-z][a-z]*)+");
    /** A constant's name (DEFAULT_DB_PASSWORD): code naming a value, not the value. */
    private static final Pattern CONSTANT = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");
    /** A file path or name: starts like a path or ends with an extension. */
    private static final Pattern FILE = Pattern.compile("(?:\\.{1,2}/|~/|/)[\\w.\\-/]*|[\\w.\\-/]+\\.[a-z]{2,4}");

    /**
     * Dotted references in code (self._helper.callback, config.db.password). Only for the generic
     * rules: JWTs, SendGrid keys and Vault tokens have the same shape.
     */
    private static final Pattern CODE_REFERENCE =
            Pattern.compile("[A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)+(?:\\(\\))?");

    private SecretRules() {}

    /** The built-in rules in precedence order. */
    static List<SecretRule> defaults() {
        return DEFAULTS;
    }

    /**
     * Each name of {@link #GENERIC_SECRET} with each separator, so that the rule runs right at the
     * name and not on every line that says "key".
     */
    private static String[] genericSecretKeywords() {
        List<String> words = new ArrayList<>(List.of("secret", "token", "credential",
                "apikey"));
        for (String name : List.of("api", "access", "auth", "private")) {
            for (String separator : List.of("", "_", ".", "-")) {
                if (!(name + separator).equals("api")) {
                    words.add(name + separator + "key");
                }
            }
        }
        return words.toArray(String[]::new);
    }

    private static SecretRule github(String id, String prefix) {
        return SecretRule.of(id, "\\b(" + prefix + "[A-Za-z0-9]{36})" + END, 3.5,
                TokenChecksum::isValid, prefix).anchored(0);
    }

    private static SecretRule pem(String id, String label, Predicate<String> check) {
        String keyword = label.replace("(?:ENCRYPTED )?", "").toLowerCase(Locale.ROOT);
        return SecretRule.of(id,
                "(-----BEGIN " + label + "-----" + PEM_BODY + "-----END " + label + "-----)", 0, check,
                "-----begin " + keyword);
    }

    /** The base64 between the armor lines, without escapes, whitespace or armor headers. */
    static String body(String pem) {
        int start = pem.indexOf("-----", 5) + 5;
        int end = pem.lastIndexOf("-----END");
        String inner = pem.substring(start, Math.max(start, end)).replace("\\n", "\n")
                .replace("\\r", "\n");
        StringBuilder out = new StringBuilder(inner.length());
        for (String line : inner.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.contains(":") || trimmed.startsWith("=")) {
                continue; // armor header (Version: …) or PGP CRC line
            }
            out.append(trimmed);
        }
        return out.toString();
    }

    /** DER SEQUENCE: base64 of 0x30 0x8x starts with "MI", of a short-form 0x30 0x77 with "MH". */
    private static boolean isDerKey(String pem) {
        String body = body(pem);
        return body.length() >= 64
                && (body.startsWith("MI") || body.startsWith("MH"))
                && Decoys.entropy(body) >= 5.0;
    }

    private static boolean isJwt(String token) {
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0,
                    token.indexOf('.'))), StandardCharsets.UTF_8);
            return header.startsWith("{") && header.contains("\"alg\"") && !header.contains("\"none\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isBasicAuthPair(String base64) {
        try {
            String pair = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon > 0 && pair.length() - colon - 1 >= 6 && !Decoys.isDecoy(pair.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isPasswordLike(String value) {
        boolean letter = false;
        boolean other = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isLetter(c)) {
                letter = true;
            } else {
                other = true;
            }
        }
        return letter && other && !value.contains(".get") && !FILE.matcher(value).matches()
                && !ESCAPE.matcher(value).find() && !LETTER_WORDS.matcher(value).matches()
                && !CONSTANT.matcher(value).matches()
                && !CODE_REFERENCE.matcher(value).matches()
                && !WORDS.matcher(value).matches();
    }

    private static boolean isGenericSecret(String value) {
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        if (!letter || !digit || PREFIXED.matcher(value).find() || value.contains("://")
                || WORDS.matcher(value).matches() || FILE.matcher(value).matches()
                || CONSTANT.matcher(value).matches() || CODE_REFERENCE.matcher(value).matches()
                || ESCAPE.matcher(value).find()) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (String word : STOPWORDS) {
            if (word.length() >= 4 ? lower.contains(word) : lower.startsWith(word)) {
                return false;
            }
        }
        for (Pattern specific : SPECIFIC) {
            if (specific.matcher(value).find()) {
                return false;
            }
        }
        return true;
    }
}
