#!/usr/bin/env bash
# Starts schlage2mqtt: installs what is missing, builds, then
#   - with ./config.yaml: runs the bridge with it (your Schlage account, your broker);
#   - without: runs the demo (a simulated Schlage cloud with three locks and a private mosquitto).
# Extra arguments go to the command (e.g. ./start.sh --port 1884 for the demo's broker port).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prerequisites.sh

require_dotnet
require_mosquitto

say "Building"
dotnet build src/Schlage2Mqtt/Schlage2Mqtt.csproj -c Release -nologo -clp:ErrorsOnly -o artifacts/bin

if [ -f config.yaml ]; then
  exec artifacts/bin/schlage2mqtt run --config config.yaml "$@"
fi
say "No config.yaml: starting the demo (copy config.example.yaml to config.yaml for your own locks)"
exec artifacts/bin/schlage2mqtt demo "$@"
