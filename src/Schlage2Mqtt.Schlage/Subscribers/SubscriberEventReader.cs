using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Subscribers;

/// <summary>
/// Turns a subscriber API <c>data</c> event (<c>{lockID, lockAction, doorState}</c>) into a partial
/// <see cref="PushedUpdate"/>, and drops an event equal to the previous one of the same lock on the same connection
/// (<see cref="NewConnection"/> forgets them: after a gap, a repeated state may be news again).
/// <para>
/// <b>Lock ids.</b> Seed 004's lockID is 32 hex digits; in this system it is the consumer cloud's deviceId with the dashes
/// removed, upper case (the simulator serves it so). An id is matched against the locks the account has read (dashes and
/// case ignored); an event for any other lock (another user's, or one not polled yet) is ignored and logged once per
/// lock. This identity is a documented simplification: how a real August/Yale lockID relates to a Schlage deviceId is
/// not public.
/// </para>
/// </summary>
internal sealed class SubscriberEventReader(Func<IEnumerable<string>> knownDeviceIds, ILogger logger)
{
    private readonly ConcurrentDictionary<string, (LockState?, DoorState?)> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    /// <summary>The update, or null when the event is unreadable (<paramref name="problem"/> set) or a repeat.</summary>
    public PushedUpdate? Read(JsonElement payload, out string? problem)
    {
        problem = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            problem = "the event is not an object";
            return null;
        }
        var lockId = Text(payload, "lockID") ?? Text(payload, "lockId");
        if (string.IsNullOrWhiteSpace(lockId))
        {
            problem = "the event has no lockID";
            return null;
        }
        var state = LockStateOf(Text(payload, "lockAction") ?? Text(payload, "lockStatus"));
        var door = DoorStateOf(Text(payload, "doorState"));
        if (state is null && door is null)
        {
            return null;
        }
        if (DeviceIdOf(lockId, knownDeviceIds()) is not { } deviceId)
        {
            if (_reported.TryAdd("lock:" + Normalize(lockId), true))
            {
                logger.LogInformation("Subscriber API: an event for lock {LockId}, which is not one of the account's locks (or not read yet); ignored", lockId);
            }
            return null;
        }
        var key = (state, door);
        if (_last.TryGetValue(deviceId, out var last) && last == key)
        {
            return null;
        }
        _last[deviceId] = key;
        return new PushedUpdate(deviceId, null, state, door, null);
    }

    /// <summary>Forgets the last event of every lock: called for each new connection.</summary>
    public void NewConnection() => _last.Clear();

    /// <summary>The known deviceId a lockID stands for (see the type summary), or null.</summary>
    public static string? DeviceIdOf(string lockId, IEnumerable<string> known)
    {
        var normalized = Normalize(lockId);
        foreach (var id in known)
        {
            if (Normalize(id) == normalized)
            {
                return id;
            }
        }
        return null;
    }

    /// <summary>The lockID of a deviceId: its hex digits, upper case.</summary>
    public static string LockIdOf(string deviceId) => Normalize(deviceId);

    private static string Normalize(string id) => id.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    // August/Yale vocabulary: actions ("lock", "unlock", "onetouchlock", ...) and statuses ("locked", "kAugLockState_Locked", ...).
    private LockState? LockStateOf(string? action)
    {
        if (action is null)
        {
            return null;
        }
        var a = action.Trim().ToLowerInvariant().Replace("kauglockstate_", "", StringComparison.Ordinal);
        switch (a)
        {
            case "lock" or "locked" or "onetouchlock" or "one_touch_lock" or "autolock" or "auto_lock" or "secure" or "secured" or "manual_lock" or "remote_lock" or "deadlocked":
                return LockState.Locked;
            case "unlock" or "unlocked" or "unlatch" or "unlatched" or "manual_unlock" or "remote_unlock" or "unlockedwide":
                return LockState.Unlocked;
            case "jammed" or "jam" or "motor_jammed" or "lock_jammed":
                return LockState.Jammed;
            case "unknown":
                return LockState.Unknown;
            case "locking" or "unlocking" or "unlatching" or "status" or "":
                // In motion or a status probe: no settled state to report.
                return null;
        }
        if (_reported.TryAdd("action:" + a, true))
        {
            logger.LogWarning("Subscriber API: unknown lockAction {Action}; ignored", action);
        }
        return null;
    }

    private DoorState? DoorStateOf(string? doorState)
    {
        if (doorState is null)
        {
            return null;
        }
        var d = doorState.Trim().ToLowerInvariant().Replace("kaugdoorstate_", "", StringComparison.Ordinal);
        switch (d)
        {
            case "open" or "opened" or "ajar":
                return DoorState.Open;
            case "closed" or "close":
                return DoorState.Closed;
            case "unknown":
                return DoorState.Unknown;
            case "init" or "":
                // "init": the door sensor is not calibrated (or absent): nothing known.
                return null;
        }
        if (_reported.TryAdd("door:" + d, true))
        {
            logger.LogWarning("Subscriber API: unknown doorState {DoorState}; ignored", doorState);
        }
        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
