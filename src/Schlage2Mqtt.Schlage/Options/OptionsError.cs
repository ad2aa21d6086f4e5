namespace Schlage2Mqtt.Schlage.Options;

/// <summary>One invalid setting: the field path (e.g. <c>accounts[0].password</c>) and what to do about it.</summary>
/// <param name="Field">Path of the offending field, in config spelling.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record OptionsError(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}
