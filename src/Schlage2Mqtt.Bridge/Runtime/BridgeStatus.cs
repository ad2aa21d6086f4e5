using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>Builds the <c>bridge/info</c> and <c>bridge/health</c> documents.</summary>
internal sealed class BridgeStatus(BridgeOptions options, IReadOnlyList<AccountRuntime> accounts, LockRegistry registry, IMqttClient client, BridgeCounters counters, TimeProvider time)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <summary>The process's memory figures and the measurement-only full collection of <c>health_check</c>.</summary>
    public ProcessMemory Memory { get; } = new(time);

    // Read from the account's own channel: the state is the channel's, so no one has to keep a copy in step.
    private static string PushState(AccountRuntime account) =>
        account.Account.Push is { } channel ? channel.State.ToString().ToLowerInvariant() : "disabled";

    public BridgeInfoPayload Info() => new(
        options.Version,
        options.BaseTopic,
        // MQTT 5 keeps a retained command's flag (Retain As Published); 3.1.1 brokers clear it on live delivery.
        options.MqttV5 ? "full" : "replay_only",
        [.. accounts.Select(a => new AccountSummary(a.Name, a.Provider, a.Account.AuthState.Code, a.Account.AuthState.Message,
            PushState(a), a.Account.Push?.StateDetail, registry.Entries.Count(e => e.Account == a)))],
        PushSummary(),
        [.. registry.Entries.Select(e => new LockSummary(e.TopicId, e.DeviceId, e.Name, e.Cloud.ModelName, e.Account.Name))],
        options.ConfigSummary);

    /// <summary>The health document as JSON (what <c>bridge/health</c> carries).</summary>
    public (bool Healthy, JsonObject Document) Health()
    {
        var report = HealthReport();
        return (report.Healthy, ToJson(report));
    }

    /// <summary><paramref name="report"/> as the JSON the contract shows.</summary>
    public static JsonObject ToJson(HealthPayload report) => JsonSerializer.SerializeToNode(report, ContractJson.Default.HealthPayload)!.AsObject();

    /// <summary>The health document now.</summary>
    public HealthPayload HealthReport()
    {
        var mqtt = client.Counters;
        var connected = client.State == MqttConnectionState.Connected;
        var accountsHealthy = accounts.All(a => a.IsHealthy(options.FailedPollsBeforeOffline) && a.Account.AuthState.Status != AuthStatus.ReauthRequired);
        var healthy = connected && accountsHealthy;
        return new HealthPayload(
            healthy,
            [.. Problems(connected)],
            (long)(time.GetUtcNow() - _started).TotalSeconds,
            new MqttHealth(connected, mqtt.MessagesReceived, mqtt.MessagesPublished, mqtt.Reconnects, mqtt.DroppedMessages, mqtt.Refused, mqtt.QueuedMessages),
            [.. accounts.Select(a =>
            {
                var s = a.Account.Statistics;
                return new CloudHealth(a.Name, a.Account.AuthState.Code, a.Account.AuthState.Message, s.Calls, s.Errors, s.Throttled,
                    Math.Round(s.AverageLatency.TotalMilliseconds, 1), Math.Round(s.MaxLatency.TotalMilliseconds, 1), s.CircuitOpen,
                    a.Polls, a.LastPollAt, a.LastPollOk, a.LastFailure?.Message);
            })],
            new BridgeHealth(registry.Entries.Count, counters.Commands, counters.Requests, counters.RetainedDropped, counters.Rejected, counters.PublishFailures),
            ProcessMemory.Figures());
    }

    /// <summary>
    /// Why the bridge is unhealthy, one sentence per cause naming the account and the fix: a health probe (or a
    /// human reading <c>/health</c>) must not have to correlate counters to learn that an account cannot sign in.
    /// </summary>
    private IEnumerable<string> Problems(bool connected)
    {
        if (!connected)
        {
            yield return "The MQTT broker is not connected: check mqtt.server and that the broker is running.";
        }
        foreach (var a in accounts)
        {
            var auth = a.Account.AuthState;
            if (auth.Status == AuthStatus.ReauthRequired)
            {
                yield return $"Schlage account '{a.Name}' cannot sign in (reauth_required): {auth.Message ?? "run `schlage2mqtt login`."}";
            }
            else if (!a.IsHealthy(options.FailedPollsBeforeOffline))
            {
                var why = auth.Status == AuthStatus.Degraded ? $"sign-in is failing ({auth.Message})" : a.LastFailure?.Message ?? "unknown error";
                yield return $"Schlage account '{a.Name}': the last {a.ConsecutiveFailures} polls failed: {why}. The bridge keeps retrying; see bridge/log.";
            }
        }
    }

    private string PushSummary()
    {
        var states = accounts.Select(a => PushState(a)).Distinct().ToList();
        return states.Count switch
        {
            0 => "disabled",
            1 => states[0],
            _ => string.Join(", ", accounts.Select(a => $"{a.Name}: {PushState(a)}")),
        };
    }
}
