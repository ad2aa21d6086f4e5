using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>
/// Maps the cloud's lockState to the closed <see cref="LockState"/>. A value outside the reference
/// is reported as unknown and logged once per distinct value (per account), not on every poll.
/// </summary>
internal sealed class LockStateMapper(ILogger logger)
{
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    public (LockState State, string? Raw) Map(JsonElement? raw, string? deviceId)
    {
        if (raw is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (LockState.Unknown, null);
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            switch (number)
            {
                case 0 or 5:
                    return (LockState.Unlocked, text);
                case 1 or 6:
                    return (LockState.Locked, text);
                case 2 or 4:
                    return (LockState.Jammed, text);
                case -1 or 3:
                    return (LockState.Unknown, text);
            }
        }
        else if (text.Equals("locked", StringComparison.OrdinalIgnoreCase))
        {
            return (LockState.Locked, text);
        }
        else if (text.Equals("unlocked", StringComparison.OrdinalIgnoreCase))
        {
            return (LockState.Unlocked, text);
        }

        if (_reported.TryAdd(text, true))
        {
            logger.LogWarning("Lock {DeviceId} reports lockState {Raw}, which is not a known value; reporting it as unknown", deviceId, text);
        }
        return (LockState.Unknown, text);
    }
}
