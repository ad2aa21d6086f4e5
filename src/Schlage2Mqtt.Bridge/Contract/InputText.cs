namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>Makes text from MQTT safe to echo in a message: printable, short, and still valid UTF-16.</summary>
public static class InputText
{
    /// <summary>
    /// Control characters and surrogates become <c>?</c>, and the result is cut to <paramref name="max"/> characters.
    /// Surrogates go because a cut (or the sender) can leave half a pair, and half a pair makes the JSON writer throw
    /// when the answer is serialized, which would lose the answer.
    /// </summary>
    public static string Shorten(string? value, int max = 40)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var length = Math.Min(value.Length, max);
        var printable = string.Create(length, value, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsControl(c) || char.IsSurrogate(c) ? '?' : c;
            }
        });
        return value.Length <= max ? printable : printable + "...";
    }
}
