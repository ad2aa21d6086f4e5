using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Text;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Tests.Codec;

internal static class PacketHelpers
{
    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var written = MqttPacketEncoder.Encode(buffer, packet, version);
        Assert.Equal(written, buffer.WrittenCount);
        return buffer.WrittenSpan.ToArray();
    }

    public static MqttPacket Decode(byte[] bytes, MqttProtocolVersion version) => MqttPacketDecoder.DecodeComplete(bytes, version);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>A canonical text of a packet's whole value (records, lists, byte buffers), for structural equality.</summary>
    public static string Describe(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                return;
            case string s:
                sb.Append('"').Append(s).Append('"');
                return;
            // Exact type test: enum arrays with a byte base type also pass 'is byte[]' in the CLR.
            case byte[] bytes when bytes.GetType() == typeof(byte[]):
                sb.Append("0x").Append(Convert.ToHexString(bytes));
                return;
            case ReadOnlyMemory<byte> memory:
                sb.Append("0x").Append(Convert.ToHexString(memory.Span));
                return;
            case Enum or bool or byte or ushort or uint or int or long or TimeSpan:
                sb.Append(value);
                return;
            case MqttUserProperty up:
                sb.Append('(').Append(up.Name).Append('=').Append(up.Value).Append(')');
                return;
            case IEnumerable list:
                sb.Append('[');
                foreach (var item in list)
                {
                    Write(sb, item);
                    sb.Append(',');
                }
                sb.Append(']');
                return;
        }
        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>))
        {
            Write(sb, type.GetProperty("Value")!.GetValue(value));
            return;
        }
        sb.Append(type.Name).Append('{');
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            sb.Append(p.Name).Append('=');
            Write(sb, p.GetValue(value));
            sb.Append(';');
        }
        sb.Append('}');
    }
}
