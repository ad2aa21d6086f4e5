using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Mqtt.Client;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt;

public sealed partial class MqttConnection
{
    // Output buffered beyond this makes QoS 0 publishers wait for the socket (back-pressure), down to the low mark.
    // Small on purpose: the kernel's socket buffers hold megabytes more, and a handful of 64 KiB pipe segments stay
    // within the shared array pool, so a bulk publisher allocates no buffers in steady state.
    internal const long HighWaterBytes = 512 * 1024;
    internal const long LowWaterBytes = 128 * 1024;

    private long _pendingBytes;
    private TaskCompletionSource? _drained;

    /// <summary>
    /// Publishes <paramref name="message"/>. QoS 0 completes once the packet is handed to the transport (waiting
    /// only when the output is backed up); QoS 1 and 2 complete with the broker's PUBACK or PUBREC/PUBCOMP reason.
    /// Throws <see cref="ArgumentException"/> for an invalid topic or property (a Response Topic with wildcards, U+0000 or a lone surrogate in a string) and <see cref="MqttNotConnectedException"/>
    /// when the connection is not open or ends before the acknowledgement. Cancellation applies while waiting for
    /// in-flight quota or output space, not once the message is sent.
    /// </summary>
    public ValueTask<PublishResult> PublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
    {
        MqttValidation.ValidateMessage(message, nameof(message));
        message = MqttValidation.ForSending(message);
        if (message.QualityOfService == MqttQualityOfService.AtMostOnce)
        {
            return PublishQos0(message, cancellationToken);
        }
        var op = _session.Rent(message);
        var accepted = SendAsync(op, cancellationToken);
        if (accepted.IsCompletedSuccessfully)
        {
            if (!accepted.Result)
            {
                op.TryFail(new MqttNotConnectedException());
            }
            return op.Task;
        }
        return AwaitAcceptedAsync(accepted, op);
    }

    /// <summary>Subscribes; completes with the broker's SUBACK.</summary>
    public async Task<SubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        MqttValidation.ValidateSubscriptions(subscriptions, nameof(subscriptions));
        var pending = new PendingRequest(MqttPacketType.SubAck, subscriptions.Count);
        lock (_session.Gate)
        {
            EnsureConnected();
            var id = _session.AllocateId(pending);
            try
            {
                WriteAndFlush(new SubscribePacket(id, subscriptions));
            }
            catch
            {
                // Not sent (for example over the broker's Maximum Packet Size): the packet id must not stay taken.
                _session.Release(id, pending);
                throw;
            }
        }
        var ack = (SubAckPacket)await pending.Task.WaitAsync(cancellationToken);
        return new SubscribeResult(ack.ReasonCodes)
        {
            ReasonString = ack.Properties?.ReasonString,
            UserProperties = ack.Properties?.UserProperties ?? (IReadOnlyList<MqttUserProperty>)[],
        };
    }

    /// <summary>Unsubscribes; completes with the broker's UNSUBACK.</summary>
    public async Task<UnsubscribeResult> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        if (topicFilters.Count == 0)
        {
            throw new ArgumentException("At least one topic filter is needed.", nameof(topicFilters));
        }
        foreach (var f in topicFilters)
        {
            MqttTopic.ValidateTopicFilter(f, nameof(topicFilters));
        }
        var pending = new PendingRequest(MqttPacketType.UnsubAck, topicFilters.Count);
        lock (_session.Gate)
        {
            EnsureConnected();
            var id = _session.AllocateId(pending);
            try
            {
                WriteAndFlush(new UnsubscribePacket(id, topicFilters));
            }
            catch
            {
                // Not sent (for example over the broker's Maximum Packet Size): the packet id must not stay taken.
                _session.Release(id, pending);
                throw;
            }
        }
        var ack = (UnsubAckPacket)await pending.Task.WaitAsync(cancellationToken);
        var codes = ack.ReasonCodes.Count > 0 ? ack.ReasonCodes : Enumerable.Repeat(UnsubscribeReasonCode.Success, topicFilters.Count).ToList();
        return new UnsubscribeResult(codes)
        {
            ReasonString = ack.Properties?.ReasonString,
            UserProperties = ack.Properties?.UserProperties ?? (IReadOnlyList<MqttUserProperty>)[],
        };
    }

    /// <summary>
    /// Sends a QoS 1/2 publish on this connection: waits for in-flight quota, assigns a packet id and writes it.
    /// Returns false when the connection is not open (the publish was not taken; the caller decides its fate).
    /// </summary>
    internal ValueTask<bool> SendAsync(OutgoingPublish op, CancellationToken cancellationToken)
    {
        var quota = _quota;
        if (quota.Wait(0, CancellationToken.None))
        {
            return new ValueTask<bool>(TrySendNow(op, quota));
        }
        return SendAfterQuotaAsync(op, quota, cancellationToken);
    }

    private async ValueTask<bool> SendAfterQuotaAsync(OutgoingPublish op, SemaphoreSlim quota, CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            return false;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        try
        {
            await quota.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        return TrySendNow(op, quota);
    }

    private bool TrySendNow(OutgoingPublish op, SemaphoreSlim quota)
    {
        Exception? refused;
        lock (_session.Gate)
        {
            if (_state != ConnectionState.Connected || !ReferenceEquals(quota, _quota))
            {
                quota.Release();
                return false;
            }
            refused = RefusalLocked(op.Message);
            if (refused is null)
            {
                _session.AllocateId(op);
                op.Stage = op.Message.QualityOfService == MqttQualityOfService.AtLeastOnce ? OutgoingStage.AwaitingPubAck : OutgoingStage.AwaitingPubRec;
                refused = TryEncodePublishLocked(op.Message, op.PacketId, dup: false);
                if (refused is not null)
                {
                    _session.Release(op.PacketId, op);
                    op.Stage = OutgoingStage.Pending;
                }
            }
            if (refused is not null)
            {
                // A refused publish never reached the wire, so it must not keep the slot it was given.
                ReleaseSlotLocked();
            }
            else
            {
                op.HoldsQuota = true;
                FlushOutput();
            }
        }
        if (refused is not null)
        {
            Refuse(op, refused);
            return true;
        }
        Interlocked.Increment(ref _messagesSent);
        return true;
    }

    /// <summary>Fails a publish the broker's limits rule out; it is counted and never retried.</summary>
    private void Refuse(OutgoingPublish op, Exception error)
    {
        _session.CountRefused();
        _logger.LogDebug("MQTT publish to '{Topic}' refused: {Reason}", op.Message.Topic, error.Message);
        op.TryFail(error);
    }

    /// <summary>
    /// Encodes a PUBLISH within the broker's Maximum Packet Size. A packet that cannot be encoded is reported, not
    /// thrown, so the caller completes the publish with the error instead of retrying it on every connection.
    /// Caller holds the gate.
    /// </summary>
    private Exception? TryEncodePublishLocked(MqttMessage message, ushort packetId, bool dup)
    {
        try
        {
            Account(MqttPacketEncoder.EncodePublish(_output.Writer, _options.ProtocolVersion, message, packetId, dup, maxPacketSize: _maxOutgoingPacket));
            return null;
        }
        catch (MqttPacketTooLargeException ex)
        {
            return new MqttPacketTooLargeException(message.Topic, ex.Size, ex.Limit);
        }
        catch (Exception ex) when (ex is ArgumentException or System.Text.EncoderFallbackException)
        {
            return new MqttPublishRefusedException(message.Topic, $"the message to '{message.Topic}' cannot be encoded: {ex.Message}", ex);
        }
    }

    /// <summary>Gives a freed in-flight slot to the next held-back retransmission, or back to the quota. Caller holds the gate.</summary>
    private void ReleaseSlotLocked()
    {
        while (_resendBacklog.TryDequeue(out var entry))
        {
            if (TryResendLocked(entry.Op, entry.Dup))
            {
                FlushOutput();
                return;
            }
        }
        _quota.Release();
    }

    private static async ValueTask<PublishResult> AwaitAcceptedAsync(ValueTask<bool> accepted, OutgoingPublish op)
    {
        try
        {
            if (!await accepted)
            {
                op.TryFail(new MqttNotConnectedException());
            }
        }
        catch (Exception ex)
        {
            op.TryFail(ex);
        }
        return await op.Task;
    }

    private ValueTask<PublishResult> PublishQos0(MqttMessage message, CancellationToken cancellationToken)
    {
        Exception? refused;
        lock (_session.Gate)
        {
            EnsureConnected();
            refused = RefusalLocked(message) ?? TryEncodePublishLocked(message, 0, dup: false);
            if (refused is null)
            {
                FlushOutput();
            }
        }
        if (refused is not null)
        {
            _session.CountRefused();
            _logger.LogDebug("MQTT publish to '{Topic}' refused: {Reason}", message.Topic, refused.Message);
            return ValueTask.FromException<PublishResult>(refused);
        }
        Interlocked.Increment(ref _messagesSent);
        return Volatile.Read(ref _pendingBytes) > HighWaterBytes
            ? WaitForOutputSpaceAsync(cancellationToken)
            : new ValueTask<PublishResult>(PublishResult.Success);
    }

    private async ValueTask<PublishResult> WaitForOutputSpaceAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_session.Gate)
        {
            if (_state == ConnectionState.Closed)
            {
                return PublishResult.Success;
            }
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _drained.Task;
        }
        // Publish the waiter before reading the count; the writer lowers the count before looking for a waiter. With a
        // full fence on both sides one of us sees the other, so a drain that happens right now cannot be missed.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _pendingBytes) <= LowWaterBytes)
        {
            ReleaseDrainWaiters();
        }
        await wait.WaitAsync(cancellationToken);
        return PublishResult.Success;
    }

    private void ReleaseDrainWaiters()
    {
        TaskCompletionSource? drained;
        lock (_session.Gate)
        {
            drained = _drained;
            _drained = null;
        }
        drained?.TrySetResult();
    }

    /// <summary>Why the broker's announced limits rule <paramref name="message"/> out, or null. Caller holds the gate.</summary>
    private MqttPublishRefusedException? RefusalLocked(MqttMessage message)
    {
        if (message.QualityOfService > _serverMaxQos)
        {
            return new MqttPublishRefusedException(message.Topic, $"the broker accepts at most QoS {(int)_serverMaxQos}; the publish to '{message.Topic}' asked for QoS {(int)message.QualityOfService}");
        }
        if (message.Retain && !_retainAvailable)
        {
            return new MqttPublishRefusedException(message.Topic, $"the broker does not support retained messages (Retain Available 0); the publish to '{message.Topic}' asked to retain");
        }
        return null;
    }

    /// <summary>Encodes a rare packet and flushes. Caller holds the gate.</summary>
    private void WriteAndFlush(MqttPacket packet)
    {
        Account(MqttPacketEncoder.Encode(_output.Writer, packet, _options.ProtocolVersion, _maxOutgoingPacket));
        FlushOutput();
    }

    private void Account(int bytes) => Interlocked.Add(ref _pendingBytes, bytes);

    /// <summary>Makes buffered bytes visible to the writer loop. Caller holds the gate, so flushes never overlap.</summary>
    private void FlushOutput()
    {
        // Without a pause threshold the flush completes synchronously; the writer loop does the socket I/O.
        var flush = _output.Writer.FlushAsync(CancellationToken.None);
        if (!flush.IsCompleted)
        {
            throw new InvalidOperationException("The output pipe unexpectedly applied back-pressure.");
        }
        flush.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Moves bytes from the output pipe to the transport. Whatever is buffered goes out at once, however small: the
    /// packets appended while a write is in progress leave together in the next one, so a burst coalesces into few
    /// writes by itself and a lone packet is not held back. (Yielding first to wait for more costs an extra thread-pool
    /// hop per write; in the QoS 1 benchmark, where acknowledgements arrive a few at a time, dropping it cut the
    /// client's CPU per message by about a quarter.)
    /// One pipe segment (64 KiB or less) per write, released right after it, so back-pressured publishers resume and
    /// buffers return to the pool while the rest is still being written.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var reader = _output.Reader;
        var stream = _stream!;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_lifetime.Token);
                var buffer = result.Buffer;
                if (buffer.IsEmpty)
                {
                    reader.AdvanceTo(buffer.End);
                    if (result.IsCompleted)
                    {
                        return;
                    }
                    continue;
                }
                var segment = buffer.First;
                await stream.WriteAsync(segment, _lifetime.Token);
                if (segment.Length == buffer.Length)
                {
                    // Drained: push TLS/WebSocket framing out too (a no-op for plain TCP).
                    await stream.FlushAsync(_lifetime.Token);
                }
                reader.AdvanceTo(buffer.GetPosition(segment.Length));
                // Full fence, then look for a waiter: pairs with WaitForOutputSpaceAsync.
                if (Interlocked.Add(ref _pendingBytes, -segment.Length) <= LowWaterBytes && Volatile.Read(ref _drained) is not null)
                {
                    ReleaseDrainWaiters();
                }
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _ = CloseAsync(new MqttDisconnectInfo(MqttDisconnectSource.Transport, DisconnectReasonCode.UnspecifiedError, TimeSpan.Zero)
            {
                ReasonString = $"write failed: {ex.Message}",
                Exception = ex,
            }, sendDisconnect: false);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }
}
