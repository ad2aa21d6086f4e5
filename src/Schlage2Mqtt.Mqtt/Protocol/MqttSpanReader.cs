using System.Buffers.Binary;

namespace Schlage2Mqtt.Mqtt.Protocol;

/// <summary>Reads MQTT primitives from one packet body; any shortfall or ill-formed value is a malformed packet.</summary>
internal ref struct MqttSpanReader
{
    private readonly ReadOnlySpan<byte> _span;

    public MqttSpanReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _span.Length - Position;

    public readonly bool End => Position >= _span.Length;

    public byte ReadByte()
    {
        Need(1, "byte");
        return _span[Position++];
    }

    public ushort ReadUInt16()
    {
        Need(2, "two-byte integer");
        var value = BinaryPrimitives.ReadUInt16BigEndian(_span[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4, "four-byte integer");
        var value = BinaryPrimitives.ReadUInt32BigEndian(_span[Position..]);
        Position += 4;
        return value;
    }

    public uint ReadVariableByteInteger()
    {
        uint value = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = ReadByte();
            value |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new MqttProtocolException(DisconnectReasonCode.MalformedPacket, "Variable byte integer longer than four bytes.");
    }

    public string ReadString()
    {
        var bytes = ReadBinarySpan();
        return DecodeUtf8(bytes);
    }

    public ReadOnlySpan<byte> ReadBinarySpan()
    {
        var length = ReadUInt16();
        Need(length, "string or binary data");
        var slice = _span.Slice(Position, length);
        Position += length;
        return slice;
    }

    public byte[] ReadBinary() => ReadBinarySpan().ToArray();

    public ReadOnlySpan<byte> ReadRest()
    {
        var rest = _span[Position..];
        Position = _span.Length;
        return rest;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count, "bytes");
        var slice = _span.Slice(Position, count);
        Position += count;
        return slice;
    }

    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw new MqttProtocolException(DisconnectReasonCode.MalformedPacket, "UTF-8 string contains U+0000.");
        }
        try
        {
            return MqttUtf8.Strict.GetString(bytes);
        }
        catch (ArgumentException ex)
        {
            throw new MqttProtocolException("UTF-8 string is not well-formed.", ex);
        }
    }

    private readonly void Need(int count, string what)
    {
        if (_span.Length - Position < count)
        {
            throw new MqttProtocolException(DisconnectReasonCode.MalformedPacket, $"Packet truncated: expected a {what} at offset {Position}.");
        }
    }
}
