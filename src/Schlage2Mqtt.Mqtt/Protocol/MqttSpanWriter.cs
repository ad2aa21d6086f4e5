using System.Buffers.Binary;
using System.Text;

namespace Schlage2Mqtt.Mqtt.Protocol;

/// <summary>
/// Writes MQTT primitives into a span. In counting mode (no span) it only advances <see cref="Position"/>, so the
/// same body-writing code computes a packet's length and then writes it, and the two can never disagree.
/// </summary>
internal ref struct MqttSpanWriter
{
    private readonly Span<byte> _span;
    private readonly bool _counting;

    public MqttSpanWriter(Span<byte> span)
    {
        _span = span;
        _counting = false;
        Position = 0;
    }

    private MqttSpanWriter(bool counting)
    {
        _span = default;
        _counting = counting;
        Position = 0;
    }

    public static MqttSpanWriter Counter() => new(counting: true);

    public int Position { get; private set; }

    public void WriteByte(byte value)
    {
        if (!_counting)
        {
            _span[Position] = value;
        }
        Position++;
    }

    public void WriteUInt16(ushort value)
    {
        if (!_counting)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_span[Position..], value);
        }
        Position += 2;
    }

    public void WriteUInt32(uint value)
    {
        if (!_counting)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_span[Position..], value);
        }
        Position += 4;
    }

    public void WriteVariableByteInteger(uint value)
    {
        if (_counting)
        {
            Position += VariableByteInteger.Size(value);
            return;
        }
        Position += VariableByteInteger.Write(_span[Position..], value);
    }

    /// <summary>A UTF-8 string with its two-byte length prefix. Validity (no U+0000, length) is the caller's check.</summary>
    public void WriteString(string value)
    {
        if (_counting)
        {
            Position += 2 + MqttUtf8.Strict.GetByteCount(value);
            return;
        }
        var written = MqttUtf8.Strict.GetBytes(value, _span[(Position + 2)..]);
        if (written > ushort.MaxValue)
        {
            throw new ArgumentException("A string is longer than 65535 UTF-8 bytes.", nameof(value));
        }
        BinaryPrimitives.WriteUInt16BigEndian(_span[Position..], (ushort)written);
        Position += 2 + written;
    }

    /// <summary>Binary data with its two-byte length prefix.</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Binary data is longer than 65535 bytes.", nameof(value));
        }
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        if (!_counting)
        {
            value.CopyTo(_span[Position..]);
        }
        Position += value.Length;
    }
}

/// <summary>The strict UTF-8 encoding MQTT requires: ill-formed input is an error, never silently replaced.</summary>
internal static class MqttUtf8
{
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
