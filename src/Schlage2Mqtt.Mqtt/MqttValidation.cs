namespace Schlage2Mqtt.Mqtt;

/// <summary>
/// Checks what the application hands the client before anything is queued or sent: input the broker would refuse
/// (or the encoder could not write) is rejected at the call, never discovered on every reconnect.
/// </summary>
internal static class MqttValidation
{
    /// <summary>Why <paramref name="message"/> cannot be published (or sent as a will), or null.</summary>
    public static string? CheckMessage(MqttMessage message)
    {
        if (MqttTopic.CheckTopicName(message.Topic) is { } topicError)
        {
            return topicError;
        }
        if (!Enum.IsDefined(message.QualityOfService))
        {
            return $"QoS {(int)message.QualityOfService} is not 0, 1 or 2";
        }
        if (!Enum.IsDefined(message.PayloadFormat))
        {
            return $"payload format {(int)message.PayloadFormat} is not 0 or 1";
        }
        if (message.ResponseTopic is { } responseTopic && MqttTopic.CheckTopicName(responseTopic) is { } responseError)
        {
            return $"Response Topic: {responseError}";
        }
        if (message.ContentType is { } contentType && MqttTopic.CheckUtf8(contentType, "Content Type") is { } contentError)
        {
            return contentError;
        }
        if (message.CorrelationData.Length > ushort.MaxValue)
        {
            return "Correlation Data is longer than 65535 bytes";
        }
        var properties = message.UserProperties;
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            if ((MqttTopic.CheckUtf8(property.Name ?? "", "User Property name") ?? MqttTopic.CheckUtf8(property.Value ?? "", $"User Property '{property.Name}' value")) is { } userError)
            {
                return userError;
            }
        }
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when <paramref name="message"/> cannot be published.</summary>
    public static void ValidateMessage(MqttMessage message, string paramName)
    {
        ArgumentNullException.ThrowIfNull(message, paramName);
        if (CheckMessage(message) is { } error)
        {
            throw new ArgumentException($"Cannot publish to '{message.Topic}': {error}.", paramName);
        }
    }

    /// <summary>
    /// The message as a client may send it. Subscription Identifiers are the broker's annotation of a delivery and a
    /// client must not send them (MQTT 5 §3.3.4), so re-publishing a received message drops them.
    /// </summary>
    public static MqttMessage ForSending(MqttMessage message) =>
        message.SubscriptionIdentifiers.Count == 0 ? message : message with { SubscriptionIdentifiers = [] };

    /// <summary>Throws <see cref="ArgumentException"/> naming the subscription when one cannot be sent.</summary>
    public static void ValidateSubscriptions(IReadOnlyList<MqttSubscription> subscriptions, string paramName)
    {
        ArgumentNullException.ThrowIfNull(subscriptions, paramName);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("At least one subscription is needed.", paramName);
        }
        foreach (var s in subscriptions)
        {
            ArgumentNullException.ThrowIfNull(s, paramName);
            MqttTopic.ValidateTopicFilter(s.TopicFilter, paramName);
            if (!Enum.IsDefined(s.QualityOfService) || !Enum.IsDefined(s.RetainHandling))
            {
                throw new ArgumentException($"Subscription '{s.TopicFilter}' has an invalid QoS or retain handling.", paramName);
            }
            if (s.NoLocal && s.TopicFilter.StartsWith("$share/", StringComparison.Ordinal))
            {
                // A protocol error (MQTT 5 §3.8.3.1): the broker would drop the connection on every resubscription.
                throw new ArgumentException($"Shared subscription '{s.TopicFilter}' cannot use NoLocal.", paramName);
            }
        }
    }
}
