using System.Globalization;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>
/// The fields of an access code to add or update. Schedules stay in the cloud's raw form here
/// (activation/expiration seconds, weekly windows); the user-facing mapping lives above this layer.
/// </summary>
public sealed record AccessCodeWrite
{
    /// <summary>Name, unique per lock.</summary>
    public required string Name { get; init; }

    /// <summary>The PIN, 4-8 digits (leading zeros allowed).</summary>
    public required string Code { get; init; }

    /// <summary>Start of validity, epoch seconds; 0 = always.</summary>
    public long ActivationSecs { get; init; }

    /// <summary>End of validity, epoch seconds; 4294967295 = never.</summary>
    public long ExpirationSecs { get; init; } = AlwaysExpiration;

    /// <summary>Weekly window; all day every day when null.</summary>
    public AccessCodeSchedule? Schedule1 { get; init; }

    /// <summary>Optional second weekly window.</summary>
    public AccessCodeSchedule? Schedule2 { get; init; }

    /// <summary>Whether the code is disabled.</summary>
    public bool Disabled { get; init; }

    /// <summary>Notify on use.</summary>
    public bool NotificationEnabled { get; init; }

    /// <summary>The expiration of a code that never expires.</summary>
    public const long AlwaysExpiration = 4294967295;

    /// <summary>Why this code cannot be sent to a lock, or null when it can.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "name: must not be empty";
        }
        if (Code is null || Code.Length is < 4 or > 8 || !Code.All(char.IsAsciiDigit))
        {
            return "code: must be 4 to 8 digits";
        }
        if (ActivationSecs < 0 || ExpirationSecs < 0 || ExpirationSecs > AlwaysExpiration)
        {
            return "activation/expiration: must be epoch seconds between 0 and 4294967295";
        }
        if (ExpirationSecs != AlwaysExpiration && ActivationSecs >= ExpirationSecs)
        {
            return "activation/expiration: the code must start before it ends";
        }
        return null;
    }

    internal AccessCodeCommandData ToCommandData(string? accessCodeId) => new()
    {
        AccesscodeId = accessCodeId,
        FriendlyName = Name,
        AccessCode = long.Parse(Code, NumberStyles.None, CultureInfo.InvariantCulture),
        AccessCodeLength = Code.Length,
        ActivationSecs = ActivationSecs,
        ExpirationSecs = ExpirationSecs,
        Disabled = Disabled ? 1 : 0,
        NotificationEnabled = NotificationEnabled ? 1 : 0,
        Schedule1 = Schedule1 ?? AccessCodeSchedule.AllDay,
        Schedule2 = Schedule2,
    };

    /// <inheritdoc />
    public override string ToString() =>
        $"AccessCodeWrite {{ Name = {Name}, Code = ***, ActivationSecs = {ActivationSecs}, ExpirationSecs = {ExpirationSecs}, Disabled = {Disabled} }}";
}
