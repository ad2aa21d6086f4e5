using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Configuration;

/// <summary>
/// The validated configuration: each layer's own options record, bound straight from YAML, files and the environment,
/// plus the few settings only the executable reads. Defaults are the records' own; each layer's validator owns its ranges.
/// </summary>
public sealed record AppConfig
{
    /// <summary>The Schlage cloud layer (<c>schlage:</c>).</summary>
    public required SchlageCloudOptions Schlage { get; init; }

    /// <summary>The bridge (<c>mqtt.base_topic</c>, <c>homeassistant:</c>, polling, <c>locks:</c>, <c>access_codes:</c>, <c>commands:</c>).</summary>
    public required BridgeOptions Bridge { get; init; }

    /// <summary>The broker connection (<c>mqtt:</c>); the daemon adds the bridge's will message.</summary>
    public required MqttClientOptions Mqtt { get; init; }

    /// <summary>Reconnection to the broker (<c>mqtt.reconnect_delay</c>, <c>mqtt.reconnect_max_delay</c>).</summary>
    public MqttReconnectOptions MqttReconnect { get; init; } = new();

    /// <summary>The state directory (<c>data_dir</c>), absolute once read.</summary>
    public string DataDir { get; init; } = "data";

    /// <summary>The minimum level logged (<c>log_level</c>).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>The optional health listener (<c>http:</c>).</summary>
    public HttpConfig Http { get; init; } = new(null);

    /// <summary>Every secret the configuration holds, so the log redactor can scrub them.</summary>
    public IEnumerable<string> Secrets()
    {
        IEnumerable<string?> all =
        [
            Mqtt.Password, Schlage.ApiKey, Schlage.Cognito.ClientSecret,
            .. Schlage.Accounts.SelectMany(a => new[] { a.Password, a.AccessToken, a.RefreshToken }),
        ];
        return all.OfType<string>().Where(s => s.Length > 0);
    }
}

/// <summary>The optional HTTP listener for health checks (<c>http:</c>).</summary>
/// <param name="Listen"><c>host:port</c> to listen on, or null for none.</param>
public sealed record HttpConfig(string? Listen);
