using System.Buffers;
using BenchmarkDotNet.Attributes;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Bench;

/// <summary>Allocations and time of the publish path without a network: encode + hand-off into the output pipe.</summary>
[MemoryDiagnoser]
public class EncodeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private MqttMessage _message = null!;
    private MqttMessage _message5 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var payload = new byte[100];
        _message = new MqttMessage("bench/topic", payload, MqttQualityOfService.AtLeastOnce);
        _message5 = _message with { ResponseTopic = "bench/reply", CorrelationData = new byte[16], UserProperties = [new MqttUserProperty("k", "v")] };
    }

    [Benchmark(Baseline = true)]
    public int EncodePublish311()
    {
        _buffer.ResetWrittenCount();
        return MqttPacketEncoder.EncodePublish(_buffer, MqttProtocolVersion.V311, _message, 7, dup: false);
    }

    [Benchmark]
    public int EncodePublish5WithProperties()
    {
        _buffer.ResetWrittenCount();
        return MqttPacketEncoder.EncodePublish(_buffer, MqttProtocolVersion.V500, _message5, 7, dup: false);
    }
}
