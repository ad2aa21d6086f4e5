using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>
/// Redacts a raw device document for a bug report, as Home Assistant's schlage diagnostics does, but by an allow-list:
/// only values known to be safe (type, model, state, settings, firmware) are kept; every other value becomes
/// <see cref="Redacted"/> while its key stays, so the report still shows the document's shape. Identifiers, CAT/SAT,
/// serial numbers, MAC addresses, names and users are never kept, and neither is anything the cloud adds later.
/// </summary>
public static class DiagnosticsRedactor
{
    /// <summary>What a redacted value reads.</summary>
    public const string Redacted = "**REDACTED**";

    // Dotted paths; "[]" steps into an array, a trailing ".*" keeps everything below.
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "devicetypeId", "modelName", "connected", "connectivityUpdated", "created", "lastUpdated", "role", "timezone", "archetype",
        "attributes.lockState", "attributes.batteryLevel", "attributes.batteryLowState", "attributes.batteryChangeDate",
        "attributes.batterySaverState", "attributes.batterySaverConfig.*", "attributes.beeperEnabled",
        "attributes.lockAndLeaveEnabled", "attributes.autoLockTime", "attributes.alarmSelection", "attributes.alarmSensitivity",
        "attributes.alarmState", "attributes.actAlarmBuzzerEnabled", "attributes.actAlarmState", "attributes.accessCodeLength",
        "attributes.maxUserCodes", "attributes.mainFirmwareVersion", "attributes.wifiFirmwareVersion",
        "attributes.bleFirmwareVersion", "attributes.keypadFirmwareVersion", "attributes.hardwareVersion",
        "attributes.profileVersion", "attributes.manufacturerName", "attributes.modelName", "attributes.wifiRssi",
        "attributes.doorState", "attributes.mode", "attributes.timezone", "attributes.psPollEnabled",
        "attributes.periodicDeepQueryTimeSetting", "attributes.actuationCurrentMax", "attributes.homePosCurrentMax",
        "attributes.adminOnlyEnabled", "attributes.lastTalkedTime", "attributes.supportedFeatures.*",
        "attributes.firmwareUpdate.*", "attributes.lockStateMetadata.actionType",
        "users[].role", "users[].created", "users[].lastUpdated",
    };

    /// <summary>A redacted deep copy of <paramref name="document"/>; the input is not changed.</summary>
    public static JsonObject Redact(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return (JsonObject)Redact(document, "")!;
    }

    private static JsonNode? Redact(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Redact(p.Value, path.Length == 0 ? p.Key : path + "." + p.Key)))),
        JsonArray array => new JsonArray([.. array.Select(item => Redact(item, path + "[]"))]),
        _ => IsAllowed(path) ? node.DeepClone() : JsonValue.Create(Redacted),
    };

    private static bool IsAllowed(string path)
    {
        if (Allowed.Contains(path))
        {
            return true;
        }
        for (var dot = path.LastIndexOf('.'); dot > 0; dot = path.LastIndexOf('.', dot - 1))
        {
            if (Allowed.Contains(path[..dot] + ".*"))
            {
                return true;
            }
        }
        return false;
    }
}
