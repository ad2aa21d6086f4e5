using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Schlage2Mqtt.Bridge;

namespace Schlage2Mqtt.Hosting;

/// <summary>Runs the bridge for the life of the host: its stop publishes <c>offline</c> and disconnects cleanly.</summary>
internal sealed class BridgeHostedService(BridgeRuntime bridge) : IHostedService, IHealthContributor
{
    public string Name => "bridge";

    public Task StartAsync(CancellationToken cancellationToken) => bridge.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => bridge.StopAsync(cancellationToken);

    public (bool Healthy, JsonObject Details) Check() => bridge.Health();
}
