using System.Text.Json;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>Notification objects (notify-on-use is <c>onunlockstateaction</c> with <c>filterValue</c> = the code name).</summary>
internal sealed class NotificationHandlers(SimulatorRuntime runtime)
{
    private long _sequence;

    public static ValueTask<ApiResult> List(ApiCall call, CancellationToken ct)
    {
        var deviceId = call.Query.GetValueOrDefault("deviceId");
        IReadOnlyList<NotificationDocument> list = [.. call.Account.Notifications(deviceId).Select(ToDocument)];
        return ValueTask.FromResult(ApiResult.Json(list, ApiJsonContext.Default.IReadOnlyListNotificationDocument));
    }

    /// <summary>POST creates or replaces the notification with the given id.</summary>
    public ValueTask<ApiResult> Create(ApiCall call, CancellationToken ct)
    {
        var body = Object(call);
        var deviceId = call.Query.GetValueOrDefault("deviceId") ?? String(body, "deviceId")
            ?? throw CloudException.BadRequest("deviceId is required");
        var device = runtime.World.DeviceOf(call.Account, deviceId) ?? throw CloudException.NotFound("Device not found");
        var definition = String(body, "notificationDefinitionId") ?? throw CloudException.BadRequest("notificationDefinitionId is required");
        // The app and pyschlage send the device's type in the body (reference section 4).
        var devicetypeId = String(body, "devicetypeId") ?? throw CloudException.BadRequest("devicetypeId is required");
        if (devicetypeId != device.Model.DevicetypeId)
        {
            throw CloudException.BadRequest("devicetypeId does not match the device");
        }
        var id = String(body, "notificationId") ?? runtime.World.Context.Ids.NextUuid();
        var now = runtime.Time.GetUtcNow();
        var existing = call.Account.Notification(id);
        var notification = new NotificationState(existing?.Sequence ?? Interlocked.Increment(ref _sequence), id, call.Account.IdentityId,
            device.DeviceId, device.Model.DevicetypeId, definition, Bool(body, "active") ?? true, String(body, "filterValue"),
            existing?.CreatedAt ?? now, now);
        call.Account.PutNotification(notification);
        return ValueTask.FromResult(ApiResult.Json(ToDocument(notification), ApiJsonContext.Default.NotificationDocument));
    }

    public ValueTask<ApiResult> Update(ApiCall call, CancellationToken ct)
    {
        var body = Object(call);
        var id = call.Route.GetValueOrDefault("notificationId") ?? String(body, "notificationId")
            ?? throw CloudException.BadRequest("notificationId is required");
        var existing = call.Account.Notification(id) ?? throw CloudException.NotFound("Notification not found");
        var updated = existing with
        {
            NotificationDefinitionId = String(body, "notificationDefinitionId") ?? existing.NotificationDefinitionId,
            Active = Bool(body, "active") ?? existing.Active,
            FilterValue = body.TryGetProperty("filterValue", out _) ? String(body, "filterValue") : existing.FilterValue,
            UpdatedAt = runtime.Time.GetUtcNow(),
        };
        call.Account.PutNotification(updated);
        return ValueTask.FromResult(ApiResult.Json(ToDocument(updated), ApiJsonContext.Default.NotificationDocument));
    }

    public static ValueTask<ApiResult> Delete(ApiCall call, CancellationToken ct)
    {
        var id = call.Route.GetValueOrDefault("notificationId") ?? string.Empty;
        return call.Account.RemoveNotification(id)
            ? ValueTask.FromResult(ApiResult.NoContent)
            : throw CloudException.NotFound("Notification not found");
    }

    private static NotificationDocument ToDocument(NotificationState n) =>
        new(n.NotificationId, n.UserId, n.DeviceId, n.DevicetypeId, n.NotificationDefinitionId, n.Active, n.FilterValue,
            Iso8601.Format(n.CreatedAt), Iso8601.Format(n.UpdatedAt));

    private static JsonElement Object(ApiCall call)
    {
        var body = call.JsonBody();
        return body.ValueKind == JsonValueKind.Object ? body : throw CloudException.BadRequest("The body must be a JSON object");
    }

    private static string? String(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw CloudException.BadRequest($"{name} must be a string");

    private static bool? Bool(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
            _ => throw CloudException.BadRequest($"{name} must be a boolean"),
        };
}
