#!/usr/bin/env bash
# Deploys build/housing-api.jar as a new version of the function housing-api-$1 and moves its
# "live" alias to it. Until the aws module deploys to AWS Lambda, the target is the local sandbox
# folder ${PIPEWRIGHT_SANDBOX:-.pipewright/sandbox}.
set -euo pipefail
stage="${1:?usage: deploy.sh STAGE}"
java -cp build/tools Deploy "housing-api-$stage" build/housing-api.jar "${PIPEWRIGHT_SANDBOX:-.pipewright/sandbox}"
