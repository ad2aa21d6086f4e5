using System.Globalization;

namespace Schlage2Mqtt.Schlage.Auth.Srp;

/// <summary>The TIMESTAMP Cognito signs: <c>ddd MMM d HH:mm:ss UTC yyyy</c>, day not zero-padded.</summary>
internal static class CognitoTimestamp
{
    /// <summary>Formats an instant in UTC with the invariant culture.</summary>
    public static string Format(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return utc.ToString("ddd MMM d HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);
    }
}
