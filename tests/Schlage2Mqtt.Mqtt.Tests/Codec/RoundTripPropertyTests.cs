using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Mqtt.Protocol;
using static Schlage2Mqtt.Mqtt.Tests.Codec.PacketHelpers;

namespace Schlage2Mqtt.Mqtt.Tests.Codec;

public sealed class RoundTripPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(2000);

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void Decoding_an_encoded_packet_gives_the_same_packet(MqttProtocolVersion version)
    {
        var property = Prop.ForAll(PacketGenerators.Packet(version).ToArbitrary(), packet =>
        {
            var bytes = Encode(packet, version);
            var decoded = Decode(bytes, version);
            return Describe(packet) == Describe(decoded) && bytes.AsSpan().SequenceEqual(Encode(decoded, version));
        });
        Check.One(s_config, property);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void A_stream_of_packets_split_anywhere_is_framed_back_into_the_same_packets(MqttProtocolVersion version)
    {
        var gen =
            from packets in Gen.NonEmptyListOf(PacketGenerators.Packet(version))
            from cut in Gen.Choose(0, 1000)
            select (packets.ToList(), cut);
        var property = Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (packets, cut) = input;
            var stream = packets.SelectMany(p => Encode(p, version)).ToArray();
            var split = cut % (stream.Length + 1);
            // Two segments, cut at an arbitrary byte, as a socket might deliver them.
            var sequence = SegmentedSequence.Create(stream.AsMemory(0, split), stream.AsMemory(split));
            var decoded = new List<MqttPacket>();
            while (MqttPacketDecoder.TryReadFrame(ref sequence, 0, out var header, out var body))
            {
                decoded.Add(MqttPacketDecoder.Decode(header, body.ToArray(), version));
            }
            return sequence.IsEmpty && decoded.Count == packets.Count && packets.Zip(decoded).All(pair => Describe(pair.First) == Describe(pair.Second));
        });
        Check.One(s_config.WithMaxTest(300), property);
    }

    [Fact]
    public void Frame_reader_waits_for_more_bytes_on_every_proper_prefix()
    {
        var packet = Encode(new PublishPacket(new MqttMessage("a/b", new byte[300], MqttQualityOfService.AtLeastOnce), 9), MqttProtocolVersion.V500);
        for (var n = 0; n < packet.Length; n++)
        {
            var prefix = new System.Buffers.ReadOnlySequence<byte>(packet, 0, n);
            Assert.False(MqttPacketDecoder.TryReadFrame(ref prefix, 0, out _, out _));
            Assert.Equal(n, prefix.Length);
        }
    }
}
