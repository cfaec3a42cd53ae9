#!/usr/bin/env bash
# Publishes the OpenAPI definition next to the deployed function: a copy per commit and "latest".
set -euo pipefail
definition="${1:?usage: publish-openapi.sh FILE}"
grep -qE '^openapi: 3\.' "$definition" || { echo "$definition: not an OpenAPI 3 definition"; exit 1; }
grep -qE '^paths:' "$definition" || { echo "$definition: has no paths"; exit 1; }
target="${PIPEWRIGHT_SANDBOX:-.pipewright/sandbox}/api-definitions/housing-api"
mkdir -p "$target"
version="${PIPEWRIGHT_COMMIT:-unversioned}"
cp "$definition" "$target/$version.yaml"
cp "$definition" "$target/latest.yaml.tmp" && mv "$target/latest.yaml.tmp" "$target/latest.yaml"
echo "published $definition as $target/$version.yaml and latest.yaml"
