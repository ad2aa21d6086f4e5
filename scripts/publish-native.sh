#!/usr/bin/env bash
# Publishes schlage2mqtt as one Native AOT executable that needs no .NET runtime where it runs.
#   scripts/publish-native.sh [x64|arm64] [OUTDIR]
# The architecture defaults to this machine's, OUTDIR to artifacts/native/linux-<arch>. Building for this machine's
# architecture installs gcc and zlib1g-dev when missing (as root, with apt). Building for the other one needs the
# cross toolchain (clang, the target's gcc-<triple>, llvm-objcopy); when it is missing the script names the packages
# and exits 1 without installing anything. SYSROOT=DIR links against a target root file system with clang and lld
# instead. Prints the binary's path and size.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

usage() { echo "usage: scripts/publish-native.sh [x64|arm64] [OUTDIR]" >&2; exit 2; }

host_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) uname -m ;;
  esac
}

[ "$#" -le 2 ] || usage
arch=${1:-$(host_arch)}
case "$arch" in
  x64 | arm64) ;;
  -h | --help) usage ;;
  *) say "Unknown architecture '$arch': use x64 or arm64"; usage ;;
esac
rid=linux-$arch
out=${2:-artifacts/native/$rid}
host=$(host_arch)

require_dotnet
props=()
if [ "$arch" = "$host" ]; then
  require_aot_toolchain
elif [ "$host" = x64 ] || [ "$host" = arm64 ]; then
  require_cross_toolchain "$arch"
  props=("${S2M_CROSS_PROPS[@]}")
else
  say "Native AOT cross-compiles only between x64 and arm64; this machine is $(uname -m). Build on a $arch machine."
  exit 1
fi

say "Publishing the Native AOT binary for $rid into $out"
rm -rf "$out"
dotnet publish src/Schlage2Mqtt/Schlage2Mqtt.csproj -c Release -r "$rid" -nologo -clp:ErrorsOnly -o "$out" \
  ${props[@]+"${props[@]}"}

binary=$out/schlage2mqtt
if [ ! -x "$binary" ] || [ -e "$out/schlage2mqtt.dll" ]; then
  say "$out holds no native schlage2mqtt executable (PublishAot is off, or this is a JIT build)"
  exit 1
fi
bytes=$(stat -c %s "$binary")
say "Published $rid"
printf '%s\t%s bytes (%s MiB)\n' "$binary" "$bytes" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"
if [ "$arch" != "$host" ]; then
  echo "Built for $arch: it runs on a linux-$arch machine, not on this one." >&2
fi
