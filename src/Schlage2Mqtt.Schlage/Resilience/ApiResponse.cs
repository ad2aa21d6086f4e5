namespace Schlage2Mqtt.Schlage.Resilience;

/// <summary>An HTTP answer, already read, so retries never hold a connection open.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Body">Body text (never logged: it may hold PINs or tokens).</param>
/// <param name="RetryAfter">Parsed Retry-After, when sent, cut to the configured cap: the wait actually applied.</param>
/// <param name="Kind">The kind of call that got it.</param>
/// <param name="AskedRetryAfter">The Retry-After as the cloud sent it.</param>
internal sealed record ApiResponse(int Status, string Body, TimeSpan? RetryAfter, CallKind Kind, TimeSpan? AskedRetryAfter = null)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public override string ToString() => $"ApiResponse {{ Status = {Status} }}";
}
