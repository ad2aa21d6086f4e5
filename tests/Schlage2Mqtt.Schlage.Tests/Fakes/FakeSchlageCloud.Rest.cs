using System.Net;
using System.Text.Json.Nodes;
using System.Web;

namespace Schlage2Mqtt.Schlage.Tests.Fakes;

internal sealed partial class FakeSchlageCloud
{
    private readonly Dictionary<string, JsonObject> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _logs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _codes = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _notifications = [];
    private int _codeSerial;

    public JsonObject AddDevice(JsonObject document)
    {
        lock (_gate)
        {
            var id = (string)document["deviceId"]!;
            _devices[id] = document;
            _logs[id] = [];
            _codes[id] = [];
            return document;
        }
    }

    public JsonObject AddWiFiLock(string deviceId, string name = "Front Door", string model = "Schlage Encode Plus Smart WiFi Deadbolt", string type = "be499wifi", FakeUser? owner = null) =>
        AddDevice(new JsonObject
        {
            ["deviceId"] = deviceId,
            ["devicetypeId"] = type,
            ["name"] = name,
            ["modelName"] = model,
            ["serialNumber"] = "SN-" + deviceId,
            ["macAddress"] = "00:11:22:33:44:55",
            ["connected"] = true,
            ["connectivityUpdated"] = "2026-11-22T09:00:00.000Z",
            ["role"] = "owner",
            ["CAT"] = "cat-" + deviceId,
            ["users"] = owner is null ? new JsonArray() : new JsonArray(new JsonObject { ["identityId"] = owner.IdentityId, ["email"] = owner.Email, ["friendlyName"] = owner.FriendlyName }),
            ["relatedDevices"] = new JsonArray(),
            ["futureTopLevelField"] = new JsonObject { ["x"] = 1 },
            ["attributes"] = new JsonObject
            {
                ["lockState"] = 1,
                ["batteryLevel"] = 87,
                ["batteryLowState"] = 0,
                ["beeperEnabled"] = 1,
                ["lockAndLeaveEnabled"] = 0,
                ["autoLockTime"] = 30,
                ["accessCodeLength"] = 4,
                ["maxUserCodes"] = 100,
                ["mainFirmwareVersion"] = "10.00.00264232",
                ["wifiFirmwareVersion"] = "4.5.0",
                ["wifiRssi"] = -42,
                ["doorState"] = 2,
                ["supportedFeatures"] = new JsonObject { ["vlac"] = 0, ["somethingNew"] = true },
                ["lockStateMetadata"] = new JsonObject { ["actionType"] = "thumbTurn", ["UUID"] = null, ["name"] = null, ["clientId"] = null },
                ["someFutureAttribute"] = "x",
            },
        });

    public JsonObject AddBridgeLock(string deviceId, string name = "Back Door") =>
        AddDevice(new JsonObject
        {
            ["deviceId"] = deviceId,
            ["devicetypeId"] = "be479",
            ["name"] = name,
            ["modelName"] = "Schlage Sense Smart Deadbolt",
            ["connected"] = true,
            ["CAT"] = "sense-cat-" + deviceId,
            ["relatedDevices"] = new JsonArray(new JsonObject { ["deviceId"] = "bridge-1" }),
            ["attributes"] = new JsonObject { ["lockState"] = 0, ["batteryLevel"] = 55, ["autoLockTime"] = 0, ["accessCodeLength"] = 6 },
        });

    /// <summary>What the cloud sends for an offline lock: almost no attributes.</summary>
    public JsonObject AddOfflineLock(string deviceId) =>
        AddDevice(new JsonObject
        {
            ["deviceId"] = deviceId,
            ["devicetypeId"] = "be489wifi",
            ["name"] = "Garage",
            ["connected"] = false,
            ["attributes"] = new JsonObject(),
        });

    public JsonObject Device(string id)
    {
        lock (_gate)
        {
            return (JsonObject)_devices[id].DeepClone();
        }
    }

    public void AddLog(string deviceId, JsonObject entry)
    {
        lock (_gate)
        {
            _logs[deviceId].Add(entry);
        }
    }

    public IReadOnlyList<JsonObject> Codes(string deviceId)
    {
        lock (_gate)
        {
            return [.. _codes[deviceId].Select(c => (JsonObject)c.DeepClone())];
        }
    }

    public IReadOnlyList<JsonObject> Notifications
    {
        get { lock (_gate) { return [.. _notifications.Select(n => (JsonObject)n.DeepClone())]; } }
    }

    private HttpResponseMessage Rest(string method, string pathAndQuery, string? body, FakeUser user)
    {
        lock (_gate)
        {
            var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
            var path = query < 0 ? pathAndQuery : pathAndQuery[..query];
            var args = HttpUtility.ParseQueryString(query < 0 ? "" : pathAndQuery[(query + 1)..]);
            var parts = path.Split('/');
            var json = string.IsNullOrEmpty(body) ? null : JsonNode.Parse(body)!.AsObject();
            switch (method, parts)
            {
                case ("GET", ["users", "@me"]):
                    return Json(HttpStatusCode.OK, new JsonObject { ["identityId"] = user.IdentityId, ["email"] = user.Email, ["friendlyName"] = user.FriendlyName });
                case ("GET", ["users"]):
                    return Json(HttpStatusCode.OK, new JsonArray([.. _users.Values.Select(u => (JsonNode)new JsonObject { ["identityId"] = u.IdentityId, ["email"] = u.Email, ["friendlyName"] = u.FriendlyName })]));
                case ("GET", ["devices"]) when args["archetype"] == "lock":
                    return Json(HttpStatusCode.OK, new JsonArray([.. _devices.Values.Select(d => d.DeepClone())]));
                case ("GET", ["devices", var id]):
                    return _devices.TryGetValue(id, out var device) ? Json(HttpStatusCode.OK, device.DeepClone()) : Error(HttpStatusCode.NotFound, "Device not found");
                case ("PUT", ["devices", var id]):
                    return PutDevice(id, json!, user);
                case ("POST", ["devices", var id, "commands"]):
                    return Command(id, json!, user);
                case ("GET", ["devices", var id, "logs"]):
                    if (!_logs.TryGetValue(id, out var logs))
                    {
                        return Error(HttpStatusCode.NotFound, "Device not found");
                    }
                    var limit = int.Parse(args["limit"] ?? "100", System.Globalization.CultureInfo.InvariantCulture);
                    return Json(HttpStatusCode.OK, new JsonArray([.. logs.AsEnumerable().Reverse().Take(limit).Select(l => l.DeepClone())]));
                case ("GET", ["devices", var id, "storage", "accesscode"]):
                    return _codes.TryGetValue(id, out var codes)
                        ? Json(HttpStatusCode.OK, new JsonArray([.. codes.Select(c => c.DeepClone())]))
                        : Error(HttpStatusCode.NotFound, "Device not found");
                case ("GET", ["notifications"]):
                    return Json(HttpStatusCode.OK, new JsonArray([.. _notifications.Where(n => (string?)n["deviceId"] == args["deviceId"]).Select(n => n.DeepClone())]));
                case ("POST", ["notifications"]):
                    if (json?["devicetypeId"] is null)
                    {
                        return Error(HttpStatusCode.BadRequest, "devicetypeId is required");
                    }
                    _notifications.Add(json);
                    return Json(HttpStatusCode.OK, json!.DeepClone());
                case ("PUT", ["notifications", var notificationIdToUpdate]):
                    var existing = _notifications.FirstOrDefault(n => (string?)n["notificationId"] == notificationIdToUpdate);
                    if (existing is null)
                    {
                        return Error(HttpStatusCode.NotFound, "Notification not found");
                    }
                    existing["active"] = json!["active"]?.DeepClone();
                    existing["filterValue"] = json["filterValue"]?.DeepClone();
                    return Json(HttpStatusCode.OK, existing.DeepClone());
                case ("DELETE", ["notifications", var notificationId]):
                    return _notifications.RemoveAll(n => (string?)n["notificationId"] == notificationId) > 0
                        ? Json(HttpStatusCode.NoContent, null)
                        : Error(HttpStatusCode.NotFound, "Notification not found");
                default:
                    return Error(HttpStatusCode.NotFound, $"No route {method} {path}");
            }
        }
    }

    private HttpResponseMessage PutDevice(string id, JsonObject json, FakeUser user)
    {
        if (!_devices.TryGetValue(id, out var device))
        {
            return Error(HttpStatusCode.NotFound, "Device not found");
        }
        if ((bool?)device["connected"] != true)
        {
            return Error(HttpStatusCode.Conflict, "Device is offline");
        }
        var attributes = device["attributes"]!.AsObject();
        foreach (var (name, value) in json["attributes"]!.AsObject())
        {
            attributes[name] = value?.DeepClone();
            if (name == "lockState")
            {
                SetLockState(id, device, (int)value!, user);
            }
        }
        return Json(HttpStatusCode.OK, device.DeepClone());
    }

    private void SetLockState(string id, JsonObject device, int state, FakeUser user)
    {
        var attributes = device["attributes"]!.AsObject();
        attributes["lockState"] = state;
        attributes["lockStateMetadata"] = new JsonObject { ["actionType"] = "virtualKey", ["UUID"] = user.IdentityId, ["name"] = null, ["clientId"] = "app" };
        _logs[id].Add(LogEntry(id, state == 1 ? 6 : 7, user.IdentityId, null));
    }

    public JsonObject LogEntry(string deviceId, int eventCode, string? accessor, string? keypad) => new()
    {
        ["logId"] = "log-" + Guid.NewGuid().ToString("N"),
        ["deviceId"] = deviceId,
        ["createdAt"] = Time.GetUtcNow().ToString("O"),
        ["timestamp"] = Time.GetUtcNow().ToString("O"),
        ["message"] = new JsonObject
        {
            ["eventCode"] = eventCode,
            ["action"] = "event",
            ["accessorUuid"] = accessor ?? "ffffffff-ffff-ffff-ffff-ffffffffffff",
            ["keypadUuid"] = keypad ?? "ffffffff-ffff-ffff-ffff-ffffffffffff",
            ["secondsSinceEpoch"] = Time.GetUtcNow().ToUnixTimeSeconds(),
        },
    };

    private HttpResponseMessage Command(string id, JsonObject json, FakeUser user)
    {
        if (!_devices.TryGetValue(id, out var device))
        {
            return Error(HttpStatusCode.NotFound, "Device not found");
        }
        var data = json["data"]!.AsObject();
        var codes = _codes[id];
        switch ((string?)json["name"])
        {
            case "changelockstate":
                if ((string?)data["CAT"] != (string?)device["CAT"] || (string?)data["userId"] != user.IdentityId || (string?)data["deviceId"] != id)
                {
                    return Error(HttpStatusCode.BadRequest, "Invalid command data");
                }
                if ((bool?)device["connected"] != true)
                {
                    return Error(HttpStatusCode.ServiceUnavailable, "Device is offline");
                }
                SetLockState(id, device, (int)data["state"]!, user);
                return Json(HttpStatusCode.OK, new JsonObject());
            case "addaccesscode":
            {
                if (Validate(device, codes, data, null) is { } problem)
                {
                    return problem;
                }
                if (data["notificationEnabled"] is not JsonValue flag || flag.GetValueKind() != System.Text.Json.JsonValueKind.Number)
                {
                    return Error(HttpStatusCode.BadRequest, "notificationEnabled must be 0 or 1");
                }
                var code = data.DeepClone().AsObject();
                code.Remove("notificationEnabled");
                code["accesscodeId"] = $"code-{Interlocked.Increment(ref _codeSerial)}";
                // The real list reads 0 whatever was asked: notify-on-use lives in the notification objects.
                code["notification"] = 0;
                codes.Add(code);
                _logs[id].Add(LogEntry(id, 14, user.IdentityId, (string)code["accesscodeId"]!));
                return Json(HttpStatusCode.OK, new JsonObject { ["accesscodeId"] = code["accesscodeId"]!.DeepClone() });
            }
            case "updateaccesscode":
            {
                var index = codes.FindIndex(c => (string?)c["accesscodeId"] == (string?)data["accesscodeId"]);
                if (index < 0)
                {
                    return Error(HttpStatusCode.NotFound, "Access code not found");
                }
                if (Validate(device, codes, data, (string?)data["accesscodeId"]) is { } problem)
                {
                    return problem;
                }
                var code = data.DeepClone().AsObject();
                code.Remove("notificationEnabled");
                codes[index] = code;
                return Json(HttpStatusCode.OK, new JsonObject());
            }
            case "deleteaccesscode":
                if (codes.Any(c => (string?)c["accesscodeId"] == (string?)data["accesscodeId"]) && (data["friendlyName"] is null || data["accessCode"] is null))
                {
                    return Error(HttpStatusCode.BadRequest, "deleteaccesscode needs the whole access code object");
                }
                return codes.RemoveAll(c => (string?)c["accesscodeId"] == (string?)data["accesscodeId"]) > 0
                    ? Json(HttpStatusCode.OK, new JsonObject())
                    : Error(HttpStatusCode.NotFound, "Access code not found");
            default:
                return Error(HttpStatusCode.BadRequest, "Unknown command");
        }
    }

    private static HttpResponseMessage? Validate(JsonObject device, List<JsonObject> codes, JsonObject data, string? selfId)
    {
        var attributes = device["attributes"]!.AsObject();
        var length = (int?)attributes["accessCodeLength"];
        if (length is { } n && (int?)data["accessCodeLength"] != n)
        {
            return Error(HttpStatusCode.BadRequest, $"Access code length must be {n}");
        }
        var others = codes.Where(c => (string?)c["accesscodeId"] != selfId).ToList();
        if (others.Any(c => (string?)c["friendlyName"] == (string?)data["friendlyName"]))
        {
            return Error(HttpStatusCode.Conflict, "Access code name already in use");
        }
        if (others.Any(c => (long?)c["accessCode"] == (long?)data["accessCode"]))
        {
            return Error(HttpStatusCode.Conflict, "Access code already in use");
        }
        return selfId is null && codes.Count >= ((int?)attributes["maxUserCodes"] ?? 100)
            ? Error(HttpStatusCode.BadRequest, "Maximum number of access codes reached")
            : null;
    }
}
