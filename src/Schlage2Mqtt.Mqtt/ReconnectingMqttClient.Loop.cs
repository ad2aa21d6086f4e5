using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Mqtt;

public sealed partial class ReconnectingMqttClient
{
    /// <inheritdoc />
    public async Task<SubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("At least one subscription is needed.", nameof(subscriptions));
        }
        foreach (var s in subscriptions)
        {
            MqttTopic.ValidateTopicFilter(s.TopicFilter, nameof(subscriptions));
        }
        MqttConnection? live;
        Task<IReadOnlyDictionary<string, SubscribeReasonCode>> next;
        lock (_gate)
        {
            foreach (var s in subscriptions)
            {
                _subscriptions[s.TopicFilter] = s;
            }
            live = _live;
            if (live is null)
            {
                foreach (var s in subscriptions)
                {
                    _unconfirmed.Add(s.TopicFilter);
                }
            }
            next = _nextResubscribe.Task;
        }
        if (live is not null)
        {
            try
            {
                return await live.SubscribeAsync(subscriptions, cancellationToken);
            }
            catch (MqttNotConnectedException)
            {
                lock (_gate)
                {
                    foreach (var s in subscriptions)
                    {
                        _unconfirmed.Add(s.TopicFilter);
                    }
                    next = _nextResubscribe.Task;
                }
            }
        }
        // Not connected: the subscription is made with the others right after the next CONNACK.
        var codes = await next.WaitAsync(cancellationToken);
        return new SubscribeResult(subscriptions.Select(s => codes.TryGetValue(s.TopicFilter, out var c) ? c : SubscribeReasonCode.UnspecifiedError).ToList());
    }

    /// <inheritdoc />
    public async Task<UnsubscribeResult> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        MqttConnection? live;
        lock (_gate)
        {
            foreach (var f in topicFilters)
            {
                _subscriptions.Remove(f);
                _unconfirmed.Remove(f);
            }
            live = _live;
        }
        if (live is not null)
        {
            try
            {
                return await live.UnsubscribeAsync(topicFilters, cancellationToken);
            }
            catch (MqttNotConnectedException)
            {
                // Forgotten locally; a new session will not have it, a resumed one is told at the next opportunity.
            }
        }
        return new UnsubscribeResult(topicFilters.Select(_ => UnsubscribeReasonCode.Success).ToList());
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            MqttDisconnectInfo? lastDisconnect = null;
            Exception? lastError = null;
            MqttConnection? connection = null;
            SetState(new MqttConnectionStateChangedEventArgs(MqttConnectionState.Connecting));
            try
            {
                var options = await _optionsFactory(stop);
                connection = new MqttConnection(options, _logger, _time, _session);
                connection.MessageReceived = OnMessageAsync;
                var result = await connection.ConnectAsync(stop);
                if (!result.IsSuccess)
                {
                    throw new MqttConnectException($"The broker refused the connection: {result.ReasonCode}{(result.ReasonString is null ? "" : " (" + result.ReasonString + ")")}.");
                }
                await OnConnectedAsync(connection, result, stop);
                lastDisconnect = await connection.Completion.WaitAsync(stop);
                lock (_gate)
                {
                    _live = null;
                }
                SetState(new MqttConnectionStateChangedEventArgs(MqttConnectionState.Disconnected, disconnect: lastDisconnect));
                attempt = lastDisconnect.ConnectedFor >= _reconnect.StableConnectionTime ? 0 : attempt;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                lastError = ex;
                lock (_gate)
                {
                    _live = null;
                }
                _logger.LogWarning("MQTT connection attempt failed: {Error}", ex.Message);
                SetState(new MqttConnectionStateChangedEventArgs(MqttConnectionState.Disconnected, error: ex));
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
            if (stop.IsCancellationRequested)
            {
                break;
            }
            attempt++;
            var delay = NextDelay(attempt, lastDisconnect, lastError);
            _logger.LogInformation("MQTT reconnecting in {Delay} (attempt {Attempt})", delay, attempt);
            try
            {
                await Task.Delay(delay, _time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        lock (_gate)
        {
            _live = null;
        }
    }

    private async Task OnConnectedAsync(MqttConnection connection, ConnectResult result, CancellationToken stop)
    {
        List<MqttSubscription> restore;
        TaskCompletionSource<IReadOnlyDictionary<string, SubscribeReasonCode>> signal;
        lock (_gate)
        {
            restore = result.SessionPresent
                ? [.. _subscriptions.Values.Where(s => _unconfirmed.Contains(s.TopicFilter))]
                : [.. _subscriptions.Values];
            _unconfirmed.Clear();
            signal = _nextResubscribe;
            _nextResubscribe = NewResubscribeSignal();
            _live = connection;
            _draining = true;
        }
        if (_everConnected)
        {
            Interlocked.Increment(ref _reconnects);
        }
        _everConnected = true;
        var codes = new Dictionary<string, SubscribeReasonCode>(StringComparer.Ordinal);
        if (restore.Count > 0)
        {
            try
            {
                var subscribed = await connection.SubscribeAsync(restore, stop);
                for (var i = 0; i < restore.Count; i++)
                {
                    codes[restore[i].TopicFilter] = subscribed.ReasonCodes[i];
                    if ((byte)subscribed.ReasonCodes[i] >= 0x80)
                    {
                        _logger.LogWarning("MQTT broker refused the subscription to '{Filter}': {Reason}", restore[i].TopicFilter, subscribed.ReasonCodes[i]);
                    }
                }
            }
            catch (MqttNotConnectedException)
            {
                lock (_gate)
                {
                    foreach (var s in restore)
                    {
                        _unconfirmed.Add(s.TopicFilter);
                    }
                }
                signal.TrySetResult(codes);
                return;
            }
        }
        signal.TrySetResult(codes);
        SetState(new MqttConnectionStateChangedEventArgs(MqttConnectionState.Connected, connectResult: result));
        await DrainQueueAsync(connection, stop);
    }

    /// <summary>Hands queued publishes to the new connection in order; stops (keeping the rest) if it drops.</summary>
    private async Task DrainQueueAsync(MqttConnection connection, CancellationToken stop)
    {
        var sent = 0;
        while (true)
        {
            Client.OutgoingPublish op;
            lock (_gate)
            {
                if (_queue.First is not { } first)
                {
                    _draining = false;
                    break;
                }
                op = first.Value;
                _queue.RemoveFirst();
            }
            bool accepted;
            try
            {
                accepted = await connection.SendAsync(op, stop);
            }
            catch (OperationCanceledException)
            {
                accepted = false;
            }
            if (!accepted)
            {
                lock (_gate)
                {
                    _queue.AddFirst(op);
                    _draining = false;
                }
                return;
            }
            Interlocked.Increment(ref _published);
            sent++;
        }
        if (sent > 0)
        {
            _logger.LogInformation("MQTT sent {Count} messages queued while disconnected", sent);
        }
    }

    private TimeSpan NextDelay(int attempt, MqttDisconnectInfo? lastDisconnect, Exception? lastError)
    {
        var delay = _reconnect.BaseDelay(attempt);
        if (_reconnect.Jitter > 0)
        {
            delay *= 1.0 + _reconnect.Jitter * (2.0 * Random.Shared.NextDouble() - 1.0);
        }
        if (_reconnect.DelayOverride is { } adjust)
        {
            try
            {
                delay = adjust(new MqttReconnectAttempt(attempt, delay, lastDisconnect, lastError));
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "The reconnect DelayOverride threw; using the computed delay");
            }
        }
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private async ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _received);
        if (MessageReceived is { } handler)
        {
            await handler(message, cancellationToken);
        }
    }

    private void SetState(MqttConnectionStateChangedEventArgs change)
    {
        lock (_gate)
        {
            if (_state == MqttConnectionState.Stopped)
            {
                return;
            }
            _state = change.State;
        }
        try
        {
            StateChanged?.Invoke(this, change);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A StateChanged handler threw");
        }
    }
}
