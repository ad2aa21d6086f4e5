using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Bridge;

/// <summary>How the bridge behaves; the executable maps the configuration file into this.</summary>
public sealed record BridgeOptions
{
    /// <summary>Every topic starts with this (<c>mqtt.base_topic</c>).</summary>
    public string BaseTopic { get; init; } = "schlage2mqtt";

    /// <summary>True when the broker speaks MQTT 5 (retain handling and response topics are used).</summary>
    public bool MqttV5 { get; init; } = true;

    /// <summary>Publish Home Assistant discovery.</summary>
    public bool HomeAssistantEnabled { get; init; } = true;

    /// <summary>Home Assistant's discovery prefix.</summary>
    public string DiscoveryPrefix { get; init; } = "homeassistant";

    /// <summary>Home Assistant's birth topic; <c>online</c> there triggers a re-publish.</summary>
    public string HomeAssistantStatusTopic { get; init; } = "homeassistant/status";

    /// <summary>One config per entity instead of device-based discovery (Home Assistant before 2024.11).</summary>
    public bool LegacyDiscovery { get; init; }

    /// <summary>Longest random delay before re-publishing after Home Assistant comes online (spreads the load).</summary>
    public TimeSpan HomeAssistantRepublishMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each account's locks are read, with <see cref="PollJitter"/>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an account is polled while its push channel is connected: only to catch what push missed.</summary>
    public TimeSpan PushPollInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Random spread of each poll interval (0.1 = ±10%), so accounts do not poll in lockstep.</summary>
    public double PollJitter { get; init; } = 0.1;

    /// <summary>Consecutive failed polls after which an account's locks are reported offline.</summary>
    public int FailedPollsBeforeOffline { get; init; } = 3;

    /// <summary>First confirmation read after a command (then doubling).</summary>
    public TimeSpan ConfirmFirstDelay { get; init; } = TimeSpan.FromSeconds(2.5);

    /// <summary>Longest gap between confirmation reads.</summary>
    public TimeSpan ConfirmMaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a command is confirmed before it is reported as timed out and the state reverts.</summary>
    public TimeSpan ConfirmTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// On-demand reads of one lock (<c>&lt;lock&gt;/get</c>, the refresh button) closer together than this answer with the
    /// state just read instead of calling the cloud again: a flood of gets must not eat the call budget commands need.
    /// </summary>
    public TimeSpan MinRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often <c>bridge/health</c> is published.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-lock settings from configuration.</summary>
    public IReadOnlyList<LockOverride> Locks { get; init; } = [];

    /// <summary>Publish PINs in clear on the access-code topic.</summary>
    public bool ExposeCodes { get; init; }

    /// <summary>How long an access-code request waits for the operation to settle before answering <c>setting</c>.</summary>
    public TimeSpan AccessCodeResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sent access-code change may stay unconfirmed before it is settled (adopted, retried or failed).</summary>
    public TimeSpan AccessCodeConfirmTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First read of a lock's codes after a change (then doubling, up to a minute).</summary>
    public TimeSpan AccessCodeFirstCheck { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Writes an access-code operation may send before it fails.</summary>
    public int AccessCodeMaxAttempts { get; init; } = 3;

    /// <summary>How long commands and requests that arrive before the locks are listed wait for them (then run or answer <c>unknown_lock</c>).</summary>
    public TimeSpan StartupHoldTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many commands and requests may wait for the first lock list; more are answered at once.</summary>
    public int StartupHoldCapacity { get; init; } = 1000;

    /// <summary>The bridge's version, for <c>bridge/info</c> and discovery.</summary>
    public string Version { get; init; } = "0.0.0";

    /// <summary>A summary of the configuration (secrets redacted) for <c>bridge/info</c>.</summary>
    public JsonObject? ConfigSummary { get; init; }
}

/// <summary>Configuration of one lock, matched by Schlage device id or (case-insensitive) name.</summary>
public sealed record LockOverride(string Match, string? Alias, bool Ignore);
