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
    private byte[] _buffer = new byte[65536];
    private int _start;
    private int _end;

    /// <param name="receiveBufferSize">
    /// Kernel receive buffer of the accepted socket (0: the system's autotuned default). A small one makes the client's
    /// writes back up as soon as this broker stops reading.
    /// </param>
    public ScriptedBroker(int receiveBufferSize = 0)
    {
        if (receiveBufferSize > 0)
        {
            // Set on the listener so the accepted socket inherits it before the handshake fixes the window scale.
            _listener.Server.ReceiveBufferSize = receiveBufferSize;
        }
        _listener.Start();
    }

    public string Url => $"mqtt://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async Task AcceptAsync() => _socket = await _listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>Reads the next whole packet the client sent; null when the client closed the socket.</summary>
    public async Task<MqttPacket?> ReadPacketAsync(MqttProtocolVersion version)
    {
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
            if (MqttPacketDecoder.TryReadFrame(ref sequence, 0, out var header, out var body))
            {
                var packet = MqttPacketDecoder.Decode(header, body.ToArray(), version);
                _start = _end - (int)sequence.Length;
                return packet;
            }
            if (_start > 0)
            {
                // Keep the unread tail at the front so the buffer never grows for a stream of small packets.
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var n = await _socket!.ReceiveAsync(_buffer.AsMemory(_end)).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            if (n == 0)
            {
                return null;
            }
            _end += n;
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
