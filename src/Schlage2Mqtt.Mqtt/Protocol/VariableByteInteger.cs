namespace Schlage2Mqtt.Mqtt.Protocol;

/// <summary>The MQTT Variable Byte Integer: 7 bits per byte, least significant group first, at most four bytes.</summary>
internal static class VariableByteInteger
{
    public const uint MaxValue = 268_435_455;

    public static int Size(uint value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        <= MaxValue => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "A variable byte integer holds at most 268,435,455."),
    };

    public static int Write(Span<byte> destination, uint value)
    {
        if (value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A variable byte integer holds at most 268,435,455.");
        }
        var i = 0;
        do
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            if (value > 0)
            {
                digit |= 0x80;
            }
            destination[i++] = digit;
        }
        while (value > 0);
        return i;
    }
}
