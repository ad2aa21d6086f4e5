using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.Features;

/// <summary>Polling: one <see cref="AccountPoller"/> per account, each applying its polls to the hub.</summary>
internal sealed class PollingFeature(IReadOnlyList<AccountRuntime> accounts, LockStateHub hub, BridgeEvents events, BridgeOptions options, BridgeLog log,
    BackgroundWork work, TimeProvider time, BridgeRandom random, ILoggerFactory loggers) : IBridgeFeature
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var account in accounts)
        {
            var poller = new AccountPoller(account, hub, events, options, log, time, random.Value, loggers.CreateLogger<AccountPoller>());
            work.RunService("polling", poller.RunAsync);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
