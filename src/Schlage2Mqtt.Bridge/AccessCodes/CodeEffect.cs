namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>What the reconciler must do next for an operation: the output of <see cref="AccessCodeRules.Next"/>.</summary>
internal abstract record CodeEffect
{
    private CodeEffect()
    {
    }

    /// <summary>Nothing: the observation changes nothing.</summary>
    public sealed record None : CodeEffect;

    /// <summary>Send the operation's write now (it is stored as sending first).</summary>
    public sealed record Write : CodeEffect;

    /// <summary>Read the lock's code list and report it as <see cref="CodeObservation.ListedAfterRefusal"/>.</summary>
    public sealed record ReadBack : CodeEffect;

    /// <summary>Nothing to do before <paramref name="At"/> (a confirmation read, or a retry after throttling).</summary>
    public sealed record WaitUntil(DateTimeOffset At) : CodeEffect;

    /// <summary>A read proved the write did not take: it is queued to be sent again at <paramref name="At"/>.</summary>
    public sealed record Resend(DateTimeOffset At) : CodeEffect;

    /// <summary>Settled as asked (<c>set</c> or <c>removed</c>).</summary>
    public sealed record Settle(CodeStatus Status) : CodeEffect;

    /// <summary>Settled <c>set</c> by taking the listed code <paramref name="CodeId"/> as the one this add made.</summary>
    public sealed record Adopt(string CodeId) : CodeEffect;

    /// <summary>Settled <paramref name="Status"/> (failed or unknown) with an error code, a message and the code's hint.</summary>
    public sealed record Fail(CodeStatus Status, string Code, string Message, string Hint) : CodeEffect
    {
        /// <summary>True when the cloud shows the change although the lock answered Nack (kept <c>no_ack</c>).</summary>
        public bool CloudListsIt { get; init; }
    }
}

/// <summary>The operation as it must be stored next, and what to do about it.</summary>
/// <param name="Operation">The new state of the operation (the same instance when nothing changed).</param>
/// <param name="Effect">What the reconciler does next.</param>
internal sealed record CodeTransition(CodeOperation Operation, CodeEffect Effect);

/// <summary>The options the rules depend on, taken from <see cref="BridgeOptions"/>.</summary>
/// <param name="FirstCheck">Delay of the first confirmation read; later ones back off from it.</param>
/// <param name="ConfirmTimeout">How long a write may stay unconfirmed, or a lock unknown, before giving up.</param>
/// <param name="MaxAttempts">How many times one write is sent at most.</param>
internal sealed record AccessCodeRuleOptions(TimeSpan FirstCheck, TimeSpan ConfirmTimeout, int MaxAttempts)
{
    /// <summary>The rule options of <paramref name="options"/>.</summary>
    public static AccessCodeRuleOptions From(BridgeOptions options) =>
        new(options.AccessCodeFirstCheck, options.AccessCodeConfirmTimeout, options.AccessCodeMaxAttempts);
}
