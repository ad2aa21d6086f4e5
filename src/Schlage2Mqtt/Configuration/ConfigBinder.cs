using System.Net;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Configuration;

/// <summary>
/// Binds the raw configuration tree straight into each layer's options record. Every default is the record's own
/// initialiser; only what the file itself can get wrong (a value of the wrong type, a typo, one credential given in
/// two places) is checked here. Ranges and rules belong to the layers' validators, which <see cref="ConfigLoader"/> runs next.
/// </summary>
internal static class ConfigBinder
{
    /// <summary>
    /// How long the broker keeps the bridge's session (subscriptions and QoS 1 commands sent while it is away).
    /// Long enough to ride out a restart, short enough that an old UNLOCK is not acted on much later.
    /// </summary>
    public static readonly TimeSpan SessionExpiry = TimeSpan.FromMinutes(10);

    private const string DefaultServer = "mqtt://localhost:1883";

    public static readonly IReadOnlyDictionary<string, MqttProtocolVersion> Protocols = new Dictionary<string, MqttProtocolVersion>(StringComparer.OrdinalIgnoreCase)
    {
        ["5"] = MqttProtocolVersion.V500,
        ["3.1.1"] = MqttProtocolVersion.V311,
    };

    public static readonly IReadOnlyDictionary<string, PushMode> PushModes = new Dictionary<string, PushMode>(StringComparer.OrdinalIgnoreCase)
    {
        ["consumer_cloud"] = PushMode.ConsumerCloud,
        ["subscribers"] = PushMode.Subscribers,
        ["off"] = PushMode.Off,
    };

    private static readonly Dictionary<string, TokenType> TokenTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["access"] = TokenType.Access,
        ["id"] = TokenType.Id,
    };

    private static readonly Dictionary<string, LogLevel> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = LogLevel.Trace,
        ["debug"] = LogLevel.Debug,
        ["info"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
    };

    /// <summary>The config spelling of <paramref name="value"/> in <paramref name="names"/> (e.g. <c>3.1.1</c>).</summary>
    public static string NameOf<T>(IReadOnlyDictionary<string, T> names, T value) =>
        names.First(kv => EqualityComparer<T>.Default.Equals(kv.Value, value)).Key;

    public static AppConfig Bind(ConfigReader root)
    {
        // The read order is the order of check-config's output and of the "known keys" hints: keep it.
        var (mqtt, reconnect, baseTopic) = Mqtt(root.Section("mqtt"));
        var bridge = HomeAssistant(root.Section("homeassistant"), new BridgeOptions
        {
            BaseTopic = baseTopic,
            MqttV5 = mqtt.ProtocolVersion == MqttProtocolVersion.V500,
        });
        (var schlage, bridge) = Schlage(root.Section("schlage"), bridge);
        bridge = Locks(root, bridge);
        var codes = root.Section("access_codes");
        bridge = bridge with
        {
            ExposeCodes = codes.Bool("expose_codes", bridge.ExposeCodes),
            AccessCodeResponseTimeout = codes.Duration("response_timeout", bridge.AccessCodeResponseTimeout),
            AccessCodeConfirmTimeout = codes.Duration("confirm_timeout", bridge.AccessCodeConfirmTimeout),
        };
        codes.ReportUnknownKeys();
        var commands = root.Section("commands");
        bridge = bridge with
        {
            StartupHoldTime = commands.Duration("startup_hold", bridge.StartupHoldTime),
            StartupHoldCapacity = commands.Int("startup_queue", bridge.StartupHoldCapacity),
        };
        commands.ReportUnknownKeys();
        var defaults = new AppConfig { Schlage = schlage, Bridge = bridge, Mqtt = mqtt, MqttReconnect = reconnect };
        var dataDir = root.DirectoryPath("data_dir", defaults.DataDir);
        var logLevel = root.Choice("log_level", defaults.LogLevel, LogLevels);
        var http = root.Section("http");
        var listen = http.OptionalString("listen", ValidateListen, defaults.Http.Listen);
        http.ReportUnknownKeys();
        root.ReportUnknownKeys();
        return defaults with { DataDir = dataDir, LogLevel = logLevel, Http = new HttpConfig(listen) };
    }

    private static (MqttClientOptions Client, MqttReconnectOptions Reconnect, string BaseTopic) Mqtt(ConfigReader r)
    {
        // A broker URL is checked as it is read: only a URL can be split into the address and its userinfo.
        var (server, urlUser, urlPassword) = MqttServerCredentials.Split(
            r.String("server", DefaultServer, v => ValidateMqttUrl(MqttServerCredentials.Split(v).Url), MqttServerCredentials.Redact));
        var user = r.OptionalString("user");
        var password = r.Secret("password");
        if (urlUser is not null && user is not null && user != urlUser)
        {
            r.Error("user", "differs from the user in mqtt.server (user:password@host); give the broker credentials in one place: mqtt.user/mqtt.password, or mqtt.server");
        }
        if (urlPassword is not null && password is not null && password.Reveal() != urlPassword)
        {
            r.Error("password", "differs from the password in mqtt.server (user:password@host); give the broker credentials in one place: mqtt.user/mqtt.password, or mqtt.server");
        }
        user ??= urlUser;
        password ??= urlPassword is null ? null : new Secret(urlPassword);
        if (password is not null && user is null)
        {
            r.Error("password", "is set but mqtt.user is not; set mqtt.user too (brokers ignore a password without a user)");
        }
        var baseTopic = r.String("base_topic", new BridgeOptions().BaseTopic);
        var defaults = new MqttClientOptions { Server = server };
        var clientId = r.String("client_id", DefaultClientId());
        var protocol = r.Choice("protocol_version", defaults.ProtocolVersion, Protocols);
        var keepAlive = r.Duration("keepalive", defaults.KeepAlive);
        var tlsReader = r.Section("tls");
        var tls = new MqttTlsOptions
        {
            CaFile = tlsReader.ExistingFile("ca"),
            CertFile = tlsReader.ExistingFile("cert"),
            KeyFile = tlsReader.ExistingFile("key"),
            RejectUnauthorized = tlsReader.Bool("reject_unauthorized", defaults.Tls.RejectUnauthorized),
            ServerName = tlsReader.OptionalString("server_name"),
        };
        tlsReader.ReportUnknownKeys();
        var reconnectDefaults = new MqttReconnectOptions();
        var reconnect = reconnectDefaults with
        {
            InitialDelay = r.Duration("reconnect_delay", reconnectDefaults.InitialDelay),
            MaxDelay = r.Duration("reconnect_max_delay", reconnectDefaults.MaxDelay),
        };
        r.ReportUnknownKeys();
        var client = defaults with
        {
            ClientId = clientId,
            ProtocolVersion = protocol,
            KeepAlive = keepAlive,
            // A persistent session keeps QoS 1 commands that arrive while the bridge reconnects.
            CleanStart = false,
            SessionExpiryInterval = SessionExpiry,
            Username = user,
            Password = password?.Reveal(),
            Tls = tls,
        };
        return (client, reconnect, baseTopic);
    }

    private static BridgeOptions HomeAssistant(ConfigReader r, BridgeOptions bridge)
    {
        var bound = bridge with
        {
            HomeAssistantEnabled = r.Bool("enabled", bridge.HomeAssistantEnabled),
            DiscoveryPrefix = r.String("discovery_prefix", bridge.DiscoveryPrefix),
            HomeAssistantStatusTopic = r.String("status_topic", bridge.HomeAssistantStatusTopic),
            LegacyDiscovery = r.Bool("legacy_discovery", bridge.LegacyDiscovery),
        };
        r.ReportUnknownKeys();
        return bound;
    }

    private static (SchlageCloudOptions Options, BridgeOptions Bridge) Schlage(ConfigReader r, BridgeOptions bridge)
    {
        var defaults = new SchlageCloudOptions();
        var poll = r.Duration("poll_interval", bridge.PollInterval);
        var apiBase = r.Url("api_base_url", defaults.ApiBaseUrl)!;
        // An explicit empty api_key reads as none, which the validator refuses with the fix.
        var apiKey = r.Secret("api_key", defaults.ApiKey)?.Reveal() ?? "";
        var timeout = r.Duration("request_timeout", defaults.RequestTimeout);
        var budget = r.Int("max_calls_per_minute", defaults.MaxCallsPerMinute);
        var maxRetryAfter = r.Duration("max_retry_after", defaults.RetryAfterCap);

        var c = r.Section("cognito");
        var cognitoDefaults = defaults.Cognito;
        var region = c.String("region", cognitoDefaults.Region);
        var pool = c.String("user_pool_id", cognitoDefaults.UserPoolId);
        var clientId = c.String("client_id", cognitoDefaults.ClientId);
        // An explicit empty client_secret means "this app client has no secret" (seed 000's client id).
        var secretGiven = c.Has("client_secret") || c.Has("client_secret_file");
        var clientSecret = c.Secret("client_secret", secretGiven ? null : cognitoDefaults.ClientSecret);
        var tokenType = c.Choice("token_type", cognitoDefaults.TokenType, TokenTypes);
        var endpoint = c.Url("endpoint", cognitoDefaults.Endpoint);
        c.ReportUnknownKeys();
        var cognito = cognitoDefaults with
        {
            Region = region,
            UserPoolId = pool,
            ClientId = clientId,
            ClientSecret = clientSecret?.Reveal(),
            TokenType = tokenType,
            Endpoint = endpoint,
        };

        var accounts = new List<SchlageAccountOptions>();
        var errorsBefore = r.ErrorCount;
        foreach (var a in r.List("accounts"))
        {
            var account = new SchlageAccountOptions
            {
                Key = a.String("name", $"account{accounts.Count + 1}"),
                Username = a.OptionalString("username"),
                Password = a.Secret("password")?.Reveal(),
                AccessToken = a.Secret("access_token")?.Reveal(),
                RefreshToken = a.Secret("refresh_token")?.Reveal(),
            };
            a.ReportUnknownKeys();
            accounts.Add(account);
        }
        // The provider works with no account (login uses it so); a daemon without one has nothing to bridge.
        if (accounts.Count == 0 && r.ErrorCount == errorsBefore)
        {
            r.Error("accounts", "no Schlage account is configured; add one under schlage.accounts with username and password");
        }
        var (push, pushPoll) = Push(r.Section("push"), defaults.Push, poll, bridge.PushPollInterval);
        r.ReportUnknownKeys();
        var options = defaults with
        {
            ApiBaseUrl = apiBase,
            ApiKey = apiKey,
            RequestTimeout = timeout,
            MaxCallsPerMinute = budget,
            RetryAfterCap = maxRetryAfter,
            Cognito = cognito,
            Accounts = accounts,
            Push = push,
        };
        return (options, bridge with { PollInterval = poll, PushPollInterval = pushPoll });
    }

    private static (PushOptions Push, TimeSpan PollInterval) Push(ConfigReader r, PushOptions defaults, TimeSpan poll, TimeSpan pushPoll)
    {
        var mode = r.Choice("mode", defaults.Mode, PushModes);
        // Never poll more often with push than without: a long schlage.poll_interval raises the default too.
        r.DefaultFrom("poll_interval", "schlage.poll_interval");
        var interval = r.Duration("poll_interval", poll > pushPoll ? poll : pushPoll);
        var api = r.Url("subscriber_api_url", defaults.SubscriberApiBaseUrl);
        var socket = r.Url("subscriber_websocket_url", defaults.SubscriberWebSocketUrl);
        r.ReportUnknownKeys();
        return (defaults with { Mode = mode, SubscriberApiBaseUrl = api, SubscriberWebSocketUrl = socket }, interval);
    }

    private static BridgeOptions Locks(ConfigReader root, BridgeOptions bridge)
    {
        var locks = new List<LockOverride>();
        foreach (var (match, r) in root.Entries("locks"))
        {
            locks.Add(new LockOverride(match, r.OptionalString("alias"), r.Bool("ignore", false)));
            r.ReportUnknownKeys();
        }
        return bridge with { Locks = locks };
    }

    private static string DefaultClientId()
    {
        // Stable per machine (a persistent session survives restarts) and distinct across machines.
        var host = new string(Environment.MachineName.Where(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_').ToArray());
        var id = host.Length == 0 ? "schlage2mqtt" : "schlage2mqtt_" + host;
        return id.Length <= 23 ? id : id[..23];
    }

    private static string? ValidateMqttUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return "is not a URL; use e.g. mqtt://localhost:1883, mqtts://broker:8883, ws://broker:8080/mqtt or wss://broker/mqtt";
        }
        return uri.Scheme is "mqtt" or "mqtts" or "ws" or "wss"
            ? null
            : $"uses the scheme '{uri.Scheme}'; use mqtt://, mqtts://, ws:// or wss://";
    }

    private static string? ValidateListen(string value)
    {
        var idx = value.LastIndexOf(':');
        if (idx <= 0 || !int.TryParse(value[(idx + 1)..], out var port) || port is < 1 or > 65535)
        {
            return "is not an address to listen on; use host:port, e.g. 127.0.0.1:8080 or 0.0.0.0:8080";
        }
        var host = value[..idx].Trim('[', ']');
        return host == "localhost" || IPAddress.TryParse(host, out _)
            ? null
            : "must name an IP address (or localhost) and a port, e.g. 127.0.0.1:8080";
    }
}
