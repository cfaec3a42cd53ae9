package dev.pipewright.run;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a stage inherits from the runner's environment, and what is withheld: every variable whose
 * name looks like a credential, unless the pipeline lets stages inherit it by name.
 *
 * <p>Withheld: names starting {@code AWS_}, {@code AZURE_}, {@code ARM_}, {@code CLOUDSDK_},
 * {@code VAULT_}, {@code DOCKER_AUTH}, {@code NPM_CONFIG_}; names containing {@code TOKEN},
 * {@code SECRET}, {@code PASSWORD}, {@code PASSWD}, {@code PASSPHRASE}, {@code CREDENTIAL},
 * {@code API_KEY}/{@code APIKEY}, {@code PRIVATE_KEY}, or the word {@code AUTH}; names ending {@code _KEY} or {@code _PAT}; and
 * {@code SSH_AUTH_SOCK} (the SSH agent holds keys), {@code KUBECONFIG}. Case does not matter.
 */
final class StageEnvironment {
    private static final Pattern CREDENTIAL_LIKE = Pattern.compile(
            "^(AWS_|AZURE_|ARM_|CLOUDSDK_|VAULT_|DOCKER_AUTH|NPM_CONFIG_)"
                    + "|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|API_?KEY|PRIVATE_KEY|(^|_)AUTH(_|$)"
                    + "|_KEY$|_PAT$|^SSH_AUTH_SOCK$|^KUBECONFIG$");

    /** Set for a stage with no AWS credentials, so AWS tools cannot find the user's own. */
    static final Map<String, String> AWS_BLINDERS = Map.of(
            "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
            "AWS_CONFIG_FILE", "/dev/null",
            "AWS_EC2_METADATA_DISABLED", "true");

    private StageEnvironment() { }

    /** Whether a variable called {@code name} is withheld from stages unless allowed by name. */
    static boolean isCredentialLike(String name) {
        return CREDENTIAL_LIKE.matcher(name.toUpperCase(Locale.ROOT)).find();
    }

    /** {@code environment} without its credential-like variables, except those named in {@code allowed}. */
    static Map<String, String> inherited(Map<String, String> environment, Set<String> allowed) {
        Map<String, String> kept = new LinkedHashMap<>();
        environment.forEach((k, v) -> {
            if (allowed.contains(k) || !isCredentialLike(k)) {
                kept.put(k, v);
            }
        });
        return kept;
    }
}
