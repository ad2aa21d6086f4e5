namespace Schlage2Mqtt.Cloud;

/// <summary>Why a cloud call failed, with what the cloud said. Never carries a secret.</summary>
/// <param name="Kind">Typed reason.</param>
/// <param name="Message">Human explanation, with the fix where there is one.</param>
/// <param name="HttpStatus">HTTP status of the cloud's answer, when there was one.</param>
/// <param name="CloudMessage">The <c>message</c> of the cloud's error body, when it sent one.</param>
/// <param name="RetryAfter">When the caller may try again (429 Retry-After, circuit open, budget), if known.</param>
public sealed record CloudFailure(
    CloudFailureKind Kind,
    string Message,
    int? HttpStatus = null,
    string? CloudMessage = null,
    TimeSpan? RetryAfter = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind}{(HttpStatus is { } s ? $" (HTTP {s})" : "")}: {Message}{(CloudMessage is null ? "" : $" [cloud: {CloudMessage}]")}";
}
