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

say "Linting the Dockerfile"
bash scripts/lint-dockerfile.test.sh
bash scripts/lint-dockerfile.sh
# The systemd unit, where systemd's own checker is installed (its ExecStart names the installed binary, which a
# checkout does not have, so a copy points at /bin/true).
if command -v systemd-analyze > /dev/null; then
  say "Verifying the systemd unit"
  unit_dir=$(mktemp -d)
  sed 's|/usr/local/bin/schlage2mqtt|/bin/true|' docs/schlage2mqtt.service > "$unit_dir/schlage2mqtt.service"
  verify=$(systemd-analyze verify "$unit_dir/schlage2mqtt.service" 2>&1) || { echo "$verify" >&2; exit 1; }
  rm -rf "$unit_dir"
  [ -z "$verify" ] || { echo "docs/schlage2mqtt.service: $verify" >&2; exit 1; }
fi

say "Running tests"
# A hung test fails the run with a dump instead of eating the CI budget.
dotnet test schlage2mqtt.sln -c Release --no-build -nologo --blame-hang-timeout 10m \
  --logger "console;verbosity=minimal" "$@"

# The same daemon-process tests (and the chaos quick run) against the Native AOT binary users install, so a failure
# only the AOT build has (trimmed reflection, a missing source-generated type) fails the run. Skipped when arguments
# narrow the run (e.g. --filter) or with S2M_SKIP_AOT=1.
if [ "$#" -eq 0 ] && [ -z "${S2M_SKIP_AOT:-}" ]; then
  require_aot_toolchain
  say "Publishing the Native AOT binary (warnings are errors)"
  rm -rf artifacts/aot
  dotnet publish src/Schlage2Mqtt/Schlage2Mqtt.csproj -c Release -r "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')" \
    -nologo -clp:ErrorsOnly -o artifacts/aot
  [ ! -e artifacts/aot/schlage2mqtt.dll ] || { echo "artifacts/aot holds a JIT build, not a native one" >&2; exit 1; }
  say "Running the daemon-process tests against the AOT binary"
  S2M_TEST_DAEMON="$PWD/artifacts/aot/schlage2mqtt" dotnet test tests/Schlage2Mqtt.Tests -c Release --no-build -nologo \
    --blame-hang-timeout 10m --logger "console;verbosity=minimal" \
    --filter "FullyQualifiedName~ProcessTests|FullyQualifiedName~EndToEndTests|FullyQualifiedName~DemoListenersTests|Category=Chaos"
fi
say "All tests passed"
