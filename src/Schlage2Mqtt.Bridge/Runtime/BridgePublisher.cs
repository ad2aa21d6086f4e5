using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// Publishes without waiting for the broker's acknowledgement: callers run under the runtime's gate and must not
/// stall while the broker is away (the client queues QoS 1 messages and every state is re-published on reconnect).
/// Publishes are handed to the client in call order, which keeps a lock's LOCKING before its confirmed state.
/// Failures are logged and counted, never thrown.
/// </summary>
internal sealed class BridgePublisher(IMqttClient client, BridgeCounters counters, TimeProvider time, ILogger logger)
{
    // Topics already warned about: bounded, since response topics are chosen by whoever sends a request.
    private const int MaxWarnedTopics = 256;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    public IMqttClient Client => client;

    public void Publish(string topic, string payload, bool retain, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce) =>
        Send(new MqttMessage(topic, Encoding.UTF8.GetBytes(payload), qos, retain));

    public void PublishJson(string topic, JsonNode payload, bool retain, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce) =>
        Send(new MqttMessage(topic, Encoding.UTF8.GetBytes(payload.ToJsonString()), qos, retain) { ContentType = "application/json" });

    public void PublishJson<T>(string topic, T payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> contract, bool retain) =>
        Send(new MqttMessage(topic, JsonSerializer.SerializeToUtf8Bytes(payload, contract), MqttQualityOfService.AtLeastOnce, retain) { ContentType = "application/json" });

    public void PublishState(string topic, LockStatePayload state) =>
        Send(new MqttMessage(topic, LockStateJson.ToUtf8(state), MqttQualityOfService.AtLeastOnce, Retain: true)
        {
            ContentType = "application/json",
        });

    public void Send(MqttMessage message) => Send(message, null);

    /// <summary>
    /// Publishes; when the broker's limits refuse it as too large, <paramref name="fallback"/> (if given) supplies a
    /// smaller message to send instead, e.g. an error answer in place of a request's oversize answer.
    /// </summary>
    public void Send(MqttMessage message, Func<MqttPacketTooLargeException, MqttMessage?>? fallback)
    {
        ValueTask<PublishResult> pending;
        try
        {
            pending = client.PublishAsync(message);
        }
        catch (Exception ex) when (ex is MqttException or InvalidOperationException or ArgumentException)
        {
            Failed(message.Topic, ex, fallback);
            return;
        }
        _ = Observe(pending, message.Topic, fallback);
    }

    /// <summary>
    /// Publishes and waits for the broker, at most <paramref name="limit"/> (used for the last <c>offline</c> before a
    /// clean stop). The limit bounds the wait itself: a QoS 1 publish the client has taken stays in its hands until
    /// acknowledged, so a broker that dies right then would otherwise hold the stop forever.
    /// </summary>
    public async Task<bool> PublishAndWaitAsync(MqttMessage message, TimeSpan limit)
    {
        try
        {
            using var cts = new CancellationTokenSource(limit, time);
            await client.PublishAsync(message, cts.Token).AsTask().WaitAsync(cts.Token);
            return true;
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or InvalidOperationException)
        {
            Failed(message.Topic, ex);
            return false;
        }
    }

    private async Task Observe(ValueTask<PublishResult> pending, string topic, Func<MqttPacketTooLargeException, MqttMessage?>? fallback)
    {
        try
        {
            var result = await pending;
            if (!result.IsSuccess)
            {
                counters.PublishFailure();
                logger.LogWarning("The broker refused the publish to {Topic}: {Reason}", topic, result);
            }
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or InvalidOperationException)
        {
            Failed(topic, ex, fallback);
        }
    }

    private void Failed(string topic, Exception ex, Func<MqttPacketTooLargeException, MqttMessage?>? fallback = null)
    {
        if (ex is MqttPacketTooLargeException or MqttPublishRefusedException)
        {
            // Refused by the broker's announced limits: never sent, never retried. Loud, once per topic.
            counters.PublishFailure();
            bool first;
            lock (_warned)
            {
                first = _warned.Count < MaxWarnedTopics && _warned.Add(topic);
            }
            if (first)
            {
                logger.LogWarning("The broker's limits refuse the publish to {Topic}: {Reason} It is not sent (counted as mqtt.refused in bridge/health); raise the broker's limit (mosquitto: max_packet_size)", topic, ex.Message);
            }
            if (ex is MqttPacketTooLargeException tooLarge && fallback?.Invoke(tooLarge) is { } smaller)
            {
                Send(smaller, null);
            }
            return;
        }
        counters.PublishFailure();
        // Dropped while the broker is away is expected: every state is re-published on reconnect.
        logger.LogDebug("Publish to {Topic} did not complete: {Reason}", topic, ex.Message);
    }
}
