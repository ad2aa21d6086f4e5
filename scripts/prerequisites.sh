# Shared by start.sh, test.sh and .ci/run: install what is missing, say exactly what to run when we cannot.
# shellcheck shell=bash

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    say "The .NET 10 SDK is missing. Install it (https://learn.microsoft.com/dotnet/core/install/linux), then run this again."
    exit 1
  fi
  if ! dotnet --list-sdks | grep -q '^10\.'; then
    say "The .NET 10 SDK is required; found: $(dotnet --list-sdks | tr '\n' ' ')"
    exit 1
  fi
}

# apt_install PACKAGE COMMAND...: install PACKAGE unless every COMMAND exists.
apt_install() {
  local package=$1; shift
  local missing=0 cmd
  for cmd in "$@"; do command -v "$cmd" >/dev/null 2>&1 || missing=1; done
  [ "$missing" = 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing $package"
    if [ -z "${S2M_APT_UPDATED:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      export S2M_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  else
    say "$package is missing. Install it with: sudo apt-get install -y $package"
    exit 1
  fi
}

require_mosquitto() {
  apt_install mosquitto mosquitto
  apt_install mosquitto-clients mosquitto_pub mosquitto_sub
}

# Native AOT (dotnet publish of src/Schlage2Mqtt) links with the system C toolchain and zlib.
require_aot_toolchain() {
  apt_install gcc gcc
  if ! [ -e /usr/include/zlib.h ]; then
    apt_install zlib1g-dev __s2m_zlib_header_missing__
  fi
}

# require_cross_toolchain ARCH (x64 or arm64, the one this machine is not): what Native AOT needs to link for the
# other architecture (https://learn.microsoft.com/dotnet/core/deploying/native-aot/cross-compile): clang, whose
# --target links for another architecture, the target's C runtime and libgcc (the GNU cross toolchain
# gcc-<triple>, or a target root file system in $SYSROOT linked with lld) and an objcopy that reads the target's
# binaries (llvm-objcopy, or <triple>-objcopy from binutils-<triple>). Installs nothing: when a piece is missing
# it names the packages and exits 1. Sets S2M_CROSS_PROPS to the extra dotnet publish properties.
require_cross_toolchain() {
  local arch=$1 triple debarch missing=()
  case "$arch" in
    arm64) triple=aarch64-linux-gnu; debarch=arm64 ;;
    x64) triple=x86_64-linux-gnu; debarch=amd64 ;;
    *) say "No cross toolchain is known for '$arch' (x64 or arm64)"; exit 1 ;;
  esac
  local package=${triple//_/-}   # Debian/Ubuntu spell x86_64 as x86-64 in package names
  S2M_CROSS_PROPS=(-p:CppCompilerAndLinker=clang)
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  if [ -n "${SYSROOT:-}" ]; then
    [ -d "$SYSROOT/usr/lib" ] || missing+=("a root file system for $arch in SYSROOT=$SYSROOT (it has no usr/lib)")
    command -v ld.lld >/dev/null 2>&1 || missing+=(lld)
    S2M_CROSS_PROPS+=("-p:SysRoot=$SYSROOT" -p:LinkerFlavor=lld)
  elif ! command -v "$triple-gcc" >/dev/null 2>&1; then
    missing+=("gcc-$package ($triple-gcc: the $arch C runtime, libgcc and linker)")
  fi
  if ! command -v llvm-objcopy >/dev/null 2>&1; then
    if command -v "$triple-objcopy" >/dev/null 2>&1; then
      S2M_CROSS_PROPS+=("-p:ObjCopyName=$triple-objcopy")
    else
      missing+=("llvm (llvm-objcopy) or binutils-$package ($triple-objcopy)")
    fi
  fi
  [ "${#missing[@]}" = 0 ] && return 0
  say "Cross-compiling the Native AOT binary for linux-$arch on this $(uname -m) machine needs what is missing here:"
  local item
  for item in "${missing[@]}"; do printf '  - %s\n' "$item" >&2; done
  cat >&2 <<EOF_CROSS
On Debian, install them with:
  sudo dpkg --add-architecture $debarch && sudo apt-get update
  sudo apt-get install -y clang llvm binutils-$package gcc-$package zlib1g-dev:$debarch
On Ubuntu the $debarch packages come from another mirror (ports.ubuntu.com for arm64, archive.ubuntu.com for amd64):
add it for that architecture first, as https://learn.microsoft.com/dotnet/core/deploying/native-aot/cross-compile
shows. Alternatives: build on an $arch machine; set SYSROOT to a root file system for $arch and install clang and lld
(https://github.com/dotnet/runtime/blob/main/src/coreclr/nativeaot/docs/containers.md); or build the Docker image
with docker buildx, which installs the cross toolchain in its build stage.
EOF_CROSS
  exit 1
}

# npm ci in every directory under $1 that has a package-lock.json, when its node_modules is missing or stale.
install_npm_peers() {
  local root=$1 lock dir
  while IFS= read -r lock; do
    dir=$(dirname "$lock")
    if [ ! -d "$dir/node_modules" ] || [ "$lock" -nt "$dir/node_modules" ]; then
      if ! command -v npm >/dev/null 2>&1; then
        apt_install npm npm
      fi
      say "npm ci in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
      touch "$dir/node_modules"
    fi
  done < <(find "$root" -name package-lock.json -not -path '*/node_modules/*' | sort)
}
