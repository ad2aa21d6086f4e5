using System.Globalization;
using System.Text;
using System.Text.Json;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Commands;

/// <summary>
/// Parses what arrives on <c>&lt;lock&gt;/set</c> (<c>LOCK</c>/<c>UNLOCK</c> in any case, or JSON such as
/// <c>{"state":"LOCK"}</c>, <c>{"beeper":true,"auto_lock_time":30}</c>) and <c>&lt;lock&gt;/set/&lt;attr&gt;</c> (one plain
/// value). The fields are the command fields of <see cref="LockEntityCatalogue"/>; one the lock cannot do is refused as
/// <c>unsupported</c>. Bad input yields a <see cref="BridgeError"/> naming the field and the fix, never an exception.
/// </summary>
public static class LockCommandParser
{
    /// <summary>Bytes read from a command payload; anything larger is refused.</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    /// <summary>The attributes accepted on <c>&lt;lock&gt;/set/&lt;attr&gt;</c> and as JSON keys.</summary>
    public static IReadOnlyList<string> Attributes { get; } = [.. LockEntityCatalogue.Commands.Select(e => e.Command!.Value.Name())];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses a <c>&lt;lock&gt;/set</c> payload for a lock that can do everything.</summary>
    public static (LockCommand? Command, BridgeError? Error) ParseSet(ReadOnlySpan<byte> payload) => ParseSet(payload, LockFeatures.All);

    /// <summary>Parses a <c>&lt;lock&gt;/set</c> payload for a lock with <paramref name="features"/>.</summary>
    public static (LockCommand? Command, BridgeError? Error) ParseSet(ReadOnlySpan<byte> payload, LockFeatures features)
    {
        if (!TryDecode(payload, out var text, out var error))
        {
            return (null, error);
        }
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            return ParseJson(trimmed, features);
        }
        if (Unsupported(LockCommandField.State, features) is { } unsupported)
        {
            return (null, unsupported);
        }
        if (trimmed.StartsWith('"'))
        {
            // A JSON string ("LOCK") is a plain value in quotes.
            try
            {
                trimmed = JsonSerializer.Deserialize(trimmed, PlainJson.Default.String) ?? "";
            }
            catch (JsonException ex)
            {
                return (null, BridgeErrors.InvalidJson(ex.Message));
            }
            catch (InvalidOperationException)
            {
                return (null, BridgeErrors.InvalidRequest("payload", "is not valid Unicode text (a lone surrogate escape such as \\ud800)", "Publish LOCK or UNLOCK."));
            }
        }
        return ParseAction(trimmed, "payload") is var (action, actionError) && actionError is null
            ? (new LockCommand(action, null), null)
            : (null, actionError);
    }

    /// <summary>Parses a <c>&lt;lock&gt;/set/&lt;attribute&gt;</c> payload for a lock that can do everything.</summary>
    public static (LockCommand? Command, BridgeError? Error) ParseAttribute(string attribute, ReadOnlySpan<byte> payload) =>
        ParseAttribute(attribute, payload, LockFeatures.All);

    /// <summary>Parses a <c>&lt;lock&gt;/set/&lt;attribute&gt;</c> payload for a lock with <paramref name="features"/>.</summary>
    public static (LockCommand? Command, BridgeError? Error) ParseAttribute(string attribute, ReadOnlySpan<byte> payload, LockFeatures features)
    {
        if (!TryDecode(payload, out var text, out var error))
        {
            return (null, error);
        }
        var value = text.Trim().Trim('"');
        if (LockEntityCatalogue.ByCommandField(attribute)?.Command is { } field && Unsupported(field, features) is { } unsupported)
        {
            return (null, unsupported);
        }
        switch (attribute)
        {
            case "state":
                var (action, actionError) = ParseAction(value, "state");
                return actionError is null ? (new LockCommand(action, null), null) : (null, actionError);
            case "beeper":
            case "lock_and_leave":
                if (!TryParseBool(value, out var flag))
                {
                    return (null, BridgeErrors.InvalidRequest(attribute, $"must be ON or OFF (or true/false), not '{Shorten(value)}'", $"Publish ON or OFF to <base>/<lock>/set/{attribute}."));
                }
                return (new LockCommand(null, attribute == "beeper" ? new LockSettingsChange(flag, null, null) : new LockSettingsChange(null, flag, null)), null);
            case "auto_lock_time":
                if (!TryParseSeconds(value, out var seconds))
                {
                    return (null, BridgeErrors.InvalidRequest(attribute, $"must be a number of seconds, not '{Shorten(value)}'", "Publish e.g. 30 (0 turns auto-lock off)."));
                }
                return (new LockCommand(null, new LockSettingsChange(null, null, seconds)), null);
            default:
                return (null, BridgeErrors.InvalidRequest("attribute", $"'{Shorten(attribute)}' cannot be set", $"Use one of: {string.Join(", ", Attributes)}."));
        }
    }

    /// <summary>Parses <c>lock</c>/<c>unlock</c> in any case (also <c>LOCKED</c>-style mistakes are refused with a hint).</summary>
    public static (LockAction? Action, BridgeError? Error) ParseAction(string value, string field) =>
        value.ToUpperInvariant() switch
        {
            "LOCK" => (LockAction.Lock, null),
            "UNLOCK" => (LockAction.Unlock, null),
            _ => (null, BridgeErrors.InvalidRequest(field, $"must be LOCK or UNLOCK, not '{Shorten(value)}'", "Publish LOCK or UNLOCK (any case), or {\"state\": \"UNLOCK\"}.")),
        };

    private static (LockCommand?, BridgeError?) ParseJson(string text, LockFeatures features)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, BridgeErrors.InvalidJson(ex.Message));
        }
        if (JsonInputGuard.Check(Encoding.UTF8.GetBytes(text), 8) is { } guardError)
        {
            return (null, guardError);
        }

        LockAction? action = null;
        bool? beeper = null, lockAndLeave = null;
        int? autoLock = null;
        foreach (var property in root.EnumerateObject())
        {
            if (LockEntityCatalogue.ByCommandField(property.Name)?.Command is { } field && Unsupported(field, features) is { } unsupported)
            {
                return (null, unsupported);
            }
            switch (property.Name)
            {
                case "state":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return (null, BridgeErrors.InvalidRequest("state", $"must be the string \"LOCK\" or \"UNLOCK\", not {Describe(property.Value)}", "Send {\"state\": \"UNLOCK\"}."));
                    }
                    var (a, e) = ParseAction(property.Value.GetString()!, "state");
                    if (e is not null)
                    {
                        return (null, e);
                    }
                    action = a;
                    break;
                case "beeper":
                case "lock_and_leave":
                    bool flag;
                    if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        flag = property.Value.GetBoolean();
                    }
                    else if (property.Value.ValueKind != JsonValueKind.String || !TryParseBool(property.Value.GetString()!, out flag))
                    {
                        return (null, BridgeErrors.InvalidRequest(property.Name, $"must be true or false, not {Describe(property.Value)}", $"Send {{\"{property.Name}\": true}}."));
                    }
                    if (property.Name == "beeper")
                    {
                        beeper = flag;
                    }
                    else
                    {
                        lockAndLeave = flag;
                    }
                    break;
                case "auto_lock_time":
                    if (!(property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var seconds) && seconds >= 0)
                        && !(property.Value.ValueKind == JsonValueKind.String && TryParseSeconds(property.Value.GetString()!, out seconds)))
                    {
                        return (null, BridgeErrors.InvalidRequest("auto_lock_time", $"must be a whole number of seconds, not {Describe(property.Value)}", "Send {\"auto_lock_time\": 30} (0 turns auto-lock off)."));
                    }
                    autoLock = seconds;
                    break;
                default:
                    return (null, BridgeErrors.InvalidRequest(Shorten(property.Name), "is not a command field", $"Use: {string.Join(", ", Attributes)}."));
            }
        }
        var settings = new LockSettingsChange(beeper, lockAndLeave, autoLock);
        if (action is null && settings.IsEmpty)
        {
            return (null, BridgeErrors.InvalidRequest("payload", "holds no command", "Send e.g. {\"state\": \"LOCK\"} or {\"beeper\": false}."));
        }
        return (new LockCommand(action, settings.IsEmpty ? null : settings), null);
    }

    // The catalogue row of the field says what the lock needs for it; a lock without it gets a refusal naming both.
    private static BridgeError? Unsupported(LockCommandField field, LockFeatures features)
    {
        var entity = LockEntityCatalogue.ByCommandField(field.Name())!;
        return entity.IsOfferedTo(features) ? null : BridgeErrors.Unsupported(field.Name(), What(entity.Needs));
    }

    private static string What(LockFeatures needs) => needs switch
    {
        LockFeatures.LockUnlock => "remote lock and unlock",
        LockFeatures.Beeper => "beeper",
        LockFeatures.LockAndLeave => "1-Touch locking",
        LockFeatures.AutoLock => "auto-lock",
        _ => needs.ToString(),
    };

    private static bool TryDecode(ReadOnlySpan<byte> payload, out string text, out BridgeError? error)
    {
        text = "";
        error = null;
        if (payload.Length > MaxPayloadBytes)
        {
            error = BridgeErrors.PayloadTooLarge(payload.Length, MaxPayloadBytes);
            return false;
        }
        try
        {
            text = StrictUtf8.GetString(payload);
            return true;
        }
        catch (DecoderFallbackException)
        {
            error = BridgeErrors.InvalidRequest("payload", "is not UTF-8 text", "Publish LOCK, UNLOCK or a JSON object.");
            return false;
        }
    }

    private static bool TryParseBool(string value, out bool result)
    {
        switch (value.Trim().ToUpperInvariant())
        {
            case "ON" or "TRUE" or "1" or "YES":
                result = true;
                return true;
            case "OFF" or "FALSE" or "0" or "NO":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    private static bool TryParseSeconds(string value, out int seconds) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => value.GetRawText().Length > 20 ? "a number" : value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    /// <summary>Keeps echoed input short and printable in messages.</summary>
    internal static string Shorten(string value) => InputText.Shorten(value, 40);
}
