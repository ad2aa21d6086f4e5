using System.Text;
using System.Text.Json;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>
/// Stands where Home Assistant or Node-RED would: subscribes to every lock's state topic (<c>base/+</c>) and to
/// <c>base/bridge/info</c>, and publishes commands. Each received state is stamped on arrival (by default the system
/// clock, the same clock the simulator stamps its call records with; a manual-clock run passes its own clock) and
/// completes whoever expected that lock to reach that state. <c>bridge/info</c> tells each account's push state.
/// </summary>
internal sealed class Observer : IAsyncDisposable
{
    private readonly ReconnectingMqttClient _client;
    private readonly string _base;
    private readonly TimeProvider _stamp;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _push = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<(string TopicId, string State), TaskCompletionSource<DateTimeOffset>> _expected = [];
    private readonly Dictionary<string, TaskCompletionSource<JsonDocument>> _answers = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private long _firstStateAt;
    private int _transaction;

    private Observer(ReconnectingMqttClient client, string baseTopic, TimeProvider stamp)
    {
        _client = client;
        _base = baseTopic;
        _stamp = stamp;
        _client.MessageReceived = OnMessageAsync;
    }

    public static Task<Observer> ConnectAsync(string server, string baseTopic, CancellationToken cancellationToken) =>
        ConnectAsync(server, baseTopic, TimeProvider.System, cancellationToken);

    /// <param name="stamp">The clock arrivals are stamped with.</param>
    public static async Task<Observer> ConnectAsync(string server, string baseTopic, TimeProvider stamp, CancellationToken cancellationToken)
    {
        var client = new ReconnectingMqttClient(new MqttClientOptions
        {
            Server = server,
            ClientId = "s2m-bench-observer",
            ProtocolVersion = MqttProtocolVersion.V500,
        }, new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) });
        var observer = new Observer(client, baseTopic, stamp);
        await client.StartAsync(cancellationToken);
        var result = await client.SubscribeAsync([
                new MqttSubscription(baseTopic + "/+", MqttQualityOfService.AtMostOnce),
                new MqttSubscription(baseTopic + "/bridge/info", MqttQualityOfService.AtMostOnce),
                new MqttSubscription(baseTopic + "/bridge/response/+", MqttQualityOfService.AtMostOnce),
            ], cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("The observer could not subscribe: " + result);
        }
        return observer;
    }

    /// <summary>Locks whose state topic holds a state right now.</summary>
    public int LocksSeen
    {
        get { lock (_gate) { return _latest.Count; } }
    }

    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the first lock state arrived (0: none yet). Taken
    /// on arrival in the client's receive path, so waking the waiting bench adds nothing to the figure.
    /// </summary>
    public long FirstStateAt => Interlocked.Read(ref _firstStateAt);

    /// <summary>
    /// Sends a request on <c>bridge/request/&lt;op&gt;</c> with a transaction of its own and returns the answer from
    /// <c>bridge/response/&lt;op&gt;</c>, or null when none came within <paramref name="limit"/>.
    /// </summary>
    public async Task<JsonDocument?> RequestAsync(string op, string fields, TimeSpan limit, CancellationToken cancellationToken)
    {
        var transaction = $"bench-{Interlocked.Increment(ref _transaction)}";
        var answer = new TaskCompletionSource<JsonDocument>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _answers[transaction] = answer;
        }
        try
        {
            var body = fields.Length == 0 ? $"{{\"transaction\":\"{transaction}\"}}" : $"{{{fields},\"transaction\":\"{transaction}\"}}";
            await PublishAsync($"{_base}/bridge/request/{op}", body, cancellationToken);
            return await answer.Task.WaitAsync(limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_gate)
            {
                _answers.Remove(transaction);
            }
        }
    }

    /// <summary>Each account's push state as <c>bridge/info</c> last said it (<c>connected</c>, <c>connecting</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> PushStates
    {
        get { lock (_gate) { return new Dictionary<string, string>(_push, StringComparer.Ordinal); } }
    }

    /// <summary>Waits until <c>bridge/info</c> says every one of <paramref name="accounts"/> accounts has push <paramref name="state"/>.</summary>
    public async Task WaitForPushAsync(int accounts, string state, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_push.Count >= accounts && _push.Values.All(s => s == state))
                {
                    return;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var states = string.Join(", ", PushStates.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));
                throw new TimeoutException($"Push was not {state} for all {accounts} accounts within {limit.TotalSeconds:0} s (bridge/info: {(states.Length == 0 ? "not seen" : states)}).");
            }
        }
    }

    /// <summary>Completes with the arrival time of the next state <paramref name="state"/> of the lock. Register before acting.</summary>
    public Task<DateTimeOffset> Expect(string topicId, string state)
    {
        var waiter = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _expected[(topicId, state)] = waiter;
        }
        return waiter.Task;
    }

    /// <summary>Waits until at least <paramref name="count"/> locks have a state (each lock's first publish).</summary>
    public async Task WaitForLocksAsync(int count, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_latest.Count >= count)
                {
                    return;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Only {LocksSeen} of {count} locks were published within {limit.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>Publishes at QoS 1 (not retained, as a user's command must be) and returns when the broker acknowledged.</summary>
    public async Task PublishAsync(string topic, string payload, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(new MqttMessage(topic, Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce), cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The broker refused the publish to {topic}: {result}");
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
            // The broker is going away with the run.
        }
        await _client.DisposeAsync();
    }

    private ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var arrived = _stamp.GetUtcNow();
        var topicId = message.Topic.Length > _base.Length + 1 ? message.Topic[(_base.Length + 1)..] : null;
        if (topicId == "bridge/info")
        {
            OnInfo(message.Payload.Span);
            return ValueTask.CompletedTask;
        }
        if (topicId is not null && topicId.StartsWith("bridge/response/", StringComparison.Ordinal))
        {
            OnAnswer(message.Payload.Span);
            return ValueTask.CompletedTask;
        }
        if (topicId is null || topicId == "bridge")
        {
            return ValueTask.CompletedTask;
        }
        var state = message.Payload.IsEmpty ? null : StateOf(message.Payload.Span);
        TaskCompletionSource<DateTimeOffset>? waiter = null;
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (state is null)
            {
                _latest.Remove(topicId);
            }
            else
            {
                if (_latest.Count == 0 && _firstStateAt == 0)
                {
                    Interlocked.Exchange(ref _firstStateAt, System.Diagnostics.Stopwatch.GetTimestamp());
                }
                _latest[topicId] = state;
                _expected.Remove((topicId, state), out waiter);
            }
            changed = _changed;
            _changed = NewSignal();
        }
        waiter?.TrySetResult(arrived);
        changed.TrySetResult();
        return ValueTask.CompletedTask;
    }

    // bridge/response/<op>: {"status": ..., "data": ..., "transaction": "bench-N"}; answers to others are ignored.
    private void OnAnswer(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException)
        {
            return;
        }
        TaskCompletionSource<JsonDocument>? waiter = null;
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("transaction", out var transaction)
            && transaction.ValueKind == JsonValueKind.String)
        {
            lock (_gate)
            {
                _answers.Remove(transaction.GetString()!, out waiter);
            }
        }
        if (waiter is null || !waiter.TrySetResult(document))
        {
            document.Dispose();
        }
    }

    // bridge/info: {"accounts": [{"name": ..., "push": ...}, ...], ...}.
    private void OnInfo(ReadOnlySpan<byte> json)
    {
        Dictionary<string, string> states;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            if (!document.RootElement.TryGetProperty("accounts", out var accounts) || accounts.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            states = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var account in accounts.EnumerateArray())
            {
                if (account.TryGetProperty("name", out var name) && account.TryGetProperty("push", out var push)
                    && name.GetString() is { } n && push.GetString() is { } p)
                {
                    states[n] = p;
                }
            }
        }
        catch (JsonException)
        {
            return;
        }
        TaskCompletionSource changed;
        lock (_gate)
        {
            _push.Clear();
            foreach (var (name, state) in states)
            {
                _push[name] = state;
            }
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    // The lock state document is an object whose "state" member is the lock's state name.
    private static string? StateOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("state"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
