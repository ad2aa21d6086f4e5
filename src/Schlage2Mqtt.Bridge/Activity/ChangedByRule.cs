using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Activity;

/// <summary>
/// Who last moved the bolt, as the activity log shows it, said the way the device document would say it. A partial
/// push (bolt and door only, seed-004 events) does not name who moved it; the log does. Only the newest lock or
/// unlock counts: a newer entry of another kind (a code added, a door opened) did not move the bolt. A bolt change
/// the document has no word for (auto-lock, a schedule, a key fob) names nobody rather than an older actor.
/// </summary>
public static class ChangedByRule
{
    /// <summary>The actor of the newest bolt change among <paramref name="entries"/> (oldest first); null when none says.</summary>
    /// <param name="entries">Log entries in time order.</param>
    /// <param name="codeName">The name of an access code by id, or null when nobody knows it.</param>
    public static ChangedBy? From(IReadOnlyList<CloudLogEntry> entries, Func<string, string?> codeName)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(codeName);
        var last = entries.LastOrDefault(l => ActivityMapper.Map(l.EventCode).EventType is "locked" or "unlocked");
        if (last is null)
        {
            return null;
        }
        return ActivityMapper.Map(last.EventCode).Method switch
        {
            "keypad" => new ChangedBy(ChangeMethod.Keypad, last.AccessCodeId is { } id ? codeName(id) : null),
            "thumbturn" => new ChangedBy(ChangeMethod.Thumbturn, null),
            "one_touch" => new ChangedBy(ChangeMethod.OneTouch, null),
            "mobile" => new ChangedBy(ChangeMethod.Mobile, null),
            "apple" => new ChangedBy(ChangeMethod.AppleNfc, null),
            _ => null,
        };
    }
}
