namespace Schlage2Mqtt.Schlage.Tests.Fakes;

/// <summary>A scripted misbehaviour of the fake cloud for the next matching request(s).</summary>
internal sealed record Fault
{
    public int Status { get; init; }

    public string? Message { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Apply the request anyway before answering with the fault (504-but-applied).</summary>
    public bool ApplyAnyway { get; init; }

    /// <summary>Never answer; the client's timeout must cut the request.</summary>
    public bool Hang { get; init; }

    /// <summary>Throw a transport error instead of answering.</summary>
    public HttpRequestError? TransportError { get; init; }

    public static Fault Http(int status, string? message = null, TimeSpan? retryAfter = null, bool applyAnyway = false) =>
        new() { Status = status, Message = message, RetryAfter = retryAfter, ApplyAnyway = applyAnyway };

    public static Fault Hanging() => new() { Hang = true };

    public static Fault Transport(HttpRequestError error) => new() { TransportError = error };
}
