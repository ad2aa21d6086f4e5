namespace Schlage2Mqtt.Cloud;

/// <summary>An access code to add or the new fields of one to update, in raw schedule form.</summary>
public sealed record NewAccessCode
{
    /// <summary>Name, unique per lock.</summary>
    public required string Name { get; init; }

    /// <summary>The PIN, 4-8 digits.</summary>
    public required string Code { get; init; }

    /// <summary>Start of validity, epoch seconds; 0 = always.</summary>
    public long ActivationSecs { get; init; }

    /// <summary>End of validity, epoch seconds; 4294967295 = never.</summary>
    public long ExpirationSecs { get; init; } = 4294967295;

    /// <summary>First weekly window; all day every day when null.</summary>
    public CloudSchedule? Schedule1 { get; init; }

    /// <summary>Optional second weekly window.</summary>
    public CloudSchedule? Schedule2 { get; init; }

    /// <summary>Disabled flag.</summary>
    public bool Disabled { get; init; }

    /// <summary>Notify on use.</summary>
    public bool NotifyOnUse { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"NewAccessCode {{ Name = {Name}, Code = ***, ActivationSecs = {ActivationSecs}, ExpirationSecs = {ExpirationSecs} }}";
}
