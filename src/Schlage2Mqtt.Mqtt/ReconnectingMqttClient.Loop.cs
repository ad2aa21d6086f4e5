using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Mqtt;

public sealed partial class ReconnectingMqttClient
{
    /// <inheritdoc />
    public async Task<SubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        // Checked before it is remembered: a subscription the broker refuses as malformed would fail on every reconnect.
        MqttValidation.ValidateSubscriptions(subscriptions, nameof(subscriptions));
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
                var result = await live.SubscribeAsync(subscriptions, cancellationToken);
                ForgetRefused(subscriptions, result.ReasonCodes);
                return result;
            }
            catch (MqttPacketTooLargeException)
            {
                // Over the broker's Maximum Packet Size: it would fail again on every reconnect.
                Forget(subscriptions);
                throw;
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
                var options = AdjustWill(await _optionsFactory(stop));
                // A persistent session's queued messages arrive right behind CONNACK. Delivered before this client
                // counts the connection as live, a handler's answer (a bridge/log line at QoS 0) would be dropped as
                // "not connected": delivery starts once it is live.
                connection = new MqttConnection(options, _logger, _time, _session, holdDelivery: true);
                connection.MessageReceived = OnMessageAsync;
                var result = await connection.ConnectAsync(stop);
                if (!result.IsSuccess && LearnWillLimit(result.ReasonCode, options.Will))
                {
                    // Not a failure to back off from: the next CONNECT carries a will the broker accepts.
                    continue;
                }
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

    /// <summary>The options with the will lowered to what this broker accepts, as learnt from earlier refusals.</summary>
    private MqttClientOptions AdjustWill(MqttClientOptions options)
    {
        var adjustments = _willAdjustments;
        if (options.Will is not { } will || adjustments == MqttWillAdjustments.None)
        {
            return options;
        }
        var adjusted = will;
        if (adjustments.HasFlag(MqttWillAdjustments.RetainDropped) && adjusted.Retain)
        {
            adjusted = adjusted with { Retain = false };
        }
        if (adjustments.HasFlag(MqttWillAdjustments.QosLowered) && adjusted.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            adjusted = adjusted with { QualityOfService = MqttQualityOfService.AtMostOnce };
        }
        return ReferenceEquals(adjusted, will) ? options : options with { Will = adjusted };
    }

    /// <summary>
    /// A CONNECT refused because of the will (0x9A: retain not supported, 0x9B: its QoS not supported) would be
    /// refused forever; the will is lowered for every later attempt, with one warning. True when the next attempt differs.
    /// </summary>
    private bool LearnWillLimit(ConnectReasonCode reason, MqttMessage? will)
    {
        if (will is null)
        {
            return false;
        }
        var learnt = reason switch
        {
            ConnectReasonCode.RetainNotSupported when will.Retain => MqttWillAdjustments.RetainDropped,
            ConnectReasonCode.QoSNotSupported when will.QualityOfService != MqttQualityOfService.AtMostOnce => MqttWillAdjustments.QosLowered,
            _ => MqttWillAdjustments.None,
        };
        if (learnt == MqttWillAdjustments.None || _willAdjustments.HasFlag(learnt))
        {
            return false;
        }
        _willAdjustments |= learnt;
        if (learnt == MqttWillAdjustments.RetainDropped)
        {
            _logger.LogWarning("MQTT broker does not support retained messages (CONNACK 0x9A): the will on '{Topic}' is sent without retain from now on", will.Topic);
        }
        else
        {
            _logger.LogWarning("MQTT broker does not support the will's QoS (CONNACK 0x9B): the will on '{Topic}' is sent at QoS 0 from now on", will.Topic);
        }
        return true;
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
        connection.StartDelivery();
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
                await RestoreAsync(connection, restore, codes, stop);
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

    /// <summary>
    /// Subscribes again after a new session. All at once when the SUBSCRIBE fits the broker's Maximum Packet Size,
    /// else one by one; a subscription that cannot be sent at all, or that the broker refuses for good, is forgotten
    /// with an error rather than tried again on every reconnect.
    /// </summary>
    private async Task RestoreAsync(MqttConnection connection, List<MqttSubscription> restore, Dictionary<string, SubscribeReasonCode> codes, CancellationToken stop)
    {
        List<List<MqttSubscription>> batches;
        try
        {
            var all = await connection.SubscribeAsync(restore, stop);
            Record(restore, all.ReasonCodes);
            return;
        }
        catch (MqttPacketTooLargeException)
        {
            batches = [.. restore.Select(s => new List<MqttSubscription> { s })];
        }
        foreach (var batch in batches)
        {
            try
            {
                var one = await connection.SubscribeAsync(batch, stop);
                Record(batch, one.ReasonCodes);
            }
            catch (MqttPacketTooLargeException ex)
            {
                _logger.LogError("MQTT subscription to '{Filter}' dropped: {Reason}", batch[0].TopicFilter, ex.Message);
                Forget(batch);
                codes[batch[0].TopicFilter] = SubscribeReasonCode.UnspecifiedError;
            }
        }

        void Record(List<MqttSubscription> sent, IReadOnlyList<SubscribeReasonCode> reasons)
        {
            for (var i = 0; i < sent.Count; i++)
            {
                codes[sent[i].TopicFilter] = reasons[i];
                if ((byte)reasons[i] >= 0x80)
                {
                    _logger.LogWarning("MQTT broker refused the subscription to '{Filter}': {Reason}", sent[i].TopicFilter, reasons[i]);
                }
            }
            ForgetRefused(sent, reasons);
        }
    }

    /// <summary>Forgets subscriptions the broker refused for a reason that will not change on a reconnect.</summary>
    private void ForgetRefused(IReadOnlyList<MqttSubscription> sent, IReadOnlyList<SubscribeReasonCode> reasons)
    {
        var permanent = new List<MqttSubscription>();
        for (var i = 0; i < sent.Count && i < reasons.Count; i++)
        {
            if (reasons[i] is SubscribeReasonCode.TopicFilterInvalid or SubscribeReasonCode.SharedSubscriptionsNotSupported
                or SubscribeReasonCode.SubscriptionIdentifiersNotSupported or SubscribeReasonCode.WildcardSubscriptionsNotSupported)
            {
                permanent.Add(sent[i]);
            }
        }
        if (permanent.Count > 0)
        {
            Forget(permanent);
        }
    }

    private void Forget(IEnumerable<MqttSubscription> subscriptions)
    {
        lock (_gate)
        {
            foreach (var s in subscriptions)
            {
                if (_subscriptions.TryGetValue(s.TopicFilter, out var known) && ReferenceEquals(known, s))
                {
                    _subscriptions.Remove(s.TopicFilter);
                    _unconfirmed.Remove(s.TopicFilter);
                }
            }
        }
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
