using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>What the reconciler saw about one operation: the input of <see cref="AccessCodeRules.Next"/>.</summary>
internal abstract record CodeObservation
{
    private CodeObservation()
    {
    }

    /// <summary>
    /// A queued operation's turn to be written. <paramref name="CreatedCodeId"/> is the id of the code it changes as
    /// found now, for an update or delete queued behind the add that creates its code (null: never created).
    /// </summary>
    public sealed record DueToSend(string? CreatedCodeId) : CodeObservation;

    /// <summary>The cloud answered the write with success (<paramref name="NewCodeId"/>: the id an add was given).</summary>
    public sealed record WriteAccepted(string? NewCodeId) : CodeObservation;

    /// <summary>The write may or may not have arrived (Nack, timeout, 5xx after sending).</summary>
    public sealed record WriteOutcomeUnknown(CloudFailure Failure) : CodeObservation;

    /// <summary>The cloud refused the write, or it could not be sent at all.</summary>
    public sealed record WriteRefused(CloudFailure Failure) : CodeObservation;

    /// <summary>The list read after an add was refused as "already in use" (null codes: the read failed too).</summary>
    public sealed record ListedAfterRefusal(CloudFailure Refusal, IReadOnlyList<CloudAccessCode>? Codes) : CodeObservation;

    /// <summary>A confirmation read of the lock's code list.</summary>
    public sealed record Listed(IReadOnlyList<CloudAccessCode> Codes) : CodeObservation;

    /// <summary>A confirmation read that failed.</summary>
    public sealed record ListUnavailable(CloudFailure? Failure) : CodeObservation;

    /// <summary>Found mid-send at start: a crash (or stop) came between sending and hearing back.</summary>
    public sealed record Interrupted : CodeObservation;

    /// <summary>The lock's own activity log mentions the code: the lock has it.</summary>
    public sealed record LockAcknowledged : CodeObservation;

    /// <summary>
    /// The operation's lock is on no account. <paramref name="OldestPendingSince"/> is when the lock's oldest open
    /// operation was accepted; <paramref name="AnyLockKnown"/> says whether the accounts have reported their locks yet.
    /// </summary>
    public sealed record LockMissing(DateTimeOffset OldestPendingSince, bool AnyLockKnown) : CodeObservation;
}
