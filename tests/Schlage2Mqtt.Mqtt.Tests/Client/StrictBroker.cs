using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Tests.Client;

/// <summary>The limits a <see cref="StrictBroker"/> announces in CONNACK and holds the client to.</summary>
internal sealed record StrictLimits
{
    /// <summary>The tight set the issue names: 256 B packets, 2 in flight, 2 topic aliases, no retain, QoS 1 at most.</summary>
    public static StrictLimits Tight { get; } = new();

    /// <summary>No limits at all (announces nothing): a first connection that lets the client build up state.</summary>
    public static StrictLimits None { get; } = new() { MaximumPacketSize = null, ReceiveMaximum = null, TopicAliasMaximum = null, RetainAvailable = true, MaximumQoS = null };

    public uint? MaximumPacketSize { get; init; } = 256;

    public ushort? ReceiveMaximum { get; init; } = 2;

    public ushort? TopicAliasMaximum { get; init; } = 2;

    public bool RetainAvailable { get; init; }

    public MqttQualityOfService? MaximumQoS { get; init; } = MqttQualityOfService.AtLeastOnce;

    public MqttProperties ToConnAckProperties() => new()
    {
        MaximumPacketSize = MaximumPacketSize,
        ReceiveMaximum = ReceiveMaximum,
        TopicAliasMaximum = TopicAliasMaximum,
        RetainAvailable = RetainAvailable ? null : (byte)0,
        MaximumQoS = MaximumQoS is { } q ? (byte)q : null,
    };
}

/// <summary>
/// A broker stand-in on loopback that announces tight limits and fails the test on the first packet from the client
/// that breaks one: oversize packets, more QoS 1/2 publishes in flight than its Receive Maximum, QoS above its
/// maximum, retained publishes when retain is unavailable, topic aliases above its maximum, Subscription Identifiers
/// in a client PUBLISH, and wildcards in a Response Topic. It accepts one connection after another (a reconnecting
/// client), and every answer is scripted by the test.
/// </summary>
internal sealed class StrictBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly HashSet<ushort> _inflight = [];
    private Socket? _socket;
    private byte[] _buffer = new byte[65536];
    private int _start;
    private int _end;
    private StrictLimits _limits = StrictLimits.None;

    public StrictBroker(MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        Version = version;
        _listener.Start();
    }

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(20);

    public MqttProtocolVersion Version { get; }

    public string Url => $"mqtt://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>QoS 1/2 publishes of the current connection the broker has not acknowledged.</summary>
    public int InflightCount => _inflight.Count;

    /// <summary>Accepts the next connection (dropping the previous one) and returns its CONNECT.</summary>
    public async Task<ConnectPacket> AcceptAsync()
    {
        _socket?.Dispose();
        _socket = await _listener.AcceptSocketAsync().WaitAsync(Timeout);
        _start = _end = 0;
        _inflight.Clear();
        _limits = StrictLimits.None;
        return Assert.IsType<ConnectPacket>(await ReadAnyAsync());
    }

    /// <summary>Answers CONNECT with success, the <paramref name="limits"/> and the session-present flag, and starts holding the client to them.</summary>
    public Task ConnAckAsync(StrictLimits limits, bool sessionPresent = false)
    {
        _limits = limits;
        return SendAsync(new ConnAckPacket(sessionPresent, ConnectReasonCode.Success, Version == MqttProtocolVersion.V500 ? limits.ToConnAckProperties() : null));
    }

    /// <summary>Refuses CONNECT with <paramref name="reason"/>.</summary>
    public Task RefuseAsync(ConnectReasonCode reason) => SendAsync(new ConnAckPacket(false, reason));

    /// <summary>Accepts a connection and answers it: the common start of a test.</summary>
    public async Task<ConnectPacket> AcceptAndConnAckAsync(StrictLimits limits, bool sessionPresent = false)
    {
        var connect = await AcceptAsync();
        await ConnAckAsync(limits, sessionPresent);
        return connect;
    }

    /// <summary>The next packet from the client, checked against the announced limits; null when the client closed the socket.</summary>
    public async Task<MqttPacket?> ReadAsync()
    {
        var packet = await ReadAnyAsync();
        switch (packet)
        {
            case PublishPacket publish:
                Check(publish);
                break;
            case PublishAckPacket { AckType: MqttPacketType.PubRel } pubRel:
                Assert.True(_inflight.Contains(pubRel.PacketId), $"PUBREL for packet id {pubRel.PacketId}, which is not in flight");
                break;
        }
        return packet;
    }

    /// <summary>Reads packets until one of type <typeparamref name="T"/>; fails on any other in between.</summary>
    public async Task<T> ExpectAsync<T>() where T : MqttPacket
    {
        var packet = await ReadAsync();
        return Assert.IsType<T>(packet);
    }

    /// <summary>Acknowledges a QoS 1 publish (PUBACK) or the first step of a QoS 2 one (PUBREC), freeing its slot for PUBACK.</summary>
    public Task PubAckAsync(ushort packetId, PublishReasonCode reason = PublishReasonCode.Success)
    {
        _inflight.Remove(packetId);
        return SendAsync(new PublishAckPacket(MqttPacketType.PubAck, packetId, reason));
    }

    public Task PubCompAsync(ushort packetId)
    {
        _inflight.Remove(packetId);
        return SendAsync(new PublishAckPacket(MqttPacketType.PubComp, packetId));
    }

    /// <summary>
    /// A round trip through the client's input and output: sends a QoS 1 PUBLISH and reads until its PUBACK,
    /// returning (checked) whatever the client sent before it. Anything the client had written before it handled the
    /// barrier shows up here, so a test can assert that nothing (or exactly something) was sent, without waiting.
    /// </summary>
    public async Task<List<MqttPacket>> BarrierAsync(ushort packetId = 0xFFF0)
    {
        await SendAsync(new PublishPacket(new MqttMessage("strict/barrier", "b"u8.ToArray(), MqttQualityOfService.AtLeastOnce), packetId));
        var before = new List<MqttPacket>();
        while (true)
        {
            var packet = await ReadAsync() ?? throw new InvalidOperationException("The client closed the connection before answering the barrier.");
            if (packet is PublishAckPacket { AckType: MqttPacketType.PubAck } ack && ack.PacketId == packetId)
            {
                return before;
            }
            before.Add(packet);
        }
    }

    /// <summary>Drops the connection without DISCONNECT.</summary>
    public void Drop()
    {
        _socket?.Dispose();
        _socket = null;
        _inflight.Clear();
    }

    public async Task SendAsync(params byte[] bytes) => await _socket!.SendAsync(bytes);

    public async Task SendAsync(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(writer, packet, Version);
        await _socket!.SendAsync(writer.WrittenMemory);
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }

    private void Check(PublishPacket publish)
    {
        var m = publish.Message;
        if (m.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            if (!_inflight.Contains(publish.PacketId))
            {
                _inflight.Add(publish.PacketId);
            }
            else
            {
                Assert.True(publish.Dup, $"packet id {publish.PacketId} reused while in flight");
            }
            if (_limits.ReceiveMaximum is { } max)
            {
                Assert.True(_inflight.Count <= max, $"{_inflight.Count} QoS 1/2 publishes in flight against a Receive Maximum of {max}");
            }
        }
        if (_limits.MaximumQoS is { } maxQos)
        {
            Assert.True(m.QualityOfService <= maxQos, $"QoS {(int)m.QualityOfService} publish against a Maximum QoS of {(int)maxQos}");
        }
        Assert.False(m.Retain && !_limits.RetainAvailable, "retained publish although Retain Available is 0");
        Assert.True(publish.TopicAlias <= (_limits.TopicAliasMaximum ?? 0), $"topic alias {publish.TopicAlias} above the maximum {_limits.TopicAliasMaximum ?? 0}");
        Assert.True(m.SubscriptionIdentifiers.Count == 0, "a client PUBLISH carries a Subscription Identifier");
        if (m.ResponseTopic is { } responseTopic)
        {
            Assert.True(MqttTopic.IsValidTopicName(responseTopic), $"Response Topic '{responseTopic}' is not a valid topic name");
        }
    }

    private async Task<MqttPacket?> ReadAnyAsync()
    {
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
            var before = sequence.Length;
            if (MqttPacketDecoder.TryReadFrame(ref sequence, 0, out var header, out var body))
            {
                var frameSize = before - sequence.Length;
                if (_limits.MaximumPacketSize is { } limit)
                {
                    Assert.True(frameSize <= limit, $"a {(MqttPacketType)(header >> 4)} of {frameSize} bytes against a Maximum Packet Size of {limit}");
                }
                var packet = MqttPacketDecoder.Decode(header, body.ToArray(), Version);
                _start = _end - (int)sequence.Length;
                return packet;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var n = await _socket!.ReceiveAsync(_buffer.AsMemory(_end)).AsTask().WaitAsync(Timeout);
            if (n == 0)
            {
                return null;
            }
            _end += n;
        }
    }
}
