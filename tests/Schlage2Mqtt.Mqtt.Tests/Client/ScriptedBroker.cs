using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Tests.Client;

/// <summary>A one-connection fake broker on loopback that reads real packets and answers with scripted bytes.</summary>
internal sealed class ScriptedBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private Socket? _socket;
    private byte[] _pending = [];

    public ScriptedBroker()
    {
        _listener.Start();
    }

    public string Url => $"mqtt://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async Task AcceptAsync() => _socket = await _listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>Reads the next whole packet the client sent; null when the client closed the socket.</summary>
    public async Task<MqttPacket?> ReadPacketAsync(MqttProtocolVersion version)
    {
        var buffer = new byte[65536];
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_pending);
            if (MqttPacketDecoder.TryReadFrame(ref sequence, 0, out var header, out var body))
            {
                var packet = MqttPacketDecoder.Decode(header, body.ToArray(), version);
                _pending = sequence.ToArray();
                return packet;
            }
            var n = await _socket!.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            if (n == 0)
            {
                return null;
            }
            _pending = [.. _pending, .. buffer.AsSpan(0, n)];
        }
    }

    public async Task SendAsync(params byte[] bytes) => await _socket!.SendAsync(bytes);

    public async Task SendAsync(MqttPacket packet, MqttProtocolVersion version)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(writer, packet, version);
        await _socket!.SendAsync(writer.WrittenMemory);
    }

    public async ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        _listener.Stop();
        await Task.CompletedTask;
    }
}
