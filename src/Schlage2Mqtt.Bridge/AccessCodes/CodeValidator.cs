using System.Globalization;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Checks a new or changed code against the lock before any cloud call: name rules and uniqueness, PIN digits,
/// length and uniqueness, capacity. Pending operations count as if done, so two concurrent adds cannot collide.
/// </summary>
public static class CodeValidator
{
    /// <summary>A code of the lock as the validator sees it (cloud list merged with pending operations).</summary>
    public sealed record Existing(string? Id, string? Name, string? Pin);

    /// <summary>The first problem with <paramref name="changes"/>, or null. <paramref name="self"/> is the id of the code being updated.</summary>
    public static BridgeError? Validate(CodeChanges changes, bool isAdd, CloudLock lockInfo, IReadOnlyList<Existing> existing, string? self)
    {
        var others = existing.Where(e => self is null || e.Id != self).ToList();
        if (isAdd || changes.Name is not null)
        {
            var name = changes.Name;
            // The rule is the lock's provider's: free text on the consumer cloud, 1-12 alphanumerics on the partner API.
            var rule = lockInfo.AccessCodeNames;
            if (rule.Problem(name) is { } problem)
            {
                return new BridgeError(AccessCodeErrorCodes.InvalidName, $"The name '{Show(name)}' is not allowed: {problem}.",
                    $"Use {rule.Describe()}, unique on the lock, e.g. \"{(rule.LettersAndDigitsOnly ? "Guest1" : "07/19 Guest")}\".");
            }
            if (others.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                return AccessCodeErrorCodes.Error(AccessCodeErrorCodes.DuplicateName, $"The lock already has a code named '{name}'.");
            }
        }
        if (isAdd || changes.Pin is not null)
        {
            var pin = changes.Pin;
            // The PIN length is the lock's provider's rule (4-8 digits on Schlage).
            var (minPin, maxPin) = lockInfo.Capabilities.AccessCodes is { } rules ? (rules.MinPinLength, rules.MaxPinLength) : (4, 8);
            if (string.IsNullOrEmpty(pin) || !pin.All(char.IsAsciiDigit) || pin.Length < minPin || pin.Length > maxPin)
            {
                // The PIN itself is never echoed.
                return AccessCodeErrorCodes.Error(AccessCodeErrorCodes.InvalidCode, string.Create(CultureInfo.InvariantCulture, $"The code must be {minPin}-{maxPin} digits (it has {pin?.Length ?? 0} characters{(pin?.All(char.IsAsciiDigit) == false ? ", not all digits" : "")})."));
            }
            if (lockInfo.AccessCodeLength is { } length && lockInfo.VariableLengthCodes != true && pin.Length != length)
            {
                return AccessCodeErrorCodes.Error(AccessCodeErrorCodes.CodeLengthMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"This lock's codes have {length} digits; this one has {pin.Length}."));
            }
            if (others.Any(e => e.Pin == pin))
            {
                return AccessCodeErrorCodes.Error(AccessCodeErrorCodes.DuplicateCode, "Another code on this lock already uses this PIN.");
            }
        }
        if (isAdd && lockInfo.MaxAccessCodes is { } max && existing.Count >= max)
        {
            return AccessCodeErrorCodes.Error(AccessCodeErrorCodes.CapacityReached,
                string.Create(CultureInfo.InvariantCulture, $"The lock holds at most {max} codes and has {existing.Count}."));
        }
        if (changes.Schedule is CodeSchedule.Custom)
        {
            return AccessCodeErrorCodes.Error(AccessCodeErrorCodes.InvalidSchedule, "A Custom schedule cannot be set; give Always, Temporary or Recurring.");
        }
        return null;
    }

    // Control characters are shown escaped so the error stays one readable line.
    private static string Show(string? name)
    {
        var shown = name is null ? "" : name.Length <= 40 ? name : name[..40] + "...";
        return string.Concat(shown.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString()));
    }
}
