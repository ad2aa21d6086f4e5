using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Chaos;

/// <summary>
/// Stands where Node-RED would: subscribed to everything, it sends requests and commands with an MQTT 5 Response
/// Topic and waits for the answer, keeps the latest payload of each topic, and scans every message the bridge
/// published (not the ones the suite sent) for secrets.
/// </summary>
public sealed class MqttTap : IAsyncDisposable
{
    private const string ReplyPrefix = "chaos/reply/";
    private readonly ReconnectingMqttClient _client;
    private readonly SecretScanner _secrets;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<string>> _waiting = new();
    private readonly ConcurrentDictionary<string, string> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _bridgeLog = new();
    private readonly ConcurrentDictionary<string, long> _prefixCounts = new(StringComparer.Ordinal);
    private long _next;
    private long _messages;

    private MqttTap(ReconnectingMqttClient client, SecretScanner secrets)
    {
        _client = client;
        _secrets = secrets;
        _client.MessageReceived = OnMessageAsync;
    }

    /// <summary>Messages received so far.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Connects to <paramref name="server"/> and subscribes to <c>#</c>.</summary>
    public static async Task<MqttTap> ConnectAsync(string server, string clientId, SecretScanner secrets, CancellationToken cancellationToken,
        string? username = null, string? password = null)
    {
        var client = new ReconnectingMqttClient(new MqttClientOptions
        {
            Server = server,
            ClientId = clientId,
            ProtocolVersion = MqttProtocolVersion.V500,
            Username = username,
            Password = password,
        }, new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) });
        var tap = new MqttTap(client, secrets);
        await client.StartAsync(cancellationToken);
        var result = await client.SubscribeAsync([new MqttSubscription("#", MqttQualityOfService.AtLeastOnce)], cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("The tap could not subscribe: " + result);
        }
        return tap;
    }

    /// <summary>The latest payload on <paramref name="topic"/>, or null.</summary>
    public string? Latest(string topic) => _latest.TryGetValue(topic, out var payload) ? payload : null;

    /// <summary>Every <c>bridge/log</c> entry so far (the latest of a topic is not enough: warnings come and go).</summary>
    public IReadOnlyCollection<string> BridgeLog => _bridgeLog;

    /// <summary>Messages received so far whose topic's first level is <paramref name="level"/> (e.g. <c>thincloud</c>).</summary>
    public long CountFirstLevel(string level) => _prefixCounts.GetValueOrDefault(level);

    /// <summary>Forgets the latest payloads (before a phase that must see fresh ones).</summary>
    public void ForgetLatest() => _latest.Clear();

    /// <summary>Publishes at QoS 1 (without a response topic); true once the broker acknowledged it.</summary>
    public async Task<bool> PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(new MqttMessage(topic, payload, MqttQualityOfService.AtLeastOnce), cancellationToken);
        return result.IsSuccess;
    }

    /// <summary>
    /// Sends <paramref name="payload"/> to <paramref name="topic"/> with a Response Topic; the answer, or null when none
    /// came within <paramref name="limit"/>. <paramref name="acknowledged"/> completes when the broker took the request.
    /// </summary>
    public async Task<JsonNode?> RequestAsync(string topic, byte[] payload, TimeSpan limit, CancellationToken cancellationToken, Action<bool>? acknowledged = null)
    {
        var id = Interlocked.Increment(ref _next);
        var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = waiter;
        try
        {
            var result = await _client.PublishAsync(new MqttMessage(topic, payload, MqttQualityOfService.AtLeastOnce)
            {
                ResponseTopic = ReplyPrefix + id.ToString(CultureInfo.InvariantCulture),
                CorrelationData = Encoding.UTF8.GetBytes(id.ToString(CultureInfo.InvariantCulture)),
            }, cancellationToken).AsTask().WaitAsync(limit, cancellationToken);
            acknowledged?.Invoke(result.IsSuccess);
            var text = await waiter.Task.WaitAsync(limit, cancellationToken);
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return new JsonObject { ["status"] = "unparseable" };
            }
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the latest payload of <paramref name="topic"/>.</summary>
    public async Task<bool> WaitForAsync(string topic, Func<string, bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (Latest(topic) is { } payload && condition(payload))
            {
                return true;
            }
            await Task.Delay(50, cancellationToken);
        }
        return false;
    }

    private ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _messages);
        var text = Encoding.UTF8.GetString(message.Payload.Span);
        if (message.Topic.StartsWith(ReplyPrefix, StringComparison.Ordinal))
        {
            _secrets.Scan("mqtt " + message.Topic, text);
            if (long.TryParse(message.Topic.AsSpan(ReplyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && _waiting.TryGetValue(id, out var waiter))
            {
                waiter.TrySetResult(text);
            }
            return ValueTask.CompletedTask;
        }
        // What the suite itself sent comes back too; only what the bridge published is scanned.
        if (message.Topic.Contains("/bridge/request/", StringComparison.Ordinal) || message.Topic.EndsWith("/set", StringComparison.Ordinal)
            || message.Topic.Contains("/set/", StringComparison.Ordinal) || message.Topic.EndsWith("/get", StringComparison.Ordinal))
        {
            return ValueTask.CompletedTask;
        }
        _secrets.Scan("mqtt " + message.Topic, text);
        // Bounded: a run publishes a few hundred log entries; the suite only needs to find one.
        if (message.Topic.EndsWith("/bridge/log", StringComparison.Ordinal) && _bridgeLog.Count < 5_000)
        {
            _bridgeLog.Enqueue(text);
        }
        _prefixCounts.AddOrUpdate(message.Topic.Split('/')[0], 1, (_, n) => n + 1);
        _latest[message.Topic] = text.Length > 64 * 1024 ? text[..(64 * 1024)] : text;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _client.DisposeAsync();
}
