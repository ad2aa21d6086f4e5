# schlage2mqtt container: config at /data/config.yaml, state (tokens, topic ids, pending operations) in /data.
#   docker build -t schlage2mqtt .
#   docker run -d --name schlage2mqtt -v "$PWD/data:/data" schlage2mqtt
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Schlage2Mqtt/Schlage2Mqtt.csproj -c Release -o /app -nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# The image's built-in non-root user (uid 1654) owns the data volume.
RUN mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build /app .
ENV S2M__DATA_DIR=/data \
    S2M__HTTP__LISTEN=127.0.0.1:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME /data
USER app
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/app/schlage2mqtt", "health", "--url", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["/app/schlage2mqtt"]
CMD ["run", "--config", "/data/config.yaml"]
