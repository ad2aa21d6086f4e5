using System.Globalization;
using System.Text.Json;
using Schlage2Mqtt.Simulator.Cloud;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>Device list, document, attribute writes, logs and the access-code list.</summary>
internal sealed class DeviceHandlers(SimulatorRuntime runtime)
{
    public ValueTask<ApiResult> List(ApiCall call, CancellationToken ct)
    {
        // Every simulated device is a lock; another archetype lists nothing.
        var archetype = call.Query.GetValueOrDefault("archetype");
        IReadOnlyList<DeviceDocument> documents = archetype is null || archetype == "lock"
            ? [.. runtime.World.DevicesOf(call.Account).Select(d => d.ToDocument())]
            : [];
        return ValueTask.FromResult(ApiResult.Json(documents, ApiJsonContext.Default.IReadOnlyListDeviceDocument));
    }

    public ValueTask<ApiResult> Get(ApiCall call, CancellationToken ct) =>
        ValueTask.FromResult(ApiResult.Json(Device(call).ToDocument(), ApiJsonContext.Default.DeviceDocument));

    /// <summary>
    /// Settings apply at once; a lockState is accepted and the bolt moves after the command latency,
    /// so the answer (the full document) still shows the old lockState.
    /// </summary>
    public ValueTask<ApiResult> Put(ApiCall call, CancellationToken ct)
    {
        var device = Device(call);
        var body = call.JsonBody();
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw CloudException.BadRequest("The body must be an object like {\"attributes\": {...}}");
        }
        string? name = null;
        if (body.TryGetProperty("name", out var nameElement))
        {
            name = nameElement.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(nameElement.GetString())
                ? nameElement.GetString()
                : throw CloudException.BadRequest("name must be a non-empty string");
        }
        var settings = new Dictionary<string, int>(StringComparer.Ordinal);
        if (body.TryGetProperty("attributes", out var attributes))
        {
            if (attributes.ValueKind != JsonValueKind.Object)
            {
                throw CloudException.BadRequest("attributes must be an object");
            }
            foreach (var property in attributes.EnumerateObject())
            {
                settings[property.Name] = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var value)
                    ? value
                    : throw CloudException.BadRequest($"attributes.{property.Name} must be an integer");
            }
        }
        if (settings.Count == 0 && name is null)
        {
            throw CloudException.BadRequest("Nothing to update: send {\"attributes\": {...}}");
        }
        if (settings.ContainsKey("lockState") && !device.Model.IsWifi)
        {
            throw CloudException.BadRequest($"lockState cannot be written on a {device.Model.DevicetypeId} device; send the changelockstate command");
        }
        var lockState = settings.Remove("lockState", out var requested) ? requested : (int?)null;
        if (lockState is not null and not (0 or 1))
        {
            throw CloudException.BadRequest("lockState must be 0 (unlock) or 1 (lock)");
        }
        device.ApplySettings(settings, name);
        if (lockState is { } state)
        {
            device.RequestLockState(state, call.Account);
        }
        return ValueTask.FromResult(ApiResult.Json(device.ToDocument(), ApiJsonContext.Default.DeviceDocument));
    }

    public ValueTask<ApiResult> Logs(ApiCall call, CancellationToken ct)
    {
        var device = Device(call);
        int? limit = null;
        if (call.Query.TryGetValue("limit", out var text))
        {
            limit = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw CloudException.BadRequest("limit must be a positive integer");
        }
        var sort = call.Query.GetValueOrDefault("sort");
        if (sort is not null and not ("asc" or "desc"))
        {
            throw CloudException.BadRequest("sort must be asc or desc");
        }
        return ValueTask.FromResult(ApiResult.Json(device.Logs(limit, sort == "desc"), ApiJsonContext.Default.IReadOnlyListLogDocument));
    }

    public ValueTask<ApiResult> AccessCodes(ApiCall call, CancellationToken ct) =>
        ValueTask.FromResult(ApiResult.Json(Device(call).AccessCodes(), ApiJsonContext.Default.IReadOnlyListAccessCodeDocument));

    private LockDevice Device(ApiCall call) =>
        runtime.World.DeviceOf(call.Account, call.DeviceId ?? string.Empty) ?? throw CloudException.NotFound("Device not found");
}
