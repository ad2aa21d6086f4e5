namespace Schlage2Mqtt.Cloud;

/// <summary>
/// Why a push connection attempt failed, in words safe to log: never a token, subscriber id or presigned URL. A
/// channel's state detail and log repeat the message as it is.
/// </summary>
public sealed class PushChannelException : Exception
{
    /// <summary>Creates the exception with a sentence safe to log.</summary>
    public PushChannelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a sentence safe to log and the underlying cause.</summary>
    public PushChannelException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a message (the analyzers want the standard constructors).</summary>
    public PushChannelException()
    {
    }
}
