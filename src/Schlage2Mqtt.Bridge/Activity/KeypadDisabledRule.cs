using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Activity;

/// <summary>
/// Whether a lock's keypad is disabled, as its activity log shows it: the device document does not say. The lock
/// disables its keypad after too many wrong codes and logs that (event 11); the next keypad entry proves it works
/// again. Entries of any other kind say nothing about the keypad, so the last known state carries over.
/// </summary>
public static class KeypadDisabledRule
{
    /// <summary>The keypad state after one entry, from <paramref name="before"/> (null: not known yet).</summary>
    public static bool? After(bool? before, int? eventCode)
    {
        var kind = ActivityMapper.Map(eventCode);
        // keypad_disabled is itself a keypad event: it is checked first.
        return kind.EventType == "keypad_disabled" ? true : kind.Method == "keypad" ? false : before;
    }

    /// <summary>The keypad state after <paramref name="entries"/> (oldest first), from <paramref name="before"/>.</summary>
    public static bool? After(bool? before, IEnumerable<CloudLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Aggregate(before, (state, entry) => After(state, entry.EventCode));
    }
}
