using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Schlage2Mqtt.Bridge;

/// <summary>
/// The ranges and rules a configuration may choose for <see cref="BridgeOptions"/>. The bridge's settings come from
/// several sections of the config file, so every problem names the full key (<c>schlage.poll_interval</c>,
/// <c>locks["Front Door"].alias</c>) and says what to do.
/// </summary>
public sealed partial class BridgeOptionsValidator : IValidateOptions<BridgeOptions>
{
    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex AliasPattern();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BridgeOptions options)
    {
        var failures = new List<string>();
        Check(options, (key, message) => failures.Add($"{key}: {message}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Reports every problem of <paramref name="options"/> to <paramref name="fail"/> as (key, message).</summary>
    public static void Check(BridgeOptions options, Action<string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fail);

        Topic(fail, "mqtt.base_topic", options.BaseTopic);
        Topic(fail, "homeassistant.discovery_prefix", options.DiscoveryPrefix);
        Topic(fail, "homeassistant.status_topic", options.HomeAssistantStatusTopic);

        var poll = Range(fail, "schlage.poll_interval", options.PollInterval, TimeSpan.FromSeconds(15), TimeSpan.FromHours(1), "polling the cloud faster risks a block");
        if (Range(fail, "schlage.push.poll_interval", options.PushPollInterval, TimeSpan.FromSeconds(15), TimeSpan.FromHours(1), "polling catches what push missed")
            && poll && options.PushPollInterval < options.PollInterval)
        {
            fail("schlage.push.poll_interval", $"is {options.PushPollInterval.TotalSeconds:0}s, shorter than schlage.poll_interval ({options.PollInterval.TotalSeconds:0}s); "
                + "while push is connected the bridge polls less often, not more: use at least the normal interval");
        }

        var aliases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lockOverride in options.Locks)
        {
            var key = $"locks[\"{lockOverride.Match}\"].alias";
            switch (lockOverride.Alias)
            {
                case null:
                    break;
                case "bridge":
                    // bridge/... holds the bridge's own topics (state, info, health, log).
                    fail(key, "'bridge' is reserved for the bridge's own topics; choose another alias");
                    break;
                case var alias when !AliasPattern().IsMatch(alias):
                    fail(key, $"'{alias}' is not a valid topic id; use 1-64 of a-z, 0-9 and _ (e.g. front_door)");
                    break;
                case var alias when !aliases.Add(alias):
                    fail(key, $"'{alias}' is already used by another lock; aliases must be unique");
                    break;
            }
        }

        Range(fail, "access_codes.response_timeout", options.AccessCodeResponseTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), null);
        Range(fail, "access_codes.confirm_timeout", options.AccessCodeConfirmTimeout, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), null);
        Range(fail, "commands.startup_hold", options.StartupHoldTime, TimeSpan.Zero, TimeSpan.FromMinutes(10), null);
        if (options.StartupHoldCapacity is < 0 or > 100_000)
        {
            fail("commands.startup_queue", $"'{options.StartupHoldCapacity}' is not allowed; use a whole number from 0 to 100000");
        }
    }

    private static void Topic(Action<string, string> fail, string key, string value)
    {
        if (value.Length == 0 || value.Contains('#', StringComparison.Ordinal) || value.Contains('+', StringComparison.Ordinal)
            || value.StartsWith('/') || value.EndsWith('/') || value.Contains('\0', StringComparison.Ordinal))
        {
            fail(key, $"'{value}' is not a valid topic; use levels separated by '/', without wildcards (+, #) or leading/trailing '/'");
        }
    }

    private static bool Range(Action<string, string> fail, string key, TimeSpan value, TimeSpan min, TimeSpan max, string? why)
    {
        if (value < min)
        {
            fail(key, $"'{Text(value)}' is below the minimum of {Text(min)}{(why is null ? "" : $" ({why})")}");
            return false;
        }
        if (value > max)
        {
            fail(key, $"'{Text(value)}' is above the maximum of {Text(max)}");
            return false;
        }
        return true;
    }

    // The config file's duration spelling (15s, 2m, 1h), so a message quotes the value as the user could write it.
    private static string Text(TimeSpan t) =>
        t.TotalMilliseconds % 1000 != 0 ? $"{t.TotalMilliseconds:0}ms"
        : t.TotalSeconds % 3600 == 0 && t.TotalSeconds > 0 ? $"{t.TotalHours:0}h"
        : t.TotalSeconds % 60 == 0 && t.TotalSeconds > 0 ? $"{t.TotalMinutes:0}m"
        : $"{t.TotalSeconds:0}s";
}
