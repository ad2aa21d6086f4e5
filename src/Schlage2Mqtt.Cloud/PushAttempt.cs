namespace Schlage2Mqtt.Cloud;

/// <summary>How one connection attempt of a <see cref="PushChannelBase"/> ended.</summary>
public sealed record PushAttempt
{
    private PushAttempt(bool unsupported, string detail)
    {
        IsUnsupported = unsupported;
        Detail = detail;
    }

    /// <summary>True when the cloud offers no push channel for the account: no more attempts.</summary>
    public bool IsUnsupported { get; }

    /// <summary>Why it ended, in words safe to log (never a token, subscriber id or presigned URL).</summary>
    public string Detail { get; }

    /// <summary>The attempt failed, or its connection closed; the channel tries again after a backoff.</summary>
    public static PushAttempt Ended(string why) => new(false, why);

    /// <summary>The cloud offers no push channel for the account (e.g. a 404): polling only, said once.</summary>
    public static PushAttempt Unsupported(string detail) => new(true, detail);
}
