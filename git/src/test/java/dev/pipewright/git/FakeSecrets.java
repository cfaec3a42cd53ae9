package dev.pipewright.git;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Fake secrets in the exact formats of the built-in rules, with random bodies and correct
 * checksums, and decoys of each. Deterministic for a given {@link Random}.
 */
final class FakeSecrets {
    static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final String BASE64 = BASE62 + "+/";
    static final String BASE64URL = BASE62 + "-_";
    static final String HEX = "0123456789abcdef";
    static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /**
     * A secret to plant: a variable name, the value to assign, where the secret starts in the value
     * and how long it is.
     */
    record Fake(String ruleId, String name, String value, int offset, int length) {
        String secret() {
            return value.substring(offset, offset + length);
        }

        boolean hasDoubleQuotes() {
            return value.indexOf('"') >= 0;
        }

        /** The same value with the secret replaced. */
        Fake withSecret(String replacement) {
            return new Fake(ruleId, name,
                    value.substring(0, offset) + replacement + value.substring(offset + length), offset,
                    replacement.length());
        }
    }

    static final List<String> RULE_IDS =
            SecretRules.defaults().stream().map(SecretRule::id).toList();

    private FakeSecrets() {}

    static String random(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** Random text that mixes letters and digits and has no placeholder-like runs. */
    static String body(Random random, String alphabet, int length) {
        while (true) {
            String s = random(random, alphabet, length);
            if (!Decoys.hasRun(s, 4) && s.chars().anyMatch(Character::isDigit)
                    && s.chars().anyMatch(Character::isLetter)) {
                return s;
            }
        }
    }

    static String checksummed(Random random, String prefix, int length) {
        String r = body(random, BASE62, length);
        return prefix + r + TokenChecksum.of(r);
    }

    private static Fake plain(String ruleId, String name, String secret) {
        return new Fake(ruleId, name, secret, 0, secret.length());
    }

    private static Fake embedded(String ruleId, String name, String before, String secret,
            String after) {
        return new Fake(ruleId, name, before + secret + after, before.length(), secret.length());
    }

    static String b64url(String json) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String pem(String label, String derStart, Random random) {
        String body = derStart + body(random, BASE64, 600);
        StringBuilder out = new StringBuilder("-----BEGIN " + label + "-----\n");
        for (int i = 0; i < body.length(); i += 64) {
            out.append(body, i, Math.min(body.length(), i + 64)).append('\n');
        }
        return out.append("-----END ").append(label).append("-----").toString();
    }

    /** A valid fake secret for a rule; PEM blocks contain real newlines. */
    static Fake valid(String ruleId, Random r) {
        switch (ruleId) {
            case "aws-access-key-id":
                return plain(ruleId, "aws_access_key_id", "AKIA" + body(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
            case "aws-secret-access-key":
                return plain(ruleId, "aws_secret_access_key", body(r, BASE64, 40));
            case "aws-session-token":
                return plain(ruleId, "aws_session_token", "IQoJb3JpZ2luX2VjE" + body(r, BASE64, 300));
            case "github-classic-pat":
                return plain(ruleId, "github_token", checksummed(r, "ghp_", 30));
            case "github-oauth-token":
                return plain(ruleId, "gh_oauth_token", checksummed(r, "gho_", 30));
            case "github-app-user-token":
                return plain(ruleId, "gh_user_token", checksummed(r, "ghu_", 30));
            case "github-app-installation-token":
                return plain(ruleId, "gh_installation_token", checksummed(r, "ghs_", 30));
            case "github-refresh-token":
                return plain(ruleId, "gh_refresh_token", checksummed(r, "ghr_", 30));
            case "github-fine-grained-pat":
                return plain(ruleId, "gh_pat",
                        checksummed(r, "github_pat_" + body(r, BASE62, 22) + "_", 53));
            case "gitlab-pat":
                return plain(ruleId, "gitlab_token", "glpat-" + body(r, BASE64URL, 20));
            case "slack-token":
                return plain(ruleId, "slack_bot_token", "xoxb-" + random(r, "123456789", 11) + "-"
                        + random(r, "123456789", 12) + "-" + body(r, BASE62, 24));
            case "slack-webhook":
                return plain(ruleId, "slack_webhook_url", "https://hooks.slack.com/services/T"
                        + body(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 9) + "/B"
                        + body(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 9) + "/" + body(r, BASE62, 24));
            case "stripe-secret-key":
                return plain(ruleId, "stripe_secret_key", "sk_live_" + body(r, BASE62, 24 + r.nextInt(75)));
            case "stripe-restricted-key":
                return plain(ruleId, "stripe_restricted_key", "rk_live_" + body(r, BASE62, 24 + r.nextInt(75)));
            case "google-api-key":
                return plain(ruleId, "google_maps_api_key", "AIza" + body(r, BASE64URL, 35));
            case "gcp-service-account": {
                String key = pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", r).replace("\n", "\\n")
                        + "\\n";
                return embedded(ruleId, "google_credentials",
                        "{\"type\": \"service_account\", \"project_id\": \"shop-prod\", \"private_key_id\": \""
                                + random(r, HEX, 40) + "\", \"private_key\": \"",
                        key.substring(0, key.length() - 2),
                        "\\n\", \"client_email\": \"deployer@shop-prod.iam.gserviceaccount.com\"}");
            }
            case "private-key-rsa":
                return plain(ruleId, "tls_key", pem("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", r));
            case "private-key-ec":
                return plain(ruleId, "signing_key", pem("EC PRIVATE KEY", "MHcCAQEEI", r));
            case "private-key-openssh":
                return plain(ruleId, "deploy_key", pem("OPENSSH PRIVATE KEY",
                        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", r));
            case "private-key-pkcs8":
                return plain(ruleId, "jwt_signing_key", pem("PRIVATE KEY",
                        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", r));
            case "private-key-pgp":
                return plain(ruleId, "gpg_key", pem("PGP PRIVATE KEY BLOCK", "lQVYBG", r));
            case "jwt":
                return plain(ruleId, "session_jwt", b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
                        + b64url("{\"sub\":\"" + body(r, BASE62, 12) + "\",\"iat\":" + (1700000000 + r.nextInt(1 << 20)) + "}")
                        + "." + body(r, BASE64URL, 43));
            case "npm-token":
                return plain(ruleId, "npm_auth_token", checksummed(r, "npm_", 30));
            case "pypi-token":
                return plain(ruleId, "pypi_upload_token", "pypi-AgEIcHlwaS5vcmc" + body(r, BASE64URL, 70));
            case "sendgrid-api-key":
                return plain(ruleId, "sendgrid_key", "SG." + body(r, BASE64URL, 22) + "." + body(r, BASE64URL, 43));
            case "twilio-api-key":
                return plain(ruleId, "twilio_key_sid", "SK" + body(r, HEX, 32));
            case "azure-storage-key":
                return embedded(ruleId, "azure_storage_connection",
                        "DefaultEndpointsProtocol=https;AccountName=shopassets;AccountKey=",
                        body(r, BASE64, 86) + "==", ";EndpointSuffix=core.windows.net");
            case "huggingface-token":
                return plain(ruleId, "hf_token", "hf_" + body(r, LETTERS + "0", 34).replace('0', 'q'));
            case "openai-api-key":
                return plain(ruleId, "openai_api_key", "sk-proj-" + body(r, BASE64URL, 40) + "T3BlbkFJ"
                        + body(r, BASE64URL, 40));
            case "anthropic-api-key":
                return plain(ruleId, "anthropic_api_key", "sk-ant-api03-" + body(r, BASE64URL, 93) + "AA");
            case "vault-token":
                return plain(ruleId, "vault_token", "hvs." + body(r, BASE64URL, 90));
            case "databricks-token":
                return plain(ruleId, "databricks_token", "dapi" + body(r, HEX, 32));
            case "docker-registry-auth": {
                String auth = Base64.getEncoder().encodeToString(("deploy:" + body(r, BASE62, 18))
                        .getBytes(StandardCharsets.UTF_8));
                return embedded(ruleId, "docker_config_json", "{\"auths\": {\"registry.shop.io\": {\"auth\": \"",
                        auth, "\"}}}");
            }
            case "database-url-password":
                return embedded(ruleId, "database_url", "postgres://app:", body(r, BASE62, 16),
                        "@db.internal:5432/shop");
            case "url-password":
                return embedded(ruleId, "mirror_url", "https://ci-bot:", body(r, BASE62, 20),
                        "@git.shop.io/platform/infra.git");
            case "generic-password":
                return plain(ruleId, "db_password", body(r, LETTERS + "0123456789!%*+-_@^~", 14));
            case "generic-secret":
                return plain(ruleId, "client_secret", body(r, BASE62, 32));
            default:
                throw new IllegalArgumentException("no fake for rule " + ruleId);
        }
    }

    /** A decoy of a rule's format: wrong checksum, or a placeholder run in the middle. */
    static Fake decoy(String ruleId, Random r) {
        Fake valid = valid(ruleId, r);
        String s = valid.secret();
        switch (ruleId) {
            case "github-classic-pat", "github-oauth-token", "github-app-user-token",
                    "github-app-installation-token", "github-refresh-token", "github-fine-grained-pat",
                    "npm-token": {
                String tampered = s.substring(0, s.length() - 1)
                        + (s.charAt(s.length() - 1) == 'A' ? 'B' : 'A');
                return valid.withSecret(tampered);
            }
            case "aws-access-key-id":
                return valid.withSecret("AKIAIOSFODNN7EXAMPLE");
            case "aws-secret-access-key":
                return valid.withSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            case "database-url-password", "url-password":
                return valid.withSecret("${DB_PASSWORD}");
            case "generic-password":
                return valid.withSecret("changeme");
            case "generic-secret":
                return valid.withSecret("your_api_key_here");
            default: {
                int mid = s.length() / 2;
                return valid.withSecret(s.substring(0, mid - 4) + "xxxxxxxx" + s.substring(mid + 4));
            }
        }
    }
}
