namespace Schlage2Mqtt.Cloud;

/// <summary>Typed reasons a cloud call did not succeed.</summary>
public enum CloudFailureKind
{
    /// <summary>401/403 even after renewing the token once.</summary>
    Unauthorized,

    /// <summary>No token can be obtained without the user (run <c>schlage2mqtt login</c>).</summary>
    ReauthRequired,

    /// <summary>The lock is offline: 409 to a write on the device (lock/unlock, settings, access codes) or 503 to lock/unlock.</summary>
    LockOffline,

    /// <summary>404: no such device, code or notification.</summary>
    NotFound,

    /// <summary>429 (with the cloud's Retry-After) or the client-side call budget is exhausted.</summary>
    Throttled,

    /// <summary>5xx on a read, after retries.</summary>
    ServerError,

    /// <summary>A write timed out or got a 5xx: it may or may not have been applied; reconcile by reading.</summary>
    OutcomeUnknown,

    /// <summary>The cloud refused the request (400/409/422): the cloud's message says why.</summary>
    Rejected,

    /// <summary>The request was not valid for this lock (checked before calling, e.g. an auto-lock value the model lacks).</summary>
    Invalid,

    /// <summary>The cloud is unreachable: network error, read timeout after retries, or the circuit breaker is open.</summary>
    Unavailable,

    /// <summary>A success answer whose body could not be read.</summary>
    BadResponse,
}
