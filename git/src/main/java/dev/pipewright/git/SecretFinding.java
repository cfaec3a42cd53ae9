package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A secret found in a file: the rule, the 1-based line and column (in UTF-16 units) where the
 * secret starts, and the secret masked so that it is safe to log.
 */
record SecretFinding(String path, String ruleId, int line, int column, String masked) {
  SecretFinding {
    checkNotNull(path, "path");
    checkNotNull(ruleId, "ruleId");
    checkNotNull(masked, "masked");
    checkArgument(line >= 1, "line must be positive but was %s", line);
    checkArgument(column >= 1, "column must be positive but was %s", column);
  }

  /** {@code ghp_****…Ab12}: first and last 4 characters of long secrets, nothing of short ones. */
  static String mask(String secret) {
    if (secret.length() < 20) {
      return "****";
    }
    return secret.substring(0, 4) + "****\u2026" + secret.substring(secret.length() - 4);
  }

  @Override
  public String toString() {
    return path + ":" + line + ":" + column + " " + ruleId + " " + masked;
  }
}
