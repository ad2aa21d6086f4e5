# syntax=docker/dockerfile:1
# schlage2mqtt container: the Native AOT binary on the chiseled runtime-deps image. Config at /data/config.yaml,
# state (tokens, topic ids, pending operations) in /data, owned by the image's non-root user (uid 1654).
#   docker build -t schlage2mqtt .
#   docker run -d --name schlage2mqtt --restart unless-stopped -v "$PWD/data:/data" schlage2mqtt
#   docker run --rm -it -v "$PWD/data:/data" schlage2mqtt login --config /data/config.yaml
# Multi-arch (amd64 and arm64, e.g. a Raspberry Pi 4/5) from one machine: the build stage runs on the build
# machine's architecture and cross-compiles, so no emulation is needed:
#   docker buildx build --platform linux/amd64,linux/arm64 -t REGISTRY/schlage2mqtt:TAG --push .
# scripts/lint-dockerfile.sh checks this file (test.sh runs it).

# Build stage: always the build machine's architecture. Native AOT links with clang; for the other architecture
# clang links against the GNU cross toolchain and the target's libraries, the way dotnet/dotnet-docker's
# samples/releasesapi/Dockerfile.ubuntu-cross-x64-arm64 does it. The .NET 10 SDK images are Ubuntu 24.04, whose
# arm64 packages live on ports.ubuntu.com and amd64 ones on archive.ubuntu.com, so the target's architecture gets
# its own apt source and the existing ones are pinned to the build architecture.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG BUILDARCH
ARG TARGETARCH
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
RUN set -eu; \
    packages="clang llvm zlib1g-dev:$TARGETARCH"; \
    if [ "$TARGETARCH" != "$BUILDARCH" ]; then \
      case "$TARGETARCH" in \
        arm64) triple=aarch64-linux-gnu; mirror=http://ports.ubuntu.com/ubuntu-ports/ ;; \
        amd64) triple=x86-64-linux-gnu; mirror=http://archive.ubuntu.com/ubuntu/ ;; \
        *) echo "TARGETARCH $TARGETARCH is not supported (amd64 or arm64)" >&2; exit 1 ;; \
      esac; \
      . /etc/os-release; \
      grep -q '^Architectures:' /etc/apt/sources.list.d/ubuntu.sources \
        || sed -i "/^Signed-By:/a Architectures: $BUILDARCH" /etc/apt/sources.list.d/ubuntu.sources; \
      printf '%s\n' 'Types: deb' "URIs: $mirror" \
        "Suites: $VERSION_CODENAME $VERSION_CODENAME-updates $VERSION_CODENAME-security" \
        'Components: main restricted' 'Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg' \
        "Architectures: $TARGETARCH" > "/etc/apt/sources.list.d/$TARGETARCH.sources"; \
      dpkg --add-architecture "$TARGETARCH"; \
      packages="$packages gcc-$triple"; \
    fi; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages; \
    rm -rf /var/lib/apt/lists/*

WORKDIR /source
# Restore first, from the project files alone, so a source change does not download the packages again.
# src/Schlage2Mqtt references every other project under src/.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Schlage2Mqtt/Schlage2Mqtt.csproj src/Schlage2Mqtt/
COPY src/Schlage2Mqtt.Bridge/Schlage2Mqtt.Bridge.csproj src/Schlage2Mqtt.Bridge/
COPY src/Schlage2Mqtt.Cloud/Schlage2Mqtt.Cloud.csproj src/Schlage2Mqtt.Cloud/
COPY src/Schlage2Mqtt.Mqtt/Schlage2Mqtt.Mqtt.csproj src/Schlage2Mqtt.Mqtt/
COPY src/Schlage2Mqtt.Schlage/Schlage2Mqtt.Schlage.csproj src/Schlage2Mqtt.Schlage/
COPY src/Schlage2Mqtt.Simulator/Schlage2Mqtt.Simulator.csproj src/Schlage2Mqtt.Simulator/
RUN case "$TARGETARCH" in \
      amd64) rid=linux-x64 ;; \
      arm64) rid=linux-arm64 ;; \
      *) echo "TARGETARCH $TARGETARCH is not supported (amd64 or arm64)" >&2; exit 1 ;; \
    esac \
    && echo "$rid" > /rid \
    && dotnet restore src/Schlage2Mqtt/Schlage2Mqtt.csproj -r "$rid"

COPY src/ src/
# PublishAot=true (in the csproj) makes this one native executable; warnings are errors as in every build.
# The empty /out/data becomes the volume: the runtime image has no shell to create it.
RUN dotnet publish src/Schlage2Mqtt/Schlage2Mqtt.csproj -c Release -r "$(cat /rid)" --no-restore -nologo \
      -clp:ErrorsOnly -o /out/app \
    && test ! -e /out/app/schlage2mqtt.dll \
    && install -d -m 0700 /out/data

# Runtime stage: runtime-deps noble-chiseled (what dotnet/dotnet-docker's Native AOT samples ship on) holds only
# what the native binary loads (glibc, libgcc_s, libstdc++, OpenSSL for TLS, CA certificates): no shell, no package
# manager, far smaller than runtime-deps:10.0. Nothing here needs a shell: the HEALTHCHECK runs our own binary in
# exec form, and the empty /data comes from the build stage. It has no ICU or tzdata either; the binary is built
# with InvariantGlobalization and keeps its time in UTC. To debug with `docker exec -it ... sh`, build FROM
# mcr.microsoft.com/dotnet/runtime-deps:10.0 instead; nothing else changes.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
COPY --from=build --chown=1654:1654 /out/data /data
COPY --from=build /out/app/schlage2mqtt /usr/local/bin/schlage2mqtt
ENV S2M__DATA_DIR=/data \
    S2M__HTTP__LISTEN=127.0.0.1:8080
WORKDIR /data
VOLUME /data
# The runtime-deps images' non-root user `app` ($APP_UID).
USER 1654
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/schlage2mqtt", "health", "--url", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["/usr/local/bin/schlage2mqtt"]
CMD ["run", "--config", "/data/config.yaml"]
