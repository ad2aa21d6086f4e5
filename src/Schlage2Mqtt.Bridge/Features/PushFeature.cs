using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Features;

/// <summary>
/// Push: starts each account's push channel, applies what it pushes to the hub, and tells the others when a channel
/// changes state (<see cref="PushStateChanged"/>); the account's own warnings go to <c>bridge/log</c>.
/// </summary>
internal sealed class PushFeature(IReadOnlyList<AccountRuntime> accounts, LockStateHub hub, BridgeEvents events, BridgeOptions options, BridgeLog log,
    BackgroundWork work, ILogger<PushFeature> logger) : IBridgeFeature
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var account in accounts)
        {
            account.Account.Warned += message => log.Warning(message);
            Start(account);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in accounts.Select(a => a.Account.Push).OfType<IPushChannel>())
        {
            try
            {
                await channel.StopAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or HttpRequestException)
            {
                logger.LogDebug("Push channel did not stop cleanly: {Reason}", ex.Message);
            }
        }
    }

    private void Start(AccountRuntime account)
    {
        var channel = account.Account.Push;
        if (channel is null)
        {
            return;
        }
        channel.UpdateReceived = (update, ct) => new ValueTask(hub.ApplyPushAsync(account, update, ct));
        channel.StateChanged += (_, e) =>
        {
            account.PushStateChanged(e.State);
            switch (e.State)
            {
                case PushState.Connected:
                    logger.LogInformation("Push channel of account {Account} connected: changes arrive as they happen", account.Name);
                    break;
                case PushState.Evicted or PushState.Unsupported:
                    // Said once per state change, in the log and in bridge/info.
                    log.Warning($"Push channel of account {account.Name}: {e.Detail ?? e.State.ToString()}. Polling every {options.PollInterval.TotalSeconds:0} s covers it.");
                    break;
                default:
                    logger.LogInformation("Push channel of account {Account}: {State} {Detail}", account.Name, e.State, e.Detail);
                    break;
            }
            events.Raise(new PushStateChanged(account, e.State, e.Detail));
        };
        work.RunService($"push channel of {account.Name}", ct => channel.StartAsync(ct));
    }
}
