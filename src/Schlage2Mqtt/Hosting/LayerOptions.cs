using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Options;
using CloudPushMode = Schlage2Mqtt.Schlage.Options.PushMode;
using CloudTokenType = Schlage2Mqtt.Schlage.Options.TokenType;
using ConfigPushMode = Schlage2Mqtt.Configuration.PushMode;

namespace Schlage2Mqtt.Hosting;

/// <summary>Maps the validated configuration onto each layer's own options.</summary>
internal static class LayerOptions
{
    /// <summary>
    /// How long the broker keeps the bridge's session (subscriptions and QoS 1 commands sent while it is away).
    /// Long enough to ride out a restart, short enough that an old UNLOCK is not acted on much later.
    /// </summary>
    public static readonly TimeSpan SessionExpiry = TimeSpan.FromMinutes(10);

    public static SchlageCloudOptions Schlage(AppConfig config) => new()
    {
        ApiBaseUrl = WithTrailingSlash(config.Schlage.ApiBaseUrl),
        ApiKey = config.Schlage.ApiKey.Reveal(),
        RequestTimeout = config.Schlage.RequestTimeout,
        MaxCallsPerMinute = config.Schlage.MaxCallsPerMinute,
        RetryAfterCap = config.Schlage.MaxRetryAfter,
        Cognito = new CognitoOptions
        {
            Region = config.Schlage.Cognito.Region,
            UserPoolId = config.Schlage.Cognito.UserPoolId,
            ClientId = config.Schlage.Cognito.ClientId,
            ClientSecret = config.Schlage.Cognito.ClientSecret?.Reveal(),
            TokenType = config.Schlage.Cognito.TokenType == Configuration.TokenType.Id ? CloudTokenType.Id : CloudTokenType.Access,
            Endpoint = config.Schlage.Cognito.Endpoint,
        },
        Accounts = config.Schlage.Accounts.Select(a => new SchlageAccountOptions
        {
            Key = a.Name,
            Username = a.Username,
            Password = a.Password?.Reveal(),
            AccessToken = a.AccessToken?.Reveal(),
            RefreshToken = a.RefreshToken?.Reveal(),
        }).ToList(),
        Push = new PushOptions
        {
            Mode = config.Schlage.Push.Mode switch
            {
                ConfigPushMode.Subscribers => CloudPushMode.Subscribers,
                ConfigPushMode.Off => CloudPushMode.Off,
                _ => CloudPushMode.ConsumerCloud,
            },
            SubscriberApiBaseUrl = config.Schlage.Push.SubscriberApiUrl,
            SubscriberWebSocketUrl = config.Schlage.Push.SubscriberWebSocketUrl,
        },
    };

    public static BridgeOptions Bridge(AppConfig config) => new()
    {
        BaseTopic = config.Mqtt.BaseTopic,
        MqttV5 = config.Mqtt.Protocol == MqttProtocol.V5,
        HomeAssistantEnabled = config.HomeAssistant.Enabled,
        DiscoveryPrefix = config.HomeAssistant.DiscoveryPrefix,
        HomeAssistantStatusTopic = config.HomeAssistant.StatusTopic,
        LegacyDiscovery = config.HomeAssistant.LegacyDiscovery,
        PollInterval = config.Schlage.PollInterval,
        PushPollInterval = config.Schlage.Push.PollInterval,
        Locks = config.Locks.Select(l => new LockOverride(l.Match, l.Alias, l.Ignore)).ToList(),
        ExposeCodes = config.AccessCodes.ExposeCodes,
        AccessCodeResponseTimeout = config.AccessCodes.ResponseTimeout,
        AccessCodeConfirmTimeout = config.AccessCodes.ConfirmTimeout,
        StartupHoldTime = (config.Commands ?? CommandsConfig.Default).StartupHold,
        StartupHoldCapacity = (config.Commands ?? CommandsConfig.Default).StartupQueue,
        Version = BuildInfo.Version,
        ConfigSummary = Summary(config),
    };

    public static MqttClientOptions Mqtt(AppConfig config, BridgeOptions bridge) => new()
    {
        Server = config.Mqtt.Server.OriginalString,
        ClientId = config.Mqtt.ClientId,
        ProtocolVersion = config.Mqtt.Protocol == MqttProtocol.V5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311,
        KeepAlive = config.Mqtt.KeepAlive,
        // A persistent session keeps QoS 1 commands that arrive while the bridge reconnects.
        CleanStart = false,
        SessionExpiryInterval = SessionExpiry,
        Username = config.Mqtt.User,
        Password = config.Mqtt.Password?.Reveal(),
        Will = BridgeRuntime.WillMessage(bridge),
        Tls = new MqttTlsOptions
        {
            CaFile = config.Mqtt.Tls.CaFile,
            CertFile = config.Mqtt.Tls.CertFile,
            KeyFile = config.Mqtt.Tls.KeyFile,
            RejectUnauthorized = config.Mqtt.Tls.RejectUnauthorized,
            ServerName = config.Mqtt.Tls.ServerName,
        },
    };

    private static Uri WithTrailingSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    // What bridge/info shows of the configuration: enough to diagnose, nothing secret.
    private static JsonObject Summary(AppConfig config) => new()
    {
        ["mqtt_server"] = $"{config.Mqtt.Server.Scheme}://{config.Mqtt.Server.Host}:{config.Mqtt.Server.Port}",
        ["mqtt_protocol"] = config.Mqtt.Protocol == MqttProtocol.V5 ? "5" : "3.1.1",
        ["mqtt_user"] = config.Mqtt.User is null ? null : "***",
        ["homeassistant"] = config.HomeAssistant.Enabled,
        ["discovery_prefix"] = config.HomeAssistant.DiscoveryPrefix,
        ["poll_interval_s"] = config.Schlage.PollInterval.TotalSeconds,
        ["push"] = config.Schlage.Push.Mode switch
        {
            ConfigPushMode.Subscribers => "subscribers",
            ConfigPushMode.Off => "off",
            _ => "consumer_cloud",
        },
        ["push_poll_interval_s"] = config.Schlage.Push.PollInterval.TotalSeconds,
        ["max_calls_per_minute"] = config.Schlage.MaxCallsPerMinute,
        ["api_base_url"] = config.Schlage.ApiBaseUrl.GetLeftPart(UriPartial.Path),
        ["accounts"] = config.Schlage.Accounts.Count,
        ["expose_codes"] = config.AccessCodes.ExposeCodes,
        ["log_level"] = config.LogLevel.ToString().ToLowerInvariant(),
    };
}
