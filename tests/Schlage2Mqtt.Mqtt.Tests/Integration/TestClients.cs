using System.Threading.Channels;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

/// <summary>Helpers to connect clients and collect what they receive, waiting on events (never sleeping).</summary>
internal static class TestClients
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static MqttClientOptions Options(string server, MqttProtocolVersion version, string? clientId = null) => new()
    {
        Server = server,
        ProtocolVersion = version,
        ClientId = clientId ?? "t-" + Guid.NewGuid().ToString("N")[..12],
    };

    public static async Task<(MqttConnection Connection, Inbox Inbox)> ConnectAsync(MqttClientOptions options)
    {
        var connection = new MqttConnection(options);
        var inbox = new Inbox();
        connection.MessageReceived = inbox.HandleAsync;
        var result = await connection.ConnectAsync().WaitAsync(Timeout);
        Assert.True(result.IsSuccess, $"CONNACK {result.ReasonCode}");
        return (connection, inbox);
    }
}

/// <summary>Collects received messages; tests await the next one with a generous timeout.</summary>
internal sealed class Inbox
{
    private readonly Channel<MqttMessage> _messages = Channel.CreateUnbounded<MqttMessage>();

    public ValueTask HandleAsync(MqttMessage message, CancellationToken cancellationToken) => _messages.Writer.WriteAsync(message, cancellationToken);

    public async Task<MqttMessage> NextAsync() => await _messages.Reader.ReadAsync().AsTask().WaitAsync(TestClients.Timeout);

    public bool TryTake(out MqttMessage? message) => _messages.Reader.TryRead(out message);

    public async Task<List<MqttMessage>> TakeAsync(int count)
    {
        var list = new List<MqttMessage>(count);
        while (list.Count < count)
        {
            list.Add(await NextAsync());
        }
        return list;
    }
}
