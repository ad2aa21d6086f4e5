using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Client;

/// <summary>A SUBSCRIBE or UNSUBSCRIBE waiting for its acknowledgement (rare, so a plain task is fine).</summary>
internal sealed class PendingRequest(MqttPacketType expectedAck, int filterCount)
{
    private readonly TaskCompletionSource<MqttPacket> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MqttPacketType ExpectedAck { get; } = expectedAck;

    public int FilterCount { get; } = filterCount;

    public Task<MqttPacket> Task => _completion.Task;

    public void Complete(MqttPacket packet) => _completion.TrySetResult(packet);

    public void Fail(Exception error) => _completion.TrySetException(error);
}
