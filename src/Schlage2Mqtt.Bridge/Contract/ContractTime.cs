using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// The one form of a timestamp on MQTT: ISO-8601 in UTC with a <c>+00:00</c> offset, fractional seconds only when
/// there are any (<c>2026-11-22T10:00:00+00:00</c>, the README's form). Before it the activity topic carried
/// <c>...Z</c> from the log reader and seven fractional digits from access-code events, so a consumer parsing one
/// broke on the other.
/// </summary>
public static class ContractTime
{
    /// <summary>Formats <paramref name="time"/> as the contract writes it.</summary>
    public static string Format(DateTimeOffset time) =>
        // FFFFFFF drops trailing zeros, and the dot with them, as System.Text.Json does for the lock state.
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>Formats <paramref name="time"/>, or null for null.</summary>
    public static string? Format(DateTimeOffset? time) => time is { } t ? Format(t) : null;
}

/// <summary>Writes every <see cref="DateTimeOffset"/> of a contract payload with <see cref="ContractTime.Format(DateTimeOffset)"/>.</summary>
public sealed class ContractTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

    // The writer's own DateTimeOffset form is ContractTime's for a zero offset; writing the formatted string instead
    // would let the encoder escape the '+' as \u002B.
    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime());
}
