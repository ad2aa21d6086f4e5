#!/usr/bin/env bash
# Tests scripts/lint-dockerfile.sh: the repository's Dockerfile passes; a small good Dockerfile in a temporary build
# context passes; each variant of it that breaks one rule fails with exit 1 and exactly the expected
# `FILE:LINE: message` line. The temporary context carries the repository's .dockerignore, so its real patterns are
# the ones tested. Prints a summary; exits 1 when any case fails. S2M_LINT_UNDER_TEST=FILE tests another copy of
# the linter (to see that a broken check fails its case).
# shellcheck disable=SC2016  # the Dockerfile text in single quotes holds ${VARIABLES} on purpose
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
lint=${S2M_LINT_UNDER_TEST:-$repo/scripts/lint-dockerfile.sh}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failures=()

ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() { failures+=("$1"); printf '  FAIL  %s\n' "$1"; shift; printf '        %s\n' "$@"; }

# lint ARGS...: runs the linter (no Docker), sets OUT (its stdout) and RC.
lint() {
  set +e
  OUT=$(bash "$lint" --no-docker "$@" 2>/dev/null)
  RC=$?
  set -e
}

# expect_pass NAME ARGS...
expect_pass() {
  local name=$1; shift
  lint "$@"
  if [ "$RC" = 0 ] && [ -z "$OUT" ]; then ok "$name"; else fail "$name" "expected exit 0 and no output, got exit $RC:" "$OUT"; fi
}

# expect_fail NAME FILE MESSAGE...: the linter exits 1 on FILE (in the temporary context) and prints exactly the
# lines `FILE:LINE: MESSAGE`, one per MESSAGE; LINE is the line of FILE holding the marker `#<` (removed from it).
expect_fail() {
  local name=$1 file=$2; shift 2
  local expected=() message line
  for message in "$@"; do
    line=${message%%|*}; message=${message#*|}
    expected+=("$file:$line: $message")
  done
  lint --context "$ctx" "$file"
  local want
  want=$(printf '%s\n' "${expected[@]}")
  if [ "$RC" = 1 ] && [ "$OUT" = "$want" ]; then ok "$name"; else fail "$name" "expected exit 1 and:" "$want" "got exit $RC and:" "$OUT"; fi
}

# A build context: the repository's .dockerignore (`*`, then `!src/` and friends, then `**/bin/` ...) and files it
# keeps in or leaves out.
ctx=$work/context
mkdir -p "$ctx/src/App/bin/Release" "$ctx/tests/App.Tests"
cp "$repo/.dockerignore" "$ctx/.dockerignore"
mkdir -p "$ctx/src/Lib"
touch "$ctx/Directory.Build.props" "$ctx/Directory.Packages.props" "$ctx/src/App/Program.cs" \
  "$ctx/src/App/bin/Release/App.dll" "$ctx/config.yaml" "$ctx/tests/App.Tests/App.Tests.csproj" "$ctx/src/Lib/Lib.csproj"
# App references Lib the way Visual Studio writes it on Windows (backslashes).
printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk">' '  <ItemGroup>' \
  '    <ProjectReference Include="..\Lib\Lib.csproj" />' '  </ItemGroup>' '</Project>' > "$ctx/src/App/App.csproj"

good=$work/Dockerfile.good
cat > "$good" <<'EOF'
# syntax=docker/dockerfile:1
ARG SDK=mcr.microsoft.com/dotnet/sdk:10.0
FROM --platform=$BUILDPLATFORM ${SDK} AS build
ARG PROJECT=src/App/App.csproj
ARG TARGETARCH
USER root
WORKDIR /source
COPY Directory.Build.props Directory.Packages.props ./
COPY ["src/App/App.csproj", "src/App/"]
COPY src/Lib/Lib.csproj src/Lib/
COPY ${PROJECT} /tmp/project.csproj
# COPY missing/file.txt ./
RUN dotnet restore "$PROJECT" -a $TARGETARCH \
# a comment line inside a continued instruction
    && dotnet restore src/App/App.csproj \
    && echo /usr/src/elsewhere https://example.com/src/elsewhere
COPY src/ src/
COPY src/*/*.csproj /tmp/projects/
RUN <<SCRIPT
echo a heredoc body: src/App/Program.cs
SCRIPT
RUN dotnet publish ${PROJECT} -c Release -o /out

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS final
ENV APP_HOME=/app
COPY --from=build /out ${APP_HOME}/
COPY --from=0 /out /by-index/
COPY --from=mcr.microsoft.com/dotnet/runtime-deps:10.0 /etc/os-release /tmp/
USER 1654
HEALTHCHECK --interval=30s CMD ["/app/App", "health"]
ENTRYPOINT ["/app/App"]
EOF

# variant NAME SED-SCRIPT: a copy of the good Dockerfile with SED-SCRIPT applied; prints its path.
variant() {
  local file=$work/Dockerfile.$1
  sed -e "$2" "$good" > "$file"
  printf '%s' "$file"
}
# line_of FILE TEXT: the first line of FILE that holds TEXT; last_line_of: the last one.
line_of() { grep -nF -- "$2" "$1" | head -1 | cut -d: -f1; }
last_line_of() { grep -nF -- "$2" "$1" | tail -1 | cut -d: -f1; }

echo "lint-dockerfile.sh:"
expect_pass "the repository's Dockerfile passes" "$repo/Dockerfile"
expect_pass "the repository's Dockerfile passes with an explicit context" --context "$repo" "$repo/Dockerfile"
expect_pass "the good test Dockerfile passes (continuations, comments, heredoc, ARG/ENV, JSON form, --from forms)" \
  --context "$ctx" "$good"

f=$(variant missing-source 's#^COPY Directory.Build.props #COPY Directory.Build.props NuGet.config #')
expect_fail "a missing COPY source" "$f" "$(line_of "$f" NuGet.config)|COPY source 'NuGet.config' does not exist in the build context"

f=$(variant commented-out 's/^# COPY missing/COPY missing/')
expect_fail "a COPY line no longer commented out is checked" "$f" \
  "$(line_of "$f" 'COPY missing')|COPY source 'missing/file.txt' does not exist in the build context"

f=$(variant json-source 's#"src/App/App.csproj", "src/App/"#"src/App/Ap.csproj", "src/App/"#')
expect_fail "a missing source in a JSON-form COPY" "$f" \
  "$(line_of "$f" Ap.csproj)|COPY source 'src/App/Ap.csproj' does not exist in the build context"

f=$(variant arg-source 's#^ARG PROJECT=src/App/App.csproj#ARG PROJECT=src/Gone/Gone.csproj#')
expect_fail "a missing COPY source spelled with an ARG" "$f" \
  "$(line_of "$f" 'COPY ${PROJECT}')|COPY source 'src/Gone/Gone.csproj' does not exist in the build context"

f=$(variant glob 's#^COPY src/\*/\*.csproj#COPY src/*/*.fsproj#')
expect_fail "a COPY glob that matches nothing" "$f" "$(line_of "$f" fsproj)|COPY source 'src/*/*.fsproj' matches nothing in the build context"

f=$(variant ignored-top 's#^COPY src/ src/#COPY config.yaml /data/#')
expect_fail "a COPY source .dockerignore leaves out (the * line)" "$f" \
  "$(line_of "$f" config.yaml)|COPY source 'config.yaml' is excluded by .dockerignore (pattern '*')"

f=$(variant ignored-bin 's#^COPY src/ src/#COPY src/App/bin/Release/ /prebuilt/#')
expect_fail "a COPY source .dockerignore leaves out (**/bin/)" "$f" \
  "$(line_of "$f" /prebuilt/)|COPY source 'src/App/bin/Release/' is excluded by .dockerignore (pattern '**/bin/')"

f=$(variant run-missing 's#^RUN dotnet publish ${PROJECT}#RUN dotnet publish src/App/Appp.csproj#')
expect_fail "a RUN naming a missing csproj" "$f" \
  "$(line_of "$f" Appp.csproj)|RUN path 'src/App/Appp.csproj' does not exist in the build context"

f=$(variant run-continued 's#    \&\& dotnet restore src/App/App.csproj#    \&\& dotnet restore src/App/Nope.csproj#')
expect_fail "a RUN naming a missing csproj on a continuation line (reported at the RUN)" "$f" \
  "$(line_of "$f" 'RUN dotnet restore')|RUN path 'src/App/Nope.csproj' does not exist in the build context"

f=$(variant run-ignored 's#^RUN dotnet publish ${PROJECT}#RUN dotnet test tests/App.Tests/App.Tests.csproj#')
expect_fail "a RUN naming a path .dockerignore leaves out" "$f" \
  "$(line_of "$f" 'dotnet test')|RUN path 'tests/App.Tests/App.Tests.csproj' is excluded by .dockerignore (pattern '*')"

f=$(variant reference-not-copied '\#^COPY src/Lib/Lib.csproj src/Lib/#d')
expect_fail "a copied project file whose ProjectReference is not copied before the restore" "$f" \
  "$(line_of "$f" '"src/App/App.csproj"')|COPY source 'src/App/App.csproj' references src/Lib/Lib.csproj, which no COPY before the RUN on line $(line_of "$f" 'RUN dotnet restore') brings in, so dotnet restore there fails: add COPY src/Lib/Lib.csproj src/Lib/"

f=$(variant reference-copied-late '\#^COPY src/Lib/Lib.csproj src/Lib/#d; s#^COPY src/\*/\*.csproj /tmp/projects/#COPY src/Lib/Lib.csproj src/Lib/#')
expect_fail "a referenced project file copied only after the restore" "$f" \
  "$(line_of "$f" '"src/App/App.csproj"')|COPY source 'src/App/App.csproj' references src/Lib/Lib.csproj, which no COPY before the RUN on line $(line_of "$f" 'RUN dotnet restore') brings in, so dotnet restore there fails: add COPY src/Lib/Lib.csproj src/Lib/"

f=$(variant reference-by-directory '\#^COPY src/Lib/Lib.csproj src/Lib/#s#.*#COPY src/Lib/ src/Lib/#')
expect_pass "a referenced project brought in by copying its directory" --context "$ctx" "$f"

f=$(variant from-unknown 's#^COPY --from=build #COPY --from=biuld #')
expect_fail "COPY --from= an unknown stage" "$f" \
  "$(line_of "$f" biuld)|COPY --from=biuld: no earlier build stage is named biuld (stages: build)"

f=$(variant from-index 's#^COPY --from=0 #COPY --from=1 #')
expect_fail "COPY --from= the index of the stage itself" "$f" \
  "$(line_of "$f" 'from=1')|COPY --from=1: stage 1 is not an earlier build stage"

f=$(variant user-root 's#^USER 1654#USER root#')
# The build stage's own `USER root` (line 6) is allowed; the final stage's is not.
expect_fail "a final stage that runs as root" "$f" "$(last_line_of "$f" 'USER root')|the final stage runs as root (USER root)"
f=$(variant user-zero 's#^USER 1654#USER 0:0#')
expect_fail "a final stage that runs as uid 0" "$f" "$(line_of "$f" 'USER 0:0')|the final stage runs as root (USER 0:0)"

f=$(variant no-user '/^USER 1654/d')
expect_fail "a final stage without USER" "$f" \
  "$(line_of "$f" 'runtime-deps:10.0-noble')|the final stage sets no USER: the container would run as its base image user, root unless the base says otherwise"

f=$(variant no-healthcheck '/^HEALTHCHECK/d')
expect_fail "a final stage without HEALTHCHECK" "$f" "$(line_of "$f" 'runtime-deps:10.0-noble')|the final stage has no HEALTHCHECK"

f=$(variant healthcheck-none 's#^HEALTHCHECK .*#HEALTHCHECK NONE#')
expect_fail "HEALTHCHECK NONE in the final stage" "$f" "$(line_of "$f" 'HEALTHCHECK NONE')|HEALTHCHECK NONE: the final stage has no health check"

f=$(variant sdk-final 's#^FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS final#FROM mcr.microsoft.com/dotnet/sdk:10.0 AS final#')
expect_fail "a final stage FROM the SDK image" "$f" \
  "$(line_of "$f" 'sdk:10.0 AS final')|the final stage is FROM an SDK image (mcr.microsoft.com/dotnet/sdk:10.0); ship a runtime image (runtime-deps for a Native AOT binary)"

f=$(variant sdk-via-stage '$a\
FROM build AS again\
USER 1654\
HEALTHCHECK CMD ["true"]')
expect_fail "a final stage FROM a stage built on the SDK image (through ARG SDK)" "$f" \
  "$(line_of "$f" 'FROM build AS again')|the final stage is FROM an SDK image (mcr.microsoft.com/dotnet/sdk:10.0); ship a runtime image (runtime-deps for a Native AOT binary)"

f=$(variant several '/^HEALTHCHECK/d; s#^COPY --from=build #COPY --from=biuld #; s#^COPY src/ src/#COPY config.yaml /data/#')
expect_fail "several problems: one line each, in line order" "$f" \
  "$(line_of "$f" config.yaml)|COPY source 'config.yaml' is excluded by .dockerignore (pattern '*')" \
  "$(line_of "$f" 'runtime-deps:10.0-noble')|the final stage has no HEALTHCHECK" \
  "$(line_of "$f" biuld)|COPY --from=biuld: no earlier build stage is named biuld (stages: build)"

lint --context "$ctx" "$work/no-such-Dockerfile"
if [ "$RC" = 2 ]; then ok "a missing Dockerfile is a usage error (exit 2)"; else fail "a missing Dockerfile is a usage error (exit 2)" "got exit $RC"; fi

# The Docker branch, with a stand-in `docker` on PATH whose `build --check` passes or fails.
fake=$work/fakebin
mkdir -p "$fake"
cat > "$fake/docker" <<'EOF'
#!/usr/bin/env bash
case "$1 ${2:-}" in
  "info ") exit 0 ;;
  "build --help") echo "      --check    Shorthand for \"--call=check\"" ;;
  "build --check") [ -z "${FAKE_DOCKER_CHECK_FAILS:-}" ] || { echo "WARNING: SomeRule" >&2; exit 1; } ;;
  *) exit 3 ;;
esac
EOF
chmod +x "$fake/docker"
set +e
OUT=$(PATH="$fake:$PATH" bash "$lint" --context "$ctx" "$good" 2>/dev/null); RC=$?
set -e
if [ "$RC" = 0 ] && [ -z "$OUT" ]; then ok "with a Docker engine, a passing docker build --check passes"; else
  fail "with a Docker engine, a passing docker build --check passes" "got exit $RC:" "$OUT"; fi
set +e
OUT=$(FAKE_DOCKER_CHECK_FAILS=1 PATH="$fake:$PATH" bash "$lint" --context "$ctx" "$good" 2>/dev/null); RC=$?
set -e
if [ "$RC" = 1 ] && [ "$OUT" = "$good:1: docker build --check failed (its messages are above)" ]; then
  ok "with a Docker engine, a failing docker build --check fails the lint"
else
  fail "with a Docker engine, a failing docker build --check fails the lint" "got exit $RC:" "$OUT"
fi

echo "lint-dockerfile tests: $passed passed, ${#failures[@]} failed"
[ "${#failures[@]}" = 0 ]
