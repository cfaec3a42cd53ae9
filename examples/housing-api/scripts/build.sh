#!/usr/bin/env bash
# Compiles the service and packages it as build/housing-api.jar, with nothing but a JDK.
set -euo pipefail
rm -rf build/classes && mkdir -p build/classes
javac --release 17 -Xlint:all -Werror -d build/classes $(find src/main/java -name '*.java')
jar --create --file build/housing-api.jar -C build/classes .
echo "built build/housing-api.jar ($(wc -c < build/housing-api.jar | tr -d ' ') bytes)"
