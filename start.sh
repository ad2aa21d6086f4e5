#!/usr/bin/env bash
# Starts schlage2mqtt: installs what is missing, builds, and runs the bridge with ./config.yaml
# (or, when there is none yet, with config.example.yaml). Extra arguments go to the bridge.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prerequisites.sh

require_dotnet
require_mosquitto

say "Building"
dotnet build src/Schlage2Mqtt/Schlage2Mqtt.csproj -c Release -nologo -clp:ErrorsOnly -o artifacts/bin

config=config.yaml
if [ ! -f "$config" ]; then
  say "No config.yaml yet: running with config.example.yaml (copy it to config.yaml and edit it)"
  config=config.example.yaml
fi
exec artifacts/bin/schlage2mqtt run --config "$config" "$@"
