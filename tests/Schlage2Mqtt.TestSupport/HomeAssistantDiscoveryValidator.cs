using System.Text.Json.Nodes;

namespace Schlage2Mqtt.TestSupport;

/// <summary>
/// Checks discovery payloads the way Home Assistant's MQTT integration would: abbreviated keys that exist for the
/// platform, required fields present, values of the right shape. Built from Home Assistant's abbreviation table and
/// the platform docs for the platforms the bridge uses; an unknown key is reported because Home Assistant drops it.
/// </summary>
public static class HomeAssistantDiscoveryValidator
{
    private static readonly HashSet<string> Common =
    [
        "p", "name", "uniq_id", "avty", "avty_mode", "avty_t", "avty_tpl", "pl_avail", "pl_not_avail", "dev", "o", "qos",
        "ent_cat", "en", "ic", "json_attr_t", "json_attr_tpl", "def_ent_id", "obj_id", "ent_pic", "e",
    ];

    private static readonly Dictionary<string, (string[] Required, string[] Optional)> Platforms = new()
    {
        ["lock"] = (["cmd_t"], ["cmd_tpl", "stat_t", "val_tpl", "pl_lock", "pl_unlk", "pl_open", "stat_locked", "stat_unlocked",
            "stat_locking", "stat_unlocking", "stat_jam", "pl_rst", "stat_open", "stat_opening", "opt", "ret", "code_format"]),
        ["sensor"] = (["stat_t"], ["val_tpl", "dev_cla", "unit_of_meas", "stat_cla", "exp_aft", "frc_upd", "sug_dsp_prc", "lrst_val_tpl", "ops"]),
        ["binary_sensor"] = (["stat_t"], ["val_tpl", "dev_cla", "pl_on", "pl_off", "exp_aft", "frc_upd", "off_dly"]),
        ["switch"] = (["cmd_t"], ["stat_t", "val_tpl", "pl_on", "pl_off", "stat_on", "stat_off", "dev_cla", "opt", "ret", "cmd_tpl"]),
        ["select"] = (["cmd_t", "ops"], ["stat_t", "val_tpl", "cmd_tpl", "opt", "ret"]),
        ["event"] = (["stat_t", "evt_typ"], ["val_tpl", "dev_cla"]),
        ["button"] = (["cmd_t"], ["cmd_tpl", "pl_prs", "dev_cla", "ret"]),
    };

    private static readonly HashSet<string> DeviceKeys = ["ids", "cns", "name", "mf", "mdl", "mdl_id", "sw", "hw", "sn", "sa", "cu", "via_device"];
    private static readonly HashSet<string> OriginKeys = ["name", "sw", "url"];
    private static readonly HashSet<string> AvailabilityKeys = ["t", "pl_avail", "pl_not_avail", "val_tpl"];
    private static readonly HashSet<string> DeviceConfigRootKeys = ["dev", "o", "cmps", "qos", "stat_t", "cmd_t", "avty", "avty_mode", "avty_t", "enc", "e"];

    /// <summary>Problems with a device-based config (<c>&lt;prefix&gt;/device/&lt;id&gt;/config</c>); empty when valid.</summary>
    public static IReadOnlyList<string> ValidateDeviceConfig(string payload)
    {
        var problems = new List<string>();
        if (JsonNode.Parse(payload) is not JsonObject root)
        {
            return ["payload is not a JSON object"];
        }
        foreach (var (key, _) in root)
        {
            if (!DeviceConfigRootKeys.Contains(key))
            {
                problems.Add($"root: unknown key '{key}'");
            }
        }
        ValidateDevice(root["dev"], "dev", problems);
        ValidateOrigin(root["o"], problems);
        if (root["cmps"] is not JsonObject components || components.Count == 0)
        {
            problems.Add("cmps: missing or empty");
            return problems;
        }
        var uniqueIds = new HashSet<string>();
        foreach (var (objectId, node) in components)
        {
            if (node is not JsonObject component)
            {
                problems.Add($"cmps.{objectId}: not an object");
                continue;
            }
            ValidateEntity(component, $"cmps.{objectId}", problems, insideDevice: true);
            var uid = component["uniq_id"]?.GetValue<string>();
            if (uid is not null && !uniqueIds.Add(uid))
            {
                problems.Add($"cmps.{objectId}: duplicate uniq_id {uid}");
            }
        }
        return problems;
    }

    /// <summary>Problems with a per-entity config (<c>&lt;prefix&gt;/&lt;platform&gt;/.../config</c>); empty when valid.</summary>
    public static IReadOnlyList<string> ValidateEntityConfig(string platform, string payload)
    {
        var problems = new List<string>();
        if (JsonNode.Parse(payload) is not JsonObject root)
        {
            return ["payload is not a JSON object"];
        }
        if (root["p"] is null)
        {
            root["p"] = platform;
        }
        ValidateEntity(root, platform, problems, insideDevice: false);
        ValidateDevice(root["dev"], "dev", problems);
        ValidateOrigin(root["o"], problems);
        return problems;
    }

    private static void ValidateEntity(JsonObject entity, string path, List<string> problems, bool insideDevice)
    {
        var platform = entity["p"]?.GetValue<string>();
        if (platform is null || !Platforms.TryGetValue(platform, out var spec))
        {
            problems.Add($"{path}: unknown or missing platform 'p' ({platform})");
            return;
        }
        foreach (var required in spec.Required.Append("uniq_id"))
        {
            if (entity[required] is null)
            {
                problems.Add($"{path}: required '{required}' missing for {platform}");
            }
        }
        foreach (var (key, value) in entity)
        {
            if (insideDevice && key is "dev" or "o")
            {
                problems.Add($"{path}: '{key}' belongs at the root of a device config");
            }
            if (!Common.Contains(key) && !spec.Optional.Contains(key) && !spec.Required.Contains(key))
            {
                problems.Add($"{path}: key '{key}' is not valid for {platform}");
            }
            if (key.EndsWith("_t", StringComparison.Ordinal) && (value is not JsonValue || !IsTopic(value.GetValue<string>(), allowWildcards: false)))
            {
                problems.Add($"{path}: '{key}' is not a valid topic");
            }
        }
        if (entity["ent_cat"] is { } category && category.GetValue<string>() is not ("config" or "diagnostic"))
        {
            problems.Add($"{path}: ent_cat must be config or diagnostic");
        }
        if (entity["avty_mode"] is { } mode && mode.GetValue<string>() is not ("all" or "any" or "latest"))
        {
            problems.Add($"{path}: avty_mode must be all, any or latest");
        }
        if (entity["avty"] is { } availability)
        {
            if (availability is not JsonArray list || list.Count == 0)
            {
                problems.Add($"{path}: avty must be a non-empty list");
            }
            else
            {
                foreach (var item in list)
                {
                    if (item is not JsonObject a || a["t"] is null || a.Any(kv => !AvailabilityKeys.Contains(kv.Key)))
                    {
                        problems.Add($"{path}: avty items need 't' and only {string.Join("/", AvailabilityKeys)}");
                    }
                }
            }
        }
        if (platform is "select" && (entity["ops"] as JsonArray)?.Count is null or 0)
        {
            problems.Add($"{path}: select needs a non-empty ops list");
        }
        if (platform is "event" && (entity["evt_typ"] as JsonArray)?.Count is null or 0)
        {
            problems.Add($"{path}: event needs a non-empty evt_typ list");
        }
    }

    private static void ValidateDevice(JsonNode? node, string path, List<string> problems)
    {
        if (node is not JsonObject device)
        {
            problems.Add($"{path}: missing");
            return;
        }
        if (device["ids"] is null && device["cns"] is null)
        {
            problems.Add($"{path}: needs ids or cns");
        }
        foreach (var (key, _) in device)
        {
            if (!DeviceKeys.Contains(key))
            {
                problems.Add($"{path}: unknown key '{key}'");
            }
        }
    }

    private static void ValidateOrigin(JsonNode? node, List<string> problems)
    {
        if (node is not JsonObject origin || origin["name"] is null)
        {
            problems.Add("o: missing or without name");
            return;
        }
        foreach (var (key, _) in origin)
        {
            if (!OriginKeys.Contains(key))
            {
                problems.Add($"o: unknown key '{key}' (Home Assistant rejects extra origin keys)");
            }
        }
    }

    private static bool IsTopic(string topic, bool allowWildcards) =>
        topic.Length > 0 && (allowWildcards || (!topic.Contains('+', StringComparison.Ordinal) && !topic.Contains('#', StringComparison.Ordinal)));
}
