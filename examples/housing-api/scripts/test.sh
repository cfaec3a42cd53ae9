#!/usr/bin/env bash
# Compiles and runs the tests against the built jar; JUnit XML goes to build/test-results.
set -euo pipefail
rm -rf build/test-classes && mkdir -p build/test-classes
javac --release 17 -Xlint:all -Werror -cp build/housing-api.jar -d build/test-classes \
  $(find src/test/java -name '*.java')
java -cp build/housing-api.jar:build/test-classes dev.pipewright.sample.housing.PropertyApiTest build/test-results
