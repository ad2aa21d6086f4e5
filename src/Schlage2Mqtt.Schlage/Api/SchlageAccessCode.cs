using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Schlage2Mqtt.Schlage.Json;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>An access code as <c>storage/accesscode</c> lists it. The PIN never appears in <see cref="ToString"/>.</summary>
public sealed record SchlageAccessCode
{
    /// <summary>The code's id.</summary>
    public string? AccesscodeId { get; init; }

    /// <summary>Name (unique per lock).</summary>
    public string? FriendlyName { get; init; }

    /// <summary>The PIN: the cloud sends a number, so leading zeros are restored from <see cref="AccessCodeLength"/>; may be masked.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? AccessCode { get; init; }

    /// <summary>Number of digits of this code.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? AccessCodeLength { get; init; }

    /// <summary>Start of validity in epoch seconds (0 = always).</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? ActivationSecs { get; init; }

    /// <summary>End of validity in epoch seconds (4294967295 = never).</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? ExpirationSecs { get; init; }

    /// <summary>Disabled flag.</summary>
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool? Disabled { get; init; }

    /// <summary>Notify-on-use flag as listed.</summary>
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool? Notification { get; init; }

    /// <summary>First weekly window.</summary>
    public AccessCodeSchedule? Schedule1 { get; init; }

    /// <summary>Optional second weekly window.</summary>
    public AccessCodeSchedule? Schedule2 { get; init; }

    /// <summary>The object exactly as the cloud listed it: <c>deleteaccesscode</c> sends it back whole. Holds the PIN.</summary>
    [JsonIgnore]
    internal JsonObject? Listed { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"SchlageAccessCode {{ AccesscodeId = {AccesscodeId}, FriendlyName = {FriendlyName}, AccessCode = ***, " +
        $"ActivationSecs = {ActivationSecs}, ExpirationSecs = {ExpirationSecs}, Disabled = {Disabled} }}";
}

/// <summary>A weekly window of an access code.</summary>
public sealed record AccessCodeSchedule
{
    /// <summary>Hex bitmask of days: Sun 0x40, Mon 0x20 ... Sat 0x01 ("7F" every day).</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? DaysOfWeek { get; init; }

    /// <summary>Start hour.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? StartHour { get; init; }

    /// <summary>Start minute.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? StartMinute { get; init; }

    /// <summary>End hour.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? EndHour { get; init; }

    /// <summary>End minute.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? EndMinute { get; init; }

    /// <summary>All days, 00:00-23:59: the window of an "Always" code.</summary>
    public static AccessCodeSchedule AllDay { get; } = new() { DaysOfWeek = "7F", StartHour = 0, StartMinute = 0, EndHour = 23, EndMinute = 59 };
}
