namespace Schlage2Mqtt.Cloud;

/// <summary>
/// An access code with its raw schedule fields (activation/expiration seconds and weekly windows);
/// the user-facing schedule shape is built above this layer. The PIN stays out of <see cref="ToString"/>.
/// </summary>
public sealed record CloudAccessCode
{
    /// <summary>Code id.</summary>
    public required string Id { get; init; }

    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>The PIN, zero-padded to its length; null when the cloud did not send it; may be masked.</summary>
    public string? Code { get; init; }

    /// <summary>Start of validity, epoch seconds (0 = always).</summary>
    public long? ActivationSecs { get; init; }

    /// <summary>End of validity, epoch seconds (4294967295 = never).</summary>
    public long? ExpirationSecs { get; init; }

    /// <summary>Disabled flag.</summary>
    public bool? Disabled { get; init; }

    /// <summary>Notify-on-use of the account's user, from the notification objects (the code list's own flag always reads 0); null when unknown.</summary>
    public bool? NotifyOnUse { get; init; }

    /// <summary>First weekly window (raw).</summary>
    public CloudSchedule? Schedule1 { get; init; }

    /// <summary>Second weekly window (raw).</summary>
    public CloudSchedule? Schedule2 { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"CloudAccessCode {{ Id = {Id}, Name = {Name}, Code = ***, ActivationSecs = {ActivationSecs}, ExpirationSecs = {ExpirationSecs}, Disabled = {Disabled} }}";
}

/// <summary>A raw weekly window: a hex day mask and a start/end time.</summary>
/// <param name="DaysOfWeek">Hex bitmask, Sun 0x40 ... Sat 0x01.</param>
/// <param name="StartHour">Start hour.</param>
/// <param name="StartMinute">Start minute.</param>
/// <param name="EndHour">End hour.</param>
/// <param name="EndMinute">End minute.</param>
public sealed record CloudSchedule(string? DaysOfWeek, int? StartHour, int? StartMinute, int? EndHour, int? EndMinute);
