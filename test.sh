#!/usr/bin/env bash
# Runs every test of schlage2mqtt: installs what is missing (mosquitto, npm test peers), builds the solution
# in Release with warnings as errors, runs all test projects, and exits non-zero on any failure.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter FullyQualifiedName~Mqtt).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prerequisites.sh

require_dotnet
require_mosquitto
install_npm_peers tests

say "Building (Release, warnings are errors)"
dotnet build schlage2mqtt.sln -c Release -nologo -clp:ErrorsOnly

say "Running tests"
# A hung test fails the run with a dump instead of eating the CI budget.
dotnet test schlage2mqtt.sln -c Release --no-build -nologo --blame-hang-timeout 10m \
  --logger "console;verbosity=minimal" "$@"
say "All tests passed"
