using System.Globalization;

namespace Schlage2Mqtt.Simulator.Internal;

/// <summary>The cloud's timestamp format: UTC with milliseconds and a Z, e.g. 2023-03-01T17:26:47.366Z.</summary>
internal static class Iso8601
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
