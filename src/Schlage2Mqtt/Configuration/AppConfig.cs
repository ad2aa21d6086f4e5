using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Configuration;

/// <summary>The validated configuration of the bridge, as read from YAML, files and the environment.</summary>
public sealed record AppConfig(
    MqttConfig Mqtt,
    HomeAssistantConfig HomeAssistant,
    SchlageConfig Schlage,
    IReadOnlyList<LockConfig> Locks,
    AccessCodesConfig AccessCodes,
    string DataDir,
    LogLevel LogLevel,
    HttpConfig Http,
    CommandsConfig? Commands = null)
{
    /// <summary>Every secret the configuration holds, so the log redactor can scrub them.</summary>
    public IEnumerable<Secret> Secrets()
    {
        IEnumerable<Secret?> all =
        [
            Mqtt.Password, Schlage.ApiKey, Schlage.Cognito.ClientSecret,
            .. Schlage.Accounts.SelectMany(a => new[] { a.Password, a.AccessToken, a.RefreshToken }),
        ];
        return all.OfType<Secret>();
    }
}

/// <summary>The broker connection (<c>mqtt:</c>).</summary>
public sealed record MqttConfig(
    Uri Server,
    string? User,
    Secret? Password,
    string ClientId,
    string BaseTopic,
    MqttProtocol Protocol,
    TimeSpan KeepAlive,
    MqttTlsConfig Tls,
    TimeSpan? ReconnectDelay = null,
    TimeSpan? ReconnectMaxDelay = null);

/// <summary>The MQTT protocol version spoken to the broker.</summary>
public enum MqttProtocol
{
    /// <summary>MQTT 3.1.1 (protocol level 4).</summary>
    V311,

    /// <summary>MQTT 5.0.</summary>
    V5,
}

/// <summary>TLS settings for <c>mqtts://</c> and <c>wss://</c> (<c>mqtt.tls:</c>).</summary>
public sealed record MqttTlsConfig(string? CaFile, string? CertFile, string? KeyFile, bool RejectUnauthorized, string? ServerName);

/// <summary>Home Assistant MQTT discovery (<c>homeassistant:</c>).</summary>
public sealed record HomeAssistantConfig(bool Enabled, string DiscoveryPrefix, string StatusTopic, bool LegacyDiscovery = false);

/// <summary>The Schlage cloud (<c>schlage:</c>).</summary>
public sealed record SchlageConfig(
    TimeSpan PollInterval,
    Uri ApiBaseUrl,
    Secret ApiKey,
    TimeSpan RequestTimeout,
    int MaxCallsPerMinute,
    CognitoConfig Cognito,
    IReadOnlyList<AccountConfig> Accounts,
    PushConfig Push)
{
    /// <summary>The longest wait a cloud <c>Retry-After</c> may impose (<c>schlage.max_retry_after</c>).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>Real-time updates from the cloud (<c>schlage.push:</c>).</summary>
/// <param name="Mode">Which push channel each account opens.</param>
/// <param name="PollInterval">How often locks are polled while push is connected (polling stays the safety net).</param>
/// <param name="SubscriberApiUrl">Base URL of the seed-004 subscriber API; required for <see cref="PushMode.Subscribers"/>.</param>
/// <param name="SubscriberWebSocketUrl">Its Socket.IO endpoint; null derives it from <paramref name="SubscriberApiUrl"/>.</param>
public sealed record PushConfig(PushMode Mode, TimeSpan PollInterval, Uri? SubscriberApiUrl, Uri? SubscriberWebSocketUrl);

/// <summary>Which push channel an account opens (<c>schlage.push.mode</c>).</summary>
public enum PushMode
{
    /// <summary><c>consumer_cloud</c>: the Schlage Home cloud's MQTT-over-WebSocket channel (the default).</summary>
    ConsumerCloud,

    /// <summary><c>subscribers</c>: the August/Yale-style websocket subscriber API.</summary>
    Subscribers,

    /// <summary><c>off</c>: polling only.</summary>
    Off,
}

/// <summary>The AWS Cognito user pool behind the Schlage cloud (<c>schlage.cognito:</c>).</summary>
public sealed record CognitoConfig(string Region, string UserPoolId, string ClientId, Secret? ClientSecret, TokenType TokenType, Uri Endpoint);

/// <summary>Which Cognito token the API calls carry.</summary>
public enum TokenType
{
    /// <summary>The AccessToken (what the Schlage Home app and pyschlage send).</summary>
    Access,

    /// <summary>The IdToken (what some partner integrations send).</summary>
    Id,
}

/// <summary>One Schlage Home account (<c>schlage.accounts[n]</c>).</summary>
public sealed record AccountConfig(string Name, string? Username, Secret? Password, Secret? AccessToken, Secret? RefreshToken);

/// <summary>Per-lock settings (<c>locks:</c>), keyed by the Schlage device id or the lock's name.</summary>
public sealed record LockConfig(string Match, string? Alias, bool Ignore);

/// <summary>Access-code management (<c>access_codes:</c>).</summary>
public sealed record AccessCodesConfig(bool ExposeCodes, TimeSpan ResponseTimeout, TimeSpan ConfirmTimeout);

/// <summary>Commands and requests (<c>commands:</c>).</summary>
/// <param name="StartupHold">How long commands and requests that arrive before the locks are listed wait for them.</param>
/// <param name="StartupQueue">How many may wait; more are answered at once.</param>
public sealed record CommandsConfig(TimeSpan StartupHold, int StartupQueue)
{
    /// <summary>The defaults: 30 s, 1,000 messages.</summary>
    public static CommandsConfig Default { get; } = new(TimeSpan.FromSeconds(30), 1000);
}

/// <summary>The optional HTTP listener for health checks (<c>http:</c>).</summary>
public sealed record HttpConfig(string? Listen);
