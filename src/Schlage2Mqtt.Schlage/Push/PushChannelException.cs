namespace Schlage2Mqtt.Schlage.Push;

/// <summary>
/// Why a push connection attempt failed, in words safe to log: never a token, subscriber id or presigned URL. The
/// MQTT client logs the message of a failed attempt.
/// </summary>
internal sealed class PushChannelException : Exception
{
    public PushChannelException(string message)
        : base(message)
    {
    }

    public PushChannelException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public PushChannelException()
    {
    }
}
