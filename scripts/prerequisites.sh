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

# npm ci in every directory under $1 that has a package-lock.json, when its node_modules is missing or stale.
# Native AOT (dotnet publish of src/Schlage2Mqtt) links with the system C toolchain and zlib.
require_aot_toolchain() {
  apt_install gcc gcc
  if ! [ -e /usr/include/zlib.h ]; then
    apt_install zlib1g-dev __s2m_zlib_header_missing__
  fi
}

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
