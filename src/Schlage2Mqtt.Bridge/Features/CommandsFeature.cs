using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.Features;

/// <summary>
/// Lock commands: carried out by <see cref="CommandExecutor"/> for the router and the request handlers. After the
/// broker was away the lock has often moved already, so every command in flight confirms at once on a reconnect
/// instead of at its next scheduled read.
/// </summary>
internal sealed class CommandsFeature(BridgeEvents events, LockRegistry registry) : IBridgeFeature
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.On<BrokerConnected>(_ =>
        {
            foreach (var entry in registry.Entries.Where(e => e.InFlight is not null))
            {
                entry.ConfirmNow();
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
