using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Configuration;

/// <summary>What <c>bridge/info</c> shows of the configuration: enough to diagnose, nothing secret.</summary>
internal static class ConfigSummary
{
    public static JsonObject Of(AppConfig config)
    {
        // The server without userinfo, as the broker sees it.
        var server = new Uri(config.Mqtt.Server);
        return new JsonObject
        {
            ["mqtt_server"] = $"{server.Scheme}://{server.Host}:{server.Port}",
            ["mqtt_protocol"] = ConfigBinder.NameOf(ConfigBinder.Protocols, config.Mqtt.ProtocolVersion),
            ["mqtt_user"] = config.Mqtt.Username is null ? null : "***",
            ["homeassistant"] = config.Bridge.HomeAssistantEnabled,
            ["discovery_prefix"] = config.Bridge.DiscoveryPrefix,
            ["poll_interval_s"] = config.Bridge.PollInterval.TotalSeconds,
            ["push"] = ConfigBinder.NameOf(ConfigBinder.PushModes, config.Schlage.Push.Mode),
            ["push_poll_interval_s"] = config.Bridge.PushPollInterval.TotalSeconds,
            ["max_calls_per_minute"] = config.Schlage.MaxCallsPerMinute,
            ["api_base_url"] = config.Schlage.ApiBaseUrl.GetLeftPart(UriPartial.Path),
            ["accounts"] = config.Schlage.Accounts.Count,
            ["expose_codes"] = config.Bridge.ExposeCodes,
            ["log_level"] = config.LogLevel.ToString().ToLowerInvariant(),
        };
    }
}
