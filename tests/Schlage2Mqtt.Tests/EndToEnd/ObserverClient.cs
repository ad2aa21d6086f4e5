using System.Text;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>One message the observer saw.</summary>
internal sealed record Observed(int Index, string Topic, string Payload, bool Retain, byte[] CorrelationData);

/// <summary>
/// The test's own MQTT client, standing where a user's Node-RED or Home Assistant would: subscribes to everything the
/// bridge publishes, and publishes commands and requests. Waits are event-driven, with generous limits.
/// </summary>
internal sealed class ObserverClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(60);
    private readonly ReconnectingMqttClient _client;
    private readonly List<Observed> _messages = [];
    private readonly object _gate = new();
    private TaskCompletionSource _changed = New();

    private ObserverClient(ReconnectingMqttClient client)
    {
        _client = client;
        _client.MessageReceived = OnMessage;
    }

    public IMqttClient Client => _client;

    public static async Task<ObserverClient> ConnectAsync(string server, params string[] filters)
    {
        var client = new ReconnectingMqttClient(new MqttClientOptions
        {
            Server = server,
            ClientId = "observer-" + Guid.NewGuid().ToString("N")[..8],
            ProtocolVersion = MqttProtocolVersion.V500,
        }, new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) });
        var observer = new ObserverClient(client);
        await client.StartAsync();
        var subscriptions = (filters.Length == 0 ? ["schlage2mqtt/#", "homeassistant/#"] : filters)
            .Select(f => new MqttSubscription(f, MqttQualityOfService.AtLeastOnce)).ToList();
        var result = await client.SubscribeAsync(subscriptions).WaitAsync(DefaultLimit);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("observer could not subscribe: " + result);
        }
        return observer;
    }

    /// <summary>The number of messages seen so far: pass it as <c>since</c> to look only at later ones.</summary>
    public int Mark()
    {
        lock (_gate)
        {
            return _messages.Count;
        }
    }

    public IReadOnlyList<Observed> Messages
    {
        get { lock (_gate) { return [.. _messages]; } }
    }

    public IReadOnlyList<Observed> On(string topic, int since = 0) => Messages.Skip(since).Where(m => m.Topic == topic).ToList();

    /// <summary>Waits for the first message from index <paramref name="since"/> on that matches.</summary>
    public async Task<Observed> WaitAsync(Func<Observed, bool> match, int since = 0, TimeSpan? limit = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? DefaultLimit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _messages.Skip(since).FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }
                changed = _changed.Task;
            }
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(remaining)) != changed)
            {
                var recent = string.Join("\n", Messages.Skip(since).TakeLast(15).Select(m => $"  {m.Topic} {Short(m.Payload)}"));
                throw new TimeoutException($"No message matched ({what}). Recent messages:\n{recent}");
            }
        }
    }

    public Task<Observed> WaitOnAsync(string topic, Func<string, bool>? payload = null, int since = 0, TimeSpan? limit = null) =>
        WaitAsync(m => m.Topic == topic && (payload?.Invoke(m.Payload) ?? true), since, limit, topic);

    public async Task PublishAsync(string topic, string payload, bool retain = false, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce,
        string? responseTopic = null, byte[]? correlation = null) =>
        await PublishAsync(topic, Encoding.UTF8.GetBytes(payload), retain, qos, responseTopic, correlation);

    public async Task PublishAsync(string topic, byte[] payload, bool retain = false, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce,
        string? responseTopic = null, byte[]? correlation = null)
    {
        var result = await _client.PublishAsync(new MqttMessage(topic, payload, qos, retain)
        {
            ResponseTopic = responseTopic,
            CorrelationData = correlation ?? ReadOnlyMemory<byte>.Empty,
        }).AsTask().WaitAsync(DefaultLimit);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"publish to {topic} refused: {result}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.StopAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or MqttException)
        {
        }
        await _client.DisposeAsync();
    }

    private ValueTask OnMessage(MqttMessage message, CancellationToken cancellationToken)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _messages.Add(new Observed(_messages.Count, message.Topic, message.PayloadAsString(), message.Retain, message.CorrelationData.ToArray()));
            changed = _changed;
            _changed = New();
        }
        changed.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Short(string s) => s.Length > 160 ? s[..160] + "..." : s;
}
