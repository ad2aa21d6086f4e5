using Schlage2Mqtt.Mqtt.Protocol;
using static Schlage2Mqtt.Mqtt.Tests.Codec.PacketHelpers;

namespace Schlage2Mqtt.Mqtt.Tests.Codec;

/// <summary>
/// Feeds thousands of random and mutated packets to the decoder: the only exception allowed is
/// <see cref="MqttProtocolException"/>, and every call returns (it is bounded by the input length).
/// </summary>
public sealed class DecoderFuzzTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311, 1)]
    [InlineData(MqttProtocolVersion.V500, 2)]
    public void Random_bytes_only_ever_raise_protocol_errors(MqttProtocolVersion version, int seed)
    {
        var random = new Random(seed);
        var outcomes = new int[2];
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
            {
                // Give the remaining length a plausible value so decoding gets past framing.
                bytes[0] = (byte)(random.Next(1, 16) << 4 | (random.Next(4) == 0 ? random.Next(16) : 0));
                if (bytes.Length > 1)
                {
                    bytes[1] = (byte)(bytes.Length - 2 < 128 ? bytes.Length - 2 : 0);
                }
            }
            outcomes[Feed(bytes, version)]++;
        }
        Assert.True(outcomes[1] > 0, "some random input must be rejected");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 3)]
    [InlineData(MqttProtocolVersion.V500, 4)]
    public void Mutated_valid_packets_only_ever_raise_protocol_errors(MqttProtocolVersion version, int seed)
    {
        var random = new Random(seed);
        var samples = FsCheck.Fluent.Gen.Sample(PacketGenerators.Packet(version), 500);
        var outcomes = new int[2];
        foreach (var packet in samples)
        {
            var original = Encode(packet, version);
            for (var m = 0; m < 20; m++)
            {
                var bytes = (byte[])original.Clone();
                switch (random.Next(4))
                {
                    case 0: // flip a byte
                        bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                        break;
                    case 1: // truncate, keeping the header's claimed length
                        bytes = bytes[..random.Next(bytes.Length)];
                        break;
                    case 2: // set a byte to a boundary value
                        bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? (byte)0x00 : (byte)0xFF;
                        break;
                    default: // insert junk in the body and fix up nothing
                        var at = random.Next(1, bytes.Length + 1);
                        bytes = [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
                        break;
                }
                outcomes[Feed(bytes, version)]++;
            }
        }
        Assert.True(outcomes[0] > 0 && outcomes[1] > 0, "mutations should produce both accepted and rejected packets");
    }

    /// <summary>0 when decoded, 1 when rejected with a protocol error; anything else fails the test.</summary>
    private static int Feed(byte[] bytes, MqttProtocolVersion version)
    {
        try
        {
            Decode(bytes, version);
            return 0;
        }
        catch (MqttProtocolException ex)
        {
            Assert.True((byte)ex.ReasonCode >= 0x80);
            return 1;
        }
    }
}
