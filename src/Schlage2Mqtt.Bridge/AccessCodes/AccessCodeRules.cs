using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Every decision of the access-code lifecycle, as a pure function: what an observation means for an operation. The
/// reconciler only performs the effects; whether to retry, adopt, wait or fail (and with which code) is decided here
/// and nowhere else, so each rule can be tested without a cloud, a clock or a store.
/// </summary>
/// <remarks>
/// The invariants (checked by property tests): a write is sent at most <see cref="AccessCodeRuleOptions.MaxAttempts"/>
/// times; a settled operation changes again only from <c>no_ack</c> to <c>set</c> on the lock's own proof; every
/// failure has a code and that code's hint; a settled operation holds no PIN and no message repeats it; no wait ends
/// before now.
/// </remarks>
internal static class AccessCodeRules
{
    /// <summary>Confirmation reads back off from the first delay up to this gap.</summary>
    public static readonly TimeSpan MaxCheckGap = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for a refusal that says nothing final (throttling) when the cloud gives no Retry-After.</summary>
    public static readonly TimeSpan RetryLater = TimeSpan.FromSeconds(10);

    /// <summary>How often a lock that is not (yet) on any account is looked for again.</summary>
    public static readonly TimeSpan LookForLockAgain = TimeSpan.FromSeconds(5);

    private const string Interruption = "interrupted by a restart";

    /// <summary>The next state of <paramref name="operation"/> after <paramref name="observation"/>, and what to do.</summary>
    public static CodeTransition Next(CodeOperation operation, CodeObservation observation, AccessCodeRuleOptions options, DateTimeOffset now)
    {
        if (operation.IsSettled)
        {
            return observation is CodeObservation.LockAcknowledged && AwaitsLockProof(operation)
                ? Settled(operation, CodeStatus.Set, null, null, now, new CodeEffect.Settle(CodeStatus.Set))
                : Unchanged(operation);
        }
        return observation switch
        {
            CodeObservation.DueToSend due => Send(operation, due, now),
            CodeObservation.WriteAccepted accepted => Sent(operation, accepted.NewCodeId, null, options, now),
            CodeObservation.WriteOutcomeUnknown unknown => Sent(operation, null, unknown.Failure, options, now),
            CodeObservation.WriteRefused refused => Refused(operation, refused.Failure, options, now),
            CodeObservation.ListedAfterRefusal listed => AfterRefusal(operation, listed, now),
            CodeObservation.Listed listed => Confirm(operation, listed.Codes, options, now),
            CodeObservation.ListUnavailable when operation.Phase == CodeOperationPhase.Sent =>
                // Cannot read: look again later (the attempts and the age are judged at the next read that works).
                Wait(operation with { NextCheckAt = now + NextGap(operation, options) }),
            CodeObservation.Interrupted when operation.Phase == CodeOperationPhase.Sending =>
                // Nobody knows whether it arrived, so it is confirmed by reading, not re-sent.
                Wait(operation with { Phase = CodeOperationPhase.Sent, NextCheckAt = now, LastWriteFailure = operation.LastWriteFailure ?? Interruption }),
            CodeObservation.LockMissing missing => LockMissing(operation, missing, options, now),
            _ => Unchanged(operation),
        };
    }

    /// <summary>
    /// True for a code kept <c>no_ack</c> because the cloud listed it after the lock answered Nack: only the lock's own
    /// log can turn it <c>set</c> (a delete is never proven by the log mentioning the code).
    /// </summary>
    public static bool AwaitsLockProof(CodeOperation operation) =>
        operation.IsSettled && operation.Kind != CodeOperationKind.Delete && operation.Status == CodeStatus.Failed
        && operation.ErrorCode == AccessCodeErrorCodes.NoAck;

    /// <summary>The delay before the next confirmation read: doubling from the first, capped at <see cref="MaxCheckGap"/>.</summary>
    public static TimeSpan NextGap(CodeOperation operation, AccessCodeRuleOptions options)
    {
        var gap = TimeSpan.FromTicks(options.FirstCheck.Ticks * (1L << Math.Min(operation.Checks, 10)));
        return gap < MaxCheckGap ? gap : MaxCheckGap;
    }

    private static CodeTransition Send(CodeOperation operation, CodeObservation.DueToSend due, DateTimeOffset now)
    {
        if (operation.Phase != CodeOperationPhase.Queued)
        {
            return Unchanged(operation);
        }
        if (operation.Kind != CodeOperationKind.Add && operation.CodeId is null)
        {
            // Queued behind the add that creates the code: its id is known now, or the add failed.
            if (due.CreatedCodeId is null)
            {
                return Failed(operation, CodeStatus.Failed, AccessCodeErrorCodes.UnknownCode, $"The code '{operation.Name}' was never created, so it cannot be changed.", now);
            }
            operation = operation with { CodeId = due.CreatedCodeId };
        }
        return new(operation with { Phase = CodeOperationPhase.Sending, Attempts = operation.Attempts + 1, SentAt = now, Checks = 0 }, new CodeEffect.Write());
    }

    private static CodeTransition Sent(CodeOperation operation, string? newCodeId, CloudFailure? failure, AccessCodeRuleOptions options, DateTimeOffset now) =>
        operation.Phase != CodeOperationPhase.Sending
            ? Unchanged(operation)
            : Wait(operation with
            {
                Phase = CodeOperationPhase.Sent,
                CodeId = newCodeId ?? operation.CodeId,
                NextCheckAt = now + options.FirstCheck,
                LastWriteFailure = failure?.CloudMessage ?? failure?.Message,
                LastWriteStatus = failure?.HttpStatus,
            });

    private static CodeTransition Refused(CodeOperation operation, CloudFailure failure, AccessCodeRuleOptions options, DateTimeOffset now)
    {
        if (operation.Phase != CodeOperationPhase.Sending)
        {
            return Unchanged(operation);
        }
        var code = AccessCodeErrorCodes.Classify(failure);
        if (code is null or AccessCodeErrorCodes.Unauthorized && now - operation.CreatedAt < options.ConfirmTimeout)
        {
            // Throttled, unreachable or signed out: nothing was changed; try again later, without using up an attempt.
            var wait = failure.RetryAfter is { } after && after > TimeSpan.Zero ? after : failure.RetryAfter is null ? RetryLater : TimeSpan.Zero;
            return Wait(operation with
            {
                Phase = CodeOperationPhase.Queued,
                Attempts = operation.Attempts - 1,
                NextCheckAt = now + wait,
                LastWriteFailure = failure.CloudMessage ?? failure.Message,
            });
        }
        if (code == AccessCodeErrorCodes.SplitBrain && operation.Kind == CodeOperationKind.Add)
        {
            // "Already in use": ours from an earlier attempt, a plain duplicate, or the lock and cloud disagreeing. Look.
            return new(operation, new CodeEffect.ReadBack());
        }
        if (code == AccessCodeErrorCodes.UnknownCode && operation.Kind == CodeOperationKind.Delete)
        {
            // Already gone: what was asked for is true.
            return Settled(operation, CodeStatus.Removed, null, null, now, new CodeEffect.Settle(CodeStatus.Removed));
        }
        code ??= AccessCodeErrorCodes.CloudError;
        return Failed(operation, CodeStatus.Failed, code, Describe(code, failure, operation.Pin), now);
    }

    private static CodeTransition AfterRefusal(CodeOperation operation, CodeObservation.ListedAfterRefusal listed, DateTimeOffset now)
    {
        if (operation.Phase != CodeOperationPhase.Sending)
        {
            return Unchanged(operation);
        }
        var sameName = listed.Codes?.FirstOrDefault(c => string.Equals(c.Name, operation.Name, StringComparison.OrdinalIgnoreCase));
        if (sameName is not null && CodeMatching.Matches(sameName, operation))
        {
            return Settled(operation with { CodeId = sameName.Id }, CodeStatus.Set, null, null, now, new CodeEffect.Adopt(sameName.Id));
        }
        var code = sameName is not null ? AccessCodeErrorCodes.DuplicateName
            : listed.Codes?.Any(c => c.Code == operation.Pin && c.Code is not null) == true ? AccessCodeErrorCodes.DuplicateCode
            : AccessCodeErrorCodes.SplitBrain;
        return Failed(operation, CodeStatus.Failed, code, Describe(code, listed.Refusal, operation.Pin), now);
    }

    private static CodeTransition Confirm(CodeOperation operation, IReadOnlyList<CloudAccessCode> codes, AccessCodeRuleOptions options, DateTimeOffset now)
    {
        if (operation.Phase != CodeOperationPhase.Sent)
        {
            return Unchanged(operation);
        }
        var found = operation.Kind switch
        {
            CodeOperationKind.Add => codes.FirstOrDefault(c => (operation.CodeId is not null && c.Id == operation.CodeId) || string.Equals(c.Name, operation.Name, StringComparison.OrdinalIgnoreCase)),
            _ => codes.FirstOrDefault(c => c.Id == operation.CodeId),
        };
        var done = operation.Kind == CodeOperationKind.Delete ? found is null : found is not null && CodeMatching.Matches(found, operation);
        var lastWrite = operation.LastWriteFailure is null ? null : new CloudFailure(CloudFailureKind.OutcomeUnknown, operation.LastWriteFailure, operation.LastWriteStatus);
        if (done && lastWrite is not null && AccessCodeErrorCodes.Unconfirmed(lastWrite) == AccessCodeErrorCodes.NoAck)
        {
            // The cloud recorded the change although the lock answered Nack (seed 001): its list is the cloud's, not the
            // lock's. Reporting it set would leave a guest at a keypad that rejects the PIN. It stays failed until the
            // lock's own log proves it has the code (LockAcknowledged).
            var message = operation.Kind == CodeOperationKind.Delete
                ? "The Schlage cloud no longer lists the code, but the lock did not acknowledge the delete: the PIN may still open the door."
                : "The Schlage cloud lists the code, but the lock did not acknowledge it: the keypad may reject the PIN until the lock shows it has it.";
            var kept = Failed(operation with { CodeId = found?.Id ?? operation.CodeId }, CodeStatus.Failed, AccessCodeErrorCodes.NoAck, message, now);
            return kept with { Effect = (CodeEffect.Fail)kept.Effect with { CloudListsIt = true } };
        }
        if (done)
        {
            var status = operation.Kind == CodeOperationKind.Delete ? CodeStatus.Removed : CodeStatus.Set;
            return Settled(operation with { CodeId = found?.Id ?? operation.CodeId }, status, null, null, now, new CodeEffect.Settle(status));
        }
        if (operation.Kind == CodeOperationKind.Add && found is not null)
        {
            // Same name, different code: someone else's (or a different schedule in the app) - not ours to adopt.
            return Failed(operation, CodeStatus.Failed, AccessCodeErrorCodes.DuplicateName, $"The lock has another code named '{found.Name}'.", now);
        }

        var checks = operation.Checks + 1;
        var aged = now - (operation.SentAt ?? operation.CreatedAt) >= options.ConfirmTimeout;
        // The cloud said it failed (Nack, timeout, 5xx) and a second read still does not show it: not applied.
        // It said yes but the list never shows it within the confirmation window: not applied either.
        if ((lastWrite is not null && checks >= 2) || aged)
        {
            if (operation.Attempts < options.MaxAttempts)
            {
                return new(operation with { Phase = CodeOperationPhase.Queued, NextCheckAt = now, Checks = checks }, new CodeEffect.Resend(now));
            }
            if (lastWrite is null)
            {
                // Accepted every time yet never visible: the cloud cannot confirm either way.
                return Failed(operation, CodeStatus.Unknown, AccessCodeErrorCodes.Timeout, $"The Schlage cloud accepted the change {operation.Attempts} times but never showed it.", now);
            }
            return Failed(operation, CodeStatus.Failed, AccessCodeErrorCodes.Unconfirmed(lastWrite),
                $"The lock did not take the change after {operation.Attempts} attempts ({Redact(operation.LastWriteFailure!, operation.Pin)}).", now);
        }
        var counted = operation with { Checks = checks };
        return Wait(counted with { NextCheckAt = now + NextGap(counted, options) });
    }

    private static CodeTransition LockMissing(CodeOperation operation, CodeObservation.LockMissing missing, AccessCodeRuleOptions options, DateTimeOffset now) =>
        // After a restart the lock is known once the first poll is in; a lock gone for good fails its operations.
        missing.AnyLockKnown && now - missing.OldestPendingSince > options.ConfirmTimeout
            ? Failed(operation, CodeStatus.Failed, AccessCodeErrorCodes.UnknownCode, "The lock is no longer on any account.", now)
            : new(operation, new CodeEffect.WaitUntil(now + LookForLockAgain));

    private static CodeTransition Unchanged(CodeOperation operation) => new(operation, new CodeEffect.None());

    private static CodeTransition Wait(CodeOperation operation) => new(operation, new CodeEffect.WaitUntil(operation.NextCheckAt!.Value));

    private static CodeTransition Failed(CodeOperation operation, CodeStatus status, string code, string message, DateTimeOffset now) =>
        Settled(operation, status, code, message, now, new CodeEffect.Fail(status, code, message, AccessCodeErrorCodes.Hint(code)));

    private static CodeTransition Settled(CodeOperation operation, CodeStatus status, string? code, string? message, DateTimeOffset now, CodeEffect effect) =>
        new(operation with
        {
            Phase = CodeOperationPhase.Settled,
            Status = status,
            // The PIN was needed only to send the write; a settled operation keeps none.
            Pin = null,
            SettledAt = now,
            NextCheckAt = null,
            ErrorCode = code,
            ErrorMessage = message,
        }, effect);

    private static string Describe(string code, CloudFailure failure, string? pin) =>
        $"{Redact(failure.CloudMessage ?? failure.Message, pin)}{(code == AccessCodeErrorCodes.SplitBrain ? " (the lock and the cloud disagree)" : "")}";

    // The cloud's words end up on bridge/log and in retained payloads: should they ever repeat the PIN, it is masked.
    private static string Redact(string text, string? pin) =>
        pin is { Length: > 0 } ? text.Replace(pin, CodeView.Mask, StringComparison.Ordinal) : text;
}
