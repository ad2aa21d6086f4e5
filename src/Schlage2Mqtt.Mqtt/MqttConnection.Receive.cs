using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Mqtt.Client;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt;

public sealed partial class MqttConnection
{
    /// <summary>Splits the input into packets and handles them; any protocol violation closes the connection.</summary>
    private async Task ReadLoopAsync()
    {
        var input = _input!;
        var maxIncoming = _options.MaximumPacketSize;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_lifetime.Token);
                var buffer = result.Buffer;
                try
                {
                    while (MqttPacketDecoder.TryReadFrame(ref buffer, maxIncoming, out var header, out var body))
                    {
                        var delivery = HandleFrame(header, body);
                        if (!delivery.IsCompletedSuccessfully)
                        {
                            await delivery;
                        }
                        if (_state == ConnectionState.Closed)
                        {
                            return;
                        }
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
                if (result.IsCompleted)
                {
                    var info = new MqttDisconnectInfo(MqttDisconnectSource.Transport, DisconnectReasonCode.UnspecifiedError, TimeSpan.Zero)
                    {
                        ReasonString = buffer.IsEmpty ? "the broker closed the connection" : "the broker closed the connection in the middle of a packet",
                    };
                    await CloseAsync(info, sendDisconnect: false);
                    return;
                }
            }
        }
        catch (MqttProtocolException ex)
        {
            _logger.LogWarning("MQTT protocol error from {Server}: {Message}", _address, ex.Message);
            var info = new MqttDisconnectInfo(MqttDisconnectSource.ProtocolError, ex.ReasonCode, TimeSpan.Zero) { ReasonString = ex.Message, Exception = ex };
            await CloseAsync(info, sendDisconnect: _options.ProtocolVersion == MqttProtocolVersion.V500);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            var info = new MqttDisconnectInfo(MqttDisconnectSource.Transport, DisconnectReasonCode.UnspecifiedError, TimeSpan.Zero)
            {
                ReasonString = $"read failed: {ex.Message}",
                Exception = ex,
            };
            await CloseAsync(info, sendDisconnect: false);
        }
        finally
        {
            await input.CompleteAsync();
        }
    }

    private ValueTask HandleFrame(byte header, ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return HandlePacket(header, body.FirstSpan);
        }
        var length = (int)body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return HandlePacket(header, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private ValueTask HandlePacket(byte header, ReadOnlySpan<byte> body)
    {
        var type = (MqttPacketType)(header >> 4);
        var version = _options.ProtocolVersion;
        if (_state == ConnectionState.Connecting && type != MqttPacketType.ConnAck && type != MqttPacketType.Disconnect)
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Expected CONNACK first, got {type}.");
        }
        if (type is MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp)
        {
            if (MqttPacketDecoder.TryDecodeShortAck(header, body, version, out var id, out var reason))
            {
                HandleAck(type, id, new PublishResult(reason));
            }
            else
            {
                var ack = (PublishAckPacket)MqttPacketDecoder.Decode(header, body, version);
                HandleAck(type, ack.PacketId, new PublishResult(ack.ReasonCode, ack.Properties?.ReasonString));
            }
            return ValueTask.CompletedTask;
        }
        var packet = MqttPacketDecoder.Decode(header, body, version);
        switch (packet)
        {
            case PublishPacket publish:
                return HandlePublish(publish);
            case ConnAckPacket connAck:
                HandleConnAck(connAck);
                break;
            case SubAckPacket subAck:
                CompleteRequest(subAck.PacketId, MqttPacketType.SubAck, subAck, subAck.ReasonCodes.Count);
                break;
            case UnsubAckPacket unsubAck:
                CompleteRequest(unsubAck.PacketId, MqttPacketType.UnsubAck, unsubAck, version == MqttProtocolVersion.V500 ? unsubAck.ReasonCodes.Count : -1);
                break;
            case PingRespPacket:
                HandlePingResp();
                break;
            case DisconnectPacket disconnect:
                var info = new MqttDisconnectInfo(MqttDisconnectSource.Server, disconnect.ReasonCode, TimeSpan.Zero)
                {
                    ReasonString = disconnect.Properties?.ReasonString,
                    ServerReference = disconnect.Properties?.ServerReference,
                };
                _ = CloseAsync(info, sendDisconnect: false);
                break;
            case AuthPacket:
                // This client never starts enhanced authentication, so an AUTH is out of order: refuse it cleanly.
                throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "AUTH received, but enhanced authentication is not in use.");
            default:
                throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"A client does not accept {packet.Type}.");
        }
        return ValueTask.CompletedTask;
    }

    private void HandleConnAck(ConnAckPacket packet)
    {
        if (_state != ConnectionState.Connecting)
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "A second CONNACK.");
        }
        var p = packet.Properties;
        var result = new ConnectResult(packet.ReasonCode, packet.SessionPresent)
        {
            ProtocolVersion = _options.ProtocolVersion,
            AssignedClientId = p?.AssignedClientIdentifier,
            ReasonString = p?.ReasonString,
            ServerKeepAlive = p?.ServerKeepAlive is { } ska ? TimeSpan.FromSeconds(ska) : null,
            SessionExpiryInterval = p?.SessionExpiryInterval is { } sei ? TimeSpan.FromSeconds(sei) : null,
            ReceiveMaximum = p?.ReceiveMaximum ?? ushort.MaxValue,
            MaximumQoS = p?.MaximumQoS is { } mq ? (MqttQualityOfService)mq : MqttQualityOfService.ExactlyOnce,
            RetainAvailable = p?.RetainAvailable != 0,
            MaximumPacketSize = p?.MaximumPacketSize,
            TopicAliasMaximum = p?.TopicAliasMaximum ?? 0,
            WildcardSubscriptionAvailable = p?.WildcardSubscriptionAvailable != 0,
            SubscriptionIdentifiersAvailable = p?.SubscriptionIdentifierAvailable != 0,
            SharedSubscriptionAvailable = p?.SharedSubscriptionAvailable != 0,
            ResponseInformation = p?.ResponseInformation,
            ServerReference = p?.ServerReference,
            UserProperties = p?.UserProperties ?? (IReadOnlyList<MqttUserProperty>)[],
        };
        ConnectResult = result;
        if (!result.IsSuccess)
        {
            _connAck.TrySetResult(result);
            _ = CloseAsync(new MqttDisconnectInfo(MqttDisconnectSource.Server, DisconnectReasonCode.UnspecifiedError, TimeSpan.Zero) { ReasonString = result.ReasonString }, sendDisconnect: false);
            return;
        }
        if (packet.SessionPresent && _options.CleanStart)
        {
            // MQTT 5 §3.2.2.1.1 / 3.1.1 §3.2.2.2: a clean start never resumes a session; a broker that says so is broken.
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "CONNACK says Session Present although this client asked for a clean start.");
        }
        _maxOutgoingPacket = result.MaximumPacketSize ?? 0;
        _serverMaxQos = result.MaximumQoS;
        _retainAvailable = result.RetainAvailable;
        _topicAliases = new string?[_options.TopicAliasMaximum + 1];
        var keepAlive = result.ServerKeepAlive ?? _options.KeepAlive;
        var quota = new SemaphoreSlim(Math.Min(result.ReceiveMaximum, _options.MaximumInflight));
        List<OutgoingPublish> retransmit;
        lock (_session.Gate)
        {
            _quota = quota;
            _state = ConnectionState.Connected;
            Interlocked.Exchange(ref _connectedAt, _time.GetTimestamp());
            if (!packet.SessionPresent)
            {
                _session.ClearIncomingQos2();
            }
            retransmit = _session.InflightInOrder();
            foreach (var op in retransmit)
            {
                ResendLocked(op, packet.SessionPresent, quota);
            }
            if (retransmit.Count > 0)
            {
                FlushOutput();
            }
        }
        if (retransmit.Count > 0)
        {
            _logger.LogInformation("MQTT: {Count} unacknowledged publishes sent again ({Mode})", retransmit.Count, packet.SessionPresent ? "session resumed" : "new session");
        }
        if (keepAlive > TimeSpan.Zero)
        {
            var interval = PingInterval(keepAlive);
            _keepAliveTimer = _time.CreateTimer(static s => ((MqttConnection)s!).OnKeepAliveTick(), this, interval, interval);
        }
        _logger.LogInformation("MQTT connected to {Server} (MQTT {Version}, session present: {SessionPresent})",
            _address, _options.ProtocolVersion == MqttProtocolVersion.V500 ? "5" : "3.1.1", packet.SessionPresent);
        _connAck.TrySetResult(result);
    }

    /// <summary>
    /// Retransmits (resumed session) or re-sends (new session) one in-flight publish under this connection's limits:
    /// what the broker now refuses (QoS, retain) fails, and beyond its Receive Maximum the rest waits for a free
    /// slot, ahead of new publishes. Caller holds the gate.
    /// </summary>
    private void ResendLocked(OutgoingPublish op, bool sessionPresent, SemaphoreSlim quota)
    {
        op.HoldsQuota = false;
        if (op.Stage == OutgoingStage.AwaitingPubComp)
        {
            if (!sessionPresent)
            {
                // The broker acknowledged receipt with PUBREC before the old session ended: the message is delivered.
                _session.Release(op.PacketId, op);
                op.TryComplete(op.PubRecResult);
                return;
            }
        }
        else
        {
            op.Stage = OutgoingStage.Pending;
            if (RefusalLocked(op.Message) is { } refused)
            {
                _session.Release(op.PacketId, op);
                Refuse(op, refused);
                return;
            }
        }
        if (!quota.Wait(0, CancellationToken.None))
        {
            _resendBacklog.Enqueue((op, sessionPresent));
            return;
        }
        if (!TryResendLocked(op, sessionPresent))
        {
            quota.Release();
        }
    }

    /// <summary>Sends one retransmission in a slot already taken; false when it is no longer due or was refused (the slot stays free). Caller holds the gate.</summary>
    private bool TryResendLocked(OutgoingPublish op, bool dup)
    {
        if (!ReferenceEquals(_session.Get(op.PacketId), op))
        {
            return false;
        }
        if (op.Stage == OutgoingStage.AwaitingPubComp)
        {
            op.HoldsQuota = true;
            Account(MqttPacketEncoder.EncodeAck(_output.Writer, MqttPacketType.PubRel, op.PacketId, PublishReasonCode.Success, _options.ProtocolVersion));
            return true;
        }
        if ((RefusalLocked(op.Message) ?? TryEncodePublishLocked(op.Message, op.PacketId, dup)) is { } refused)
        {
            _session.Release(op.PacketId, op);
            Refuse(op, refused);
            return false;
        }
        op.HoldsQuota = true;
        op.Stage = op.Message.QualityOfService == MqttQualityOfService.AtLeastOnce ? OutgoingStage.AwaitingPubAck : OutgoingStage.AwaitingPubRec;
        Interlocked.Increment(ref _messagesSent);
        return true;
    }

    private void HandleAck(MqttPacketType type, ushort id, PublishResult result)
    {
        var version = _options.ProtocolVersion;
        lock (_session.Gate)
        {
            if (type == MqttPacketType.PubRel)
            {
                var known = _session.ReleaseIncomingQos2(id);
                Account(MqttPacketEncoder.EncodeAck(_output.Writer, MqttPacketType.PubComp, id,
                    known ? PublishReasonCode.Success : PublishReasonCode.PacketIdentifierNotFound, version));
                FlushOutput();
                return;
            }
            var op = _session.Get(id) as OutgoingPublish;
            var expected = type switch
            {
                MqttPacketType.PubAck => OutgoingStage.AwaitingPubAck,
                MqttPacketType.PubRec => OutgoingStage.AwaitingPubRec,
                _ => OutgoingStage.AwaitingPubComp,
            };
            if (op is null || op.Stage != expected)
            {
                if (type == MqttPacketType.PubRec)
                {
                    // A duplicate PUBREC for a message already released gets its PUBREL again; an unknown one is refused.
                    var reason = op?.Stage == OutgoingStage.AwaitingPubComp ? PublishReasonCode.Success : PublishReasonCode.PacketIdentifierNotFound;
                    Account(MqttPacketEncoder.EncodeAck(_output.Writer, MqttPacketType.PubRel, id, reason, version));
                    FlushOutput();
                }
                _logger.LogDebug("MQTT: ignoring {Type} for packet id {Id} in no matching state", type, id);
                return;
            }
            if (type == MqttPacketType.PubRec && result.IsSuccess)
            {
                op.Stage = OutgoingStage.AwaitingPubComp;
                op.PubRecResult = result;
                Account(MqttPacketEncoder.EncodeAck(_output.Writer, MqttPacketType.PubRel, id, PublishReasonCode.Success, version));
                FlushOutput();
                return;
            }
            _session.Release(id, op);
            if (op.HoldsQuota)
            {
                op.HoldsQuota = false;
                ReleaseSlotLocked();
            }
            op.TryComplete(type == MqttPacketType.PubComp ? op.PubRecResult : result);
        }
    }

    private ValueTask HandlePublish(PublishPacket packet)
    {
        var message = packet.Message;
        if (packet.TopicAlias != 0)
        {
            if (packet.TopicAlias >= _topicAliases.Length)
            {
                throw new MqttProtocolException(DisconnectReasonCode.TopicAliasInvalid, $"Topic alias {packet.TopicAlias} exceeds the maximum {_topicAliases.Length - 1}.");
            }
            if (message.Topic.Length > 0)
            {
                _topicAliases[packet.TopicAlias] = message.Topic;
            }
            else
            {
                var topic = _topicAliases[packet.TopicAlias]
                    ?? throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Topic alias {packet.TopicAlias} was never defined.");
                message = message with { Topic = topic };
            }
        }
        switch (message.QualityOfService)
        {
            case MqttQualityOfService.AtMostOnce:
                return Deliver(message, MqttPacketType.Reserved, 0);
            case MqttQualityOfService.AtLeastOnce:
                return Deliver(message, MqttPacketType.PubAck, packet.PacketId);
            default:
                bool isNew;
                lock (_session.Gate)
                {
                    isNew = _session.MarkIncomingQos2(packet.PacketId);
                    if (isNew && _session.IncomingQos2Count > _options.ReceiveMaximum)
                    {
                        throw new MqttProtocolException(DisconnectReasonCode.ReceiveMaximumExceeded, "More QoS 2 messages in flight than the Receive Maximum.");
                    }
                }
                // A retransmitted QoS 2 message that was already delivered is only acknowledged again.
                return Deliver(isNew ? message : null, MqttPacketType.PubRec, packet.PacketId);
        }
    }

    /// <summary>
    /// Queues a message for the handler together with the acknowledgement it is owed; the dispatch loop sends that
    /// acknowledgement only after the handler has returned (<see cref="MessageReceived"/>). A null message is an
    /// acknowledgement alone (a QoS 2 duplicate), queued so it cannot overtake the acknowledgements before it.
    /// </summary>
    private ValueTask Deliver(MqttMessage? message, MqttPacketType ackType, ushort packetId)
    {
        if (message is not null)
        {
            Interlocked.Increment(ref _messagesReceived);
        }
        var item = new Incoming(message, ackType, packetId);
        return _inbox.Writer.TryWrite(item) ? ValueTask.CompletedTask : DeliverSlowAsync(item);
    }

    private async ValueTask DeliverSlowAsync(Incoming item)
    {
        // The handler is behind: stop reading until it catches up, which pushes back on the broker through TCP.
        if (await _inbox.Writer.WaitToWriteAsync(_lifetime.Token))
        {
            _inbox.Writer.TryWrite(item);
        }
    }

    private void Acknowledge(MqttPacketType ackType, ushort packetId)
    {
        if (ackType == MqttPacketType.Reserved)
        {
            return;
        }
        lock (_session.Gate)
        {
            // Once closed, the acknowledgement is withheld on purpose: the broker redelivers on a resumed session.
            if (_state != ConnectionState.Connected)
            {
                return;
            }
            Account(MqttPacketEncoder.EncodeAck(_output.Writer, ackType, packetId, PublishReasonCode.Success, _options.ProtocolVersion));
            FlushOutput();
        }
    }

    private void CompleteRequest(ushort id, MqttPacketType type, MqttPacket packet, int codeCount)
    {
        PendingRequest? request;
        lock (_session.Gate)
        {
            request = _session.Get(id) as PendingRequest;
            if (request is null || request.ExpectedAck != type)
            {
                throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"{type} for packet id {id}, which awaits no such acknowledgement.");
            }
            _session.Release(id, request);
        }
        if (codeCount >= 0 && codeCount != request.FilterCount)
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"{type} has {codeCount} reason codes for {request.FilterCount} topic filters.");
        }
        request.Complete(packet);
    }

    private void HandlePingResp()
    {
        Volatile.Write(ref _pingOutstanding, 0);
        TaskCompletionSource? waiter = null;
        lock (_session.Gate)
        {
            _pingWaiters.TryDequeue(out waiter);
        }
        waiter?.TrySetResult();
    }

    /// <summary>
    /// PINGREQ goes out a little before the keepalive deadline (a quarter early, at most 5 s), not at it: a ping sent
    /// exactly at the deadline arrives after it, and a strict broker counts from its own clock.
    /// </summary>
    internal static TimeSpan PingInterval(TimeSpan keepAlive) => keepAlive - TimeSpan.FromTicks(Math.Min(keepAlive.Ticks / 4, TimeSpan.FromSeconds(5).Ticks));

    private void OnKeepAliveTick()
    {
        if (Interlocked.Exchange(ref _pingOutstanding, 1) == 1)
        {
            // The previous PINGREQ got no answer within a whole ping interval: the link is dead.
            var info = new MqttDisconnectInfo(MqttDisconnectSource.KeepAliveTimeout, DisconnectReasonCode.KeepAliveTimeout, TimeSpan.Zero)
            {
                ReasonString = "no PINGRESP within the keepalive interval",
            };
            _ = CloseAsync(info, sendDisconnect: _options.ProtocolVersion == MqttProtocolVersion.V500);
            return;
        }
        lock (_session.Gate)
        {
            if (_state != ConnectionState.Connected)
            {
                return;
            }
            Account(MqttPacketEncoder.EncodeEmpty(_output.Writer, 0xC0));
            FlushOutput();
        }
    }

    /// <summary>Runs the message handler for each received message, in order, off the receive loop.</summary>
    private async Task DispatchLoopAsync()
    {
        var reader = _inbox.Reader;
        var token = _lifetime.Token;
        try
        {
            await _delivery.Task.WaitAsync(token);
        }
        catch (OperationCanceledException)
        {
            // Closed before delivery started: nothing was handed out or acknowledged; the session redelivers.
            return;
        }
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (reader.TryRead(out var item))
                {
                    var handler = MessageReceived;
                    if (item.Message is { } message && handler is not null)
                    {
                        try
                        {
                            await handler(message, token);
                        }
                        catch (Exception ex)
                        {
                            _logger.LogError(ex, "The MQTT message handler failed for a message on '{Topic}'", message.Topic);
                        }
                    }
                    Acknowledge(item.AckType, item.PacketId);
                }
            }
        }
        catch (ChannelClosedException)
        {
        }
    }
}

/// <summary>A received message (or, for a QoS 2 duplicate, none) and the acknowledgement owed once it is handled.</summary>
internal readonly record struct Incoming(MqttMessage? Message, MqttPacketType AckType, ushort PacketId);
