#!/usr/bin/env bash
# Installs the deployment tool: compiles deploy/Deploy.java into build/tools.
set -euo pipefail
mkdir -p build/tools
javac --release 17 -Xlint:all -Werror -d build/tools deploy/Deploy.java
echo "deployment tool installed in build/tools ($(java -version 2>&1 | head -n 1))"
