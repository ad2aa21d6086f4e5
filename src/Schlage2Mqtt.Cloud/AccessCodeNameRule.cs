using System.Globalization;

namespace Schlage2Mqtt.Cloud;

/// <summary>
/// What a lock's provider accepts as an access-code name. Names are unique per lock (any case) under every rule;
/// the rest differs: the consumer cloud takes free text ("07/19 Rob Test HA-123457"), seed 002's partner API
/// takes 1-12 letters or digits.
/// </summary>
/// <param name="MaxLength">Longest name accepted, in characters.</param>
/// <param name="LettersAndDigitsOnly">Whether only ASCII letters and digits are accepted.</param>
public sealed record AccessCodeNameRule(int MaxLength, bool LettersAndDigitsOnly)
{
    /// <summary>
    /// The Schlage Home consumer cloud: free text without control characters. No source gives its limit; 32 is a sane
    /// bound above the longest real names seen.
    /// </summary>
    public static AccessCodeNameRule FreeText { get; } = new(32, LettersAndDigitsOnly: false);

    /// <summary>Seed 002's partner API v2: 1-12 letters or digits.</summary>
    public static AccessCodeNameRule Alphanumeric12 { get; } = new(12, LettersAndDigitsOnly: true);

    /// <summary>Why <paramref name="name"/> breaks this rule (a sentence naming the rule), or null when it does not.</summary>
    public string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "A name is needed";
        }
        if (name.Length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The name has {name.Length} characters; this lock takes at most {MaxLength}");
        }
        if (LettersAndDigitsOnly && !name.All(char.IsAsciiLetterOrDigit))
        {
            return "This lock takes only letters and digits in a name";
        }
        if (name.Any(char.IsControl))
        {
            return "A name cannot hold control characters (line breaks, tabs...)";
        }
        return null;
    }

    /// <summary>The rule in a few words, for hints: "1-32 characters" or "1-12 letters or digits".</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"1-{MaxLength} {(LettersAndDigitsOnly ? "letters or digits" : "characters, no control characters")}");
}
