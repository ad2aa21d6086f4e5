using Schlage2Mqtt.Cloud;
using System.Text.Json.Nodes;
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

    public JsonObject Info() => new()
    {
        ["version"] = options.Version,
        ["base_topic"] = options.BaseTopic,
        // MQTT 5 keeps a retained command's flag (Retain As Published); 3.1.1 brokers clear it on live delivery.
        ["retained_command_guard"] = options.MqttV5 ? "full" : "replay_only",
        ["accounts"] = new JsonArray(accounts.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a.Name,
            ["provider"] = a.Provider,
            ["auth"] = a.Account.AuthState.Code,
            ["auth_message"] = a.Account.AuthState.Message,
            ["push"] = PushState(a),
            ["push_detail"] = a.Account.Push?.StateDetail,
            ["locks"] = registry.Entries.Count(e => e.Account == a),
        }).ToArray()),
        ["push_summary"] = PushSummary(),
        ["locks"] = new JsonArray(registry.Entries.Select(e => (JsonNode)new JsonObject
        {
            ["topic_id"] = e.TopicId,
            ["device_id"] = e.DeviceId,
            ["name"] = e.Name,
            ["model"] = e.Cloud.ModelName,
            ["account"] = e.Account.Name,
        }).ToArray()),
        ["config"] = options.ConfigSummary?.DeepClone(),
    };

    public (bool Healthy, JsonObject Document) Health()
    {
        var mqtt = client.Counters;
        var connected = client.State == MqttConnectionState.Connected;
        var accountsHealthy = accounts.All(a => a.IsHealthy(options.FailedPollsBeforeOffline) && a.Account.AuthState.Status != AuthStatus.ReauthRequired);
        var healthy = connected && accountsHealthy;
        var document = new JsonObject
        {
            ["healthy"] = healthy,
            ["problems"] = new JsonArray([.. Problems(connected).Select(p => (JsonNode)p)]),
            ["uptime_s"] = (long)(time.GetUtcNow() - _started).TotalSeconds,
            ["mqtt"] = new JsonObject
            {
                ["connected"] = connected,
                ["messages_received"] = mqtt.MessagesReceived,
                ["messages_published"] = mqtt.MessagesPublished,
                ["reconnects"] = mqtt.Reconnects,
                ["dropped"] = mqtt.DroppedMessages,
                ["refused"] = mqtt.Refused,
                ["queued"] = mqtt.QueuedMessages,
            },
            ["cloud"] = new JsonArray(accounts.Select(a =>
            {
                var s = a.Account.Statistics;
                return (JsonNode)new JsonObject
                {
                    ["account"] = a.Name,
                    ["auth"] = a.Account.AuthState.Code,
                    ["auth_message"] = a.Account.AuthState.Message,
                    ["calls"] = s.Calls,
                    ["errors"] = s.Errors,
                    ["throttled"] = s.Throttled,
                    ["avg_latency_ms"] = Math.Round(s.AverageLatency.TotalMilliseconds, 1),
                    ["max_latency_ms"] = Math.Round(s.MaxLatency.TotalMilliseconds, 1),
                    ["circuit_open"] = s.CircuitOpen,
                    ["polls"] = a.Polls,
                    ["last_poll"] = a.LastPollAt,
                    ["last_poll_ok"] = a.LastPollOk,
                    ["last_error"] = a.LastFailure?.Message,
                };
            }).ToArray()),
            ["bridge"] = new JsonObject
            {
                ["locks"] = registry.Entries.Count,
                ["commands"] = counters.Commands,
                ["requests"] = counters.Requests,
                ["retained_dropped"] = counters.RetainedDropped,
                ["rejected"] = counters.Rejected,
                ["publish_failures"] = counters.PublishFailures,
            },
            ["process"] = ProcessMemory.Figures(),
        };
        return (healthy, document);
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
