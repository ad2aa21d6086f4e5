using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Schlage.Api;

// Request bodies. Null members are omitted, so a PUT carries only the attributes it changes.

internal sealed record AttributesUpdateRequest(AttributesUpdate Attributes);

internal sealed record AttributesUpdate
{
    public int? LockState { get; init; }

    public int? BeeperEnabled { get; init; }

    public int? LockAndLeaveEnabled { get; init; }

    public int? AutoLockTime { get; init; }
}

internal sealed record ChangeLockStateCommand(string Name, ChangeLockStateData Data);

internal sealed record ChangeLockStateData(
    [property: JsonPropertyName("CAT")] string? Cat, string DeviceId, int State, string? UserId);

internal sealed record AccessCodeCommand(string Name, AccessCodeCommandData Data);

/// <summary>The code object of add/update/delete commands. The PIN goes as a number, as the cloud stores it.</summary>
internal sealed record AccessCodeCommandData
{
    public string? AccesscodeId { get; init; }

    public string? FriendlyName { get; init; }

    public long? AccessCode { get; init; }

    public int? AccessCodeLength { get; init; }

    public long? ActivationSecs { get; init; }

    public long? ExpirationSecs { get; init; }

    public int? Disabled { get; init; }

    // An integer 0/1 as the app sends it (a captured request, pyschlage): not a JSON bool.
    public int? NotificationEnabled { get; init; }

    public AccessCodeSchedule? Schedule1 { get; init; }

    public AccessCodeSchedule? Schedule2 { get; init; }

    public override string ToString() => $"AccessCodeCommandData {{ AccesscodeId = {AccesscodeId}, FriendlyName = {FriendlyName}, AccessCode = *** }}";
}

/// <summary>Answer of <c>addaccesscode</c> (<c>accesscodeId</c>) or of an async command (<c>id</c>).</summary>
internal sealed record CommandAnswer(string? AccesscodeId, string? Id);

internal sealed record CloudErrorBody(string? Message);
