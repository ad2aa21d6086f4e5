using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Configuration;

/// <summary>Binds the raw configuration tree to <see cref="AppConfig"/>, validating every key.</summary>
internal static partial class ConfigBinder
{
    private static readonly string[] TlsKeys = ["ca", "cert", "key", "server_name", "reject_unauthorized"];

    private static readonly Dictionary<string, MqttProtocol> Protocols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["5"] = MqttProtocol.V5,
        ["3.1.1"] = MqttProtocol.V311,
    };

    private static readonly Dictionary<string, TokenType> TokenTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["access"] = TokenType.Access,
        ["id"] = TokenType.Id,
    };

    private static readonly Dictionary<string, PushMode> PushModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["consumer_cloud"] = PushMode.ConsumerCloud,
        ["subscribers"] = PushMode.Subscribers,
        ["off"] = PushMode.Off,
    };

    private static readonly Dictionary<string, LogLevel> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = LogLevel.Trace,
        ["debug"] = LogLevel.Debug,
        ["info"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
    };

    public static AppConfig Bind(ConfigReader root)
    {
        var mqtt = Mqtt(root.Section("mqtt"));
        var homeAssistant = HomeAssistant(root.Section("homeassistant"));
        var schlage = Schlage(root.Section("schlage"));
        var locks = Locks(root);
        var codes = root.Section("access_codes");
        var accessCodes = new AccessCodesConfig(
            codes.Bool("expose_codes", false),
            codes.Duration("response_timeout", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
            codes.Duration("confirm_timeout", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)));
        codes.ReportUnknownKeys();
        var commandsReader = root.Section("commands");
        var commands = new CommandsConfig(
            commandsReader.Duration("startup_hold", CommandsConfig.Default.StartupHold, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            commandsReader.Int("startup_queue", CommandsConfig.Default.StartupQueue, 0, 100_000));
        commandsReader.ReportUnknownKeys();
        var dataDir = root.DirectoryPath("data_dir", "data");
        var logLevel = root.Choice("log_level", LogLevel.Information, LogLevels);
        var http = root.Section("http");
        var httpConfig = new HttpConfig(http.OptionalString("listen", ValidateListen));
        http.ReportUnknownKeys();
        root.ReportUnknownKeys();
        return new AppConfig(mqtt, homeAssistant, schlage, locks, accessCodes, dataDir, logLevel, httpConfig, commands);
    }

    private static MqttConfig Mqtt(ConfigReader r)
    {
        var (server, urlUser, urlPassword) = MqttServerCredentials.Split(
            r.String("server", "mqtt://localhost:1883", v => ValidateMqttUrl(MqttServerCredentials.Split(v).Url), MqttServerCredentials.Redact));
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
        var baseTopic = r.String("base_topic", "schlage2mqtt", ValidateTopicLevelPath);
        var clientId = r.String("client_id", DefaultClientId(), v => v.Length is > 0 and <= 65535 ? null : "is not a valid MQTT client id; use 1-23 letters, digits, '-' or '_'");
        var protocol = r.Choice("protocol_version", MqttProtocol.V5, Protocols);
        var keepAlive = r.Duration("keepalive", TimeSpan.FromSeconds(60), TimeSpan.Zero, TimeSpan.FromSeconds(65535));
        var tlsReader = r.Section("tls");
        var tls = new MqttTlsConfig(
            tlsReader.ExistingFile("ca"),
            tlsReader.ExistingFile("cert"),
            tlsReader.ExistingFile("key"),
            tlsReader.Bool("reject_unauthorized", true),
            tlsReader.OptionalString("server_name"));
        if ((tlsReader.Has("cert")) != (tlsReader.Has("key")))
        {
            tlsReader.Error(tlsReader.Has("cert") ? "key" : "cert", "a client certificate needs both mqtt.tls.cert and mqtt.tls.key; set both or neither");
        }
        var secure = server.StartsWith("mqtts:", StringComparison.OrdinalIgnoreCase) || server.StartsWith("wss:", StringComparison.OrdinalIgnoreCase);
        if (!secure)
        {
            foreach (var key in TlsKeys.Where(tlsReader.Has).Where(k => k != "reject_unauthorized" || !tls.RejectUnauthorized))
            {
                tlsReader.Error(key, $"is set, but mqtt.server '{server}' is not encrypted; use mqtts:// or wss:// to enable TLS");
            }
        }
        tlsReader.ReportUnknownKeys();
        // Back within seconds of a broker's return (issue 19): 1 s doubling to a 15 s cap, with jitter.
        var reconnectDelay = r.Duration("reconnect_delay", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        var reconnectMaxDelay = r.Duration("reconnect_max_delay", TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        if (reconnectMaxDelay < reconnectDelay)
        {
            r.Error("reconnect_max_delay", $"is {reconnectMaxDelay.TotalSeconds:0.#}s, shorter than mqtt.reconnect_delay ({reconnectDelay.TotalSeconds:0.#}s); make it at least as long");
        }
        r.ReportUnknownKeys();
        return new MqttConfig(new Uri(server), user, password, clientId, baseTopic, protocol, keepAlive, tls, reconnectDelay, reconnectMaxDelay);
    }

    private static HomeAssistantConfig HomeAssistant(ConfigReader r)
    {
        var config = new HomeAssistantConfig(
            r.Bool("enabled", true),
            r.String("discovery_prefix", "homeassistant", ValidateTopicLevelPath),
            r.String("status_topic", "homeassistant/status", ValidateTopicLevelPath),
            r.Bool("legacy_discovery", false));
        r.ReportUnknownKeys();
        return config;
    }

    private static SchlageConfig Schlage(ConfigReader r)
    {
        var poll = r.Duration("poll_interval", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(15), TimeSpan.FromHours(1),
            why: "polling the Schlage cloud faster risks a block");
        var apiBase = r.String("api_base_url", ConfigDefaults.ApiBaseUrl, ValidateHttpUrl);
        var apiKey = r.Secret("api_key", ConfigDefaults.ApiKey)!;
        var timeout = r.Duration("request_timeout", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        var budget = r.Int("max_calls_per_minute", 30, 1, 600, "calls per minute per account");
        var maxRetryAfter = r.Duration("max_retry_after", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        var c = r.Section("cognito");
        var region = c.String("region", ConfigDefaults.CognitoRegion, v => RegionPattern().IsMatch(v) ? null : "is not an AWS region; use e.g. us-west-2");
        var pool = c.String("user_pool_id", ConfigDefaults.CognitoUserPoolId,
            v => PoolPattern().IsMatch(v) ? null : "is not a Cognito user pool id; use <region>_<id>, e.g. us-west-2_2zhrVs9d4");
        var clientId = c.String("client_id", ConfigDefaults.CognitoClientId, v => v.Length > 0 ? null : "must not be empty");
        // An explicit empty client_secret means "this app client has no secret" (seed 000's client id).
        var secretGiven = c.Has("client_secret") || c.Has("client_secret_file");
        var clientSecret = c.Secret("client_secret", secretGiven ? null : ConfigDefaults.CognitoClientSecret);
        var tokenType = c.Choice("token_type", TokenType.Access, TokenTypes);
        var endpoint = c.OptionalString("endpoint", ValidateHttpUrl);
        c.ReportUnknownKeys();
        var cognito = new CognitoConfig(region, pool, clientId, clientSecret, tokenType,
            endpoint is null ? ConfigDefaults.CognitoEndpoint(region) : new Uri(endpoint));

        var accounts = new List<AccountConfig>();
        var errorsBefore = r.ErrorCount;
        foreach (var a in r.List("accounts"))
        {
            var name = a.String("name", $"account{accounts.Count + 1}", ValidateName);
            var username = a.OptionalString("username", v => v.Contains('@', StringComparison.Ordinal) ? null : "is not an email address; use the email you sign in to the Schlage Home app with");
            var password = a.Secret("password");
            var access = a.Secret("access_token");
            var refresh = a.Secret("refresh_token");
            if (password is not null && username is null)
            {
                a.Error("password", $"is set but {a.KeyPath("username")} is not; add the account's email as username");
            }
            if (username is null && access is null && refresh is null && a.ErrorCount == 0)
            {
                a.Error("username", "is missing; an account needs username (+ password, or run `schlage2mqtt login`), or pasted access_token / refresh_token");
            }
            if (accounts.Any(x => x.Name == name))
            {
                a.Error("name", $"'{name}' is used by another account; names must be unique");
            }
            a.ReportUnknownKeys();
            accounts.Add(new AccountConfig(name, username?.ToLowerInvariant(), password, access, refresh));
        }
        if (accounts.Count == 0 && r.ErrorCount == errorsBefore)
        {
            r.Error("accounts", "no Schlage account is configured; add one under schlage.accounts with username and password");
        }
        var push = Push(r.Section("push"), poll);
        r.ReportUnknownKeys();
        return new SchlageConfig(poll, new Uri(apiBase), apiKey, timeout, budget, cognito, accounts, push) { MaxRetryAfter = maxRetryAfter };
    }

    private static PushConfig Push(ConfigReader r, TimeSpan poll)
    {
        var mode = r.Choice("mode", PushMode.ConsumerCloud, PushModes);
        // Never poll more often with push than without: a long schlage.poll_interval raises the default too.
        var interval = r.Duration("poll_interval", poll > TimeSpan.FromMinutes(5) ? poll : TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(15), TimeSpan.FromHours(1),
            why: "polling catches what push missed");
        if (interval < poll)
        {
            r.Error("poll_interval", $"is {interval.TotalSeconds:0}s, shorter than schlage.poll_interval ({poll.TotalSeconds:0}s); "
                + "while push is connected the bridge polls less often, not more: use at least the normal interval");
        }
        var api = r.OptionalString("subscriber_api_url", ValidateHttpUrl);
        var socket = r.OptionalString("subscriber_websocket_url", ValidateWebSocketUrl);
        if (mode == PushMode.Subscribers && api is null && !r.Has("subscriber_api_url"))
        {
            r.Error("mode", "is subscribers but schlage.push.subscriber_api_url is not set; give the subscriber API's base URL, or use consumer_cloud");
        }
        r.ReportUnknownKeys();
        return new PushConfig(mode, interval, api is null ? null : new Uri(api), socket is null ? null : new Uri(socket));
    }

    private static string? ValidateWebSocketUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "ws" || uri.Scheme == "wss")
            ? null
            : "is not a websocket URL; use ws://host:port/path or wss://host/path";

    private static List<LockConfig> Locks(ConfigReader root)
    {
        var locks = new List<LockConfig>();
        foreach (var (match, r) in root.Entries("locks"))
        {
            var alias = r.OptionalString("alias", v => v == "bridge" ? "is reserved for the bridge's own topics; choose another alias"
                : AliasPattern().IsMatch(v) ? null : "is not a valid topic id; use 1-64 of a-z, 0-9 and _ (e.g. front_door)");
            var ignore = r.Bool("ignore", false);
            if (alias is not null && locks.Any(l => l.Alias == alias))
            {
                r.Error("alias", $"'{alias}' is already used by another lock; aliases must be unique");
            }
            r.ReportUnknownKeys();
            locks.Add(new LockConfig(match, alias, ignore));
        }
        return locks;
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

    private static string? ValidateHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : "is not an http(s) URL";

    private static string? ValidateTopicLevelPath(string value) =>
        value.Length == 0 || value.Contains('#', StringComparison.Ordinal) || value.Contains('+', StringComparison.Ordinal)
            || value.StartsWith('/') || value.EndsWith('/') || value.Contains('\0', StringComparison.Ordinal)
            ? "is not a valid topic; use levels separated by '/', without wildcards (+, #) or leading/trailing '/'"
            : null;

    private static string? ValidateName(string value) =>
        NamePattern().IsMatch(value) ? null : "is not a valid name; use 1-32 letters, digits, '-' or '_'";

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

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]_[A-Za-z0-9]+$")]
    private static partial Regex PoolPattern();

    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex NamePattern();
}
