namespace Schlage2Mqtt.Schlage.Subscribers;

/// <summary>The server refused a subscriber: a 4xx on the websocket upgrade, or a Socket.IO <c>connect_error</c>.</summary>
internal sealed class SubscriberRejectedException : Exception
{
    public SubscriberRejectedException(int? status, string message)
        : base(message)
    {
        Status = status;
    }

    public SubscriberRejectedException()
    {
    }

    public SubscriberRejectedException(string message)
        : base(message)
    {
    }

    public SubscriberRejectedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The HTTP status of a refused upgrade; null for a <c>connect_error</c>.</summary>
    public int? Status { get; }
}
