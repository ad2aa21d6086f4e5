using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.AccessCodes;

/// <summary>
/// The pure access-code rules: one scenario per row of the README's access-code error table (the table is read from
/// the README, so a new row without a scenario fails), the retry/adopt/wait rules, and properties over random runs.
/// </summary>
public sealed partial class AccessCodeRulesTests
{
    private const string Pin = "4826";
    private const string AlwaysJson = "{\"type\":\"Always\"}";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly AccessCodeRuleOptions Options = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), 3);
    private static readonly CloudLock Lock = new() { DeviceId = "dev-1", AccessCodeLength = 4, MaxAccessCodes = 10, VariableLengthCodes = false };

    /// <summary>
    /// What a scenario ended in: the error, its hint, and the settled operation when the rules produced it. A refusal at
    /// admission may give a hint of its own (an invalid name names the lock's rule), so only the rules' hints are the
    /// code's standard one.
    /// </summary>
    private sealed record Produced(string Code, string Message, string Hint, CodeOperation? Settled, bool StandardHint = true);

    private static CodeOperation Op(CodeOperationKind kind = CodeOperationKind.Add, CodeOperationPhase phase = CodeOperationPhase.Queued, int attempts = 0,
        string? codeId = null, string? lastWrite = null, int checks = 0, DateTimeOffset? createdAt = null) => new()
    {
        Id = "op-1",
        Kind = kind,
        DeviceId = "dev-1",
        CodeId = codeId,
        Name = "Guest",
        Pin = kind == CodeOperationKind.Delete ? null : Pin,
        ScheduleJson = kind == CodeOperationKind.Delete ? null : AlwaysJson,
        Status = kind == CodeOperationKind.Delete ? CodeStatus.Removing : CodeStatus.Setting,
        Phase = phase,
        Attempts = attempts,
        Checks = checks,
        LastWriteFailure = lastWrite,
        CreatedAt = createdAt ?? Now - TimeSpan.FromSeconds(30),
        SentAt = phase is CodeOperationPhase.Sending or CodeOperationPhase.Sent ? Now - TimeSpan.FromSeconds(10) : null,
    };

    private static CodeOperation Sending(CodeOperationKind kind = CodeOperationKind.Add, DateTimeOffset? createdAt = null) =>
        Op(kind, CodeOperationPhase.Sending, attempts: 1, codeId: kind == CodeOperationKind.Add ? null : "code-1", createdAt: createdAt);

    private static CloudAccessCode Code(string id, string name, string? pin) => new() { Id = id, Name = name, Code = pin };

    private static CloudFailure Refusal(string cloudMessage, CloudFailureKind kind = CloudFailureKind.Rejected) => new(kind, "The cloud refused the change", 400, cloudMessage);

    private static CodeTransition Next(CodeOperation operation, CodeObservation observation) => AccessCodeRules.Next(operation, observation, Options, Now);

    private static Produced FromRules(CodeTransition transition)
    {
        var fail = Assert.IsType<CodeEffect.Fail>(transition.Effect);
        return new Produced(fail.Code, fail.Message, fail.Hint, transition.Operation);
    }

    private static Produced Refused(CodeOperation operation, CloudFailure failure) => FromRules(Next(operation, new CodeObservation.WriteRefused(failure)));

    // "Already in use" on an add is looked at first: the read decides what it was.
    private static Produced RefusedInUse(params CloudAccessCode[] listed)
    {
        var refusal = Refusal("Access code already in use");
        var look = Next(Sending(), new CodeObservation.WriteRefused(refusal));
        Assert.IsType<CodeEffect.ReadBack>(look.Effect);
        return FromRules(Next(look.Operation, new CodeObservation.ListedAfterRefusal(refusal, listed)));
    }

    private static Produced Validated(CodeChanges changes)
    {
        var error = CodeValidator.Validate(changes, true, Lock, [new CodeValidator.Existing("code-9", "Family", "1357")], null);
        Assert.NotNull(error);
        return new Produced(error.Code, error.Message, error.Hint!, null, StandardHint: false);
    }

    /// <summary>A way to produce each error of the README table, keyed by its code.</summary>
    private static readonly Dictionary<string, Func<Produced>> Scenarios = new(StringComparer.Ordinal)
    {
        [AccessCodeErrorCodes.InvalidName] = () => Validated(new CodeChanges("Tab\there", Pin, null, null, null)),
        [AccessCodeErrorCodes.DuplicateName] = () => FromRules(Next(Op(phase: CodeOperationPhase.Sent, attempts: 1),
            new CodeObservation.Listed([Code("code-7", "GUEST", "1111")]))),
        [AccessCodeErrorCodes.InvalidCode] = () => Validated(new CodeChanges("Guest", "12a4", null, null, null)),
        [AccessCodeErrorCodes.CodeLengthMismatch] = () => Refused(Sending(), Refusal("Invalid code length")),
        [AccessCodeErrorCodes.DuplicateCode] = () => RefusedInUse(Code("code-9", "Family", Pin)),
        [AccessCodeErrorCodes.CapacityReached] = () => Refused(Sending(), Refusal("Maximum number of access codes reached")),
        [AccessCodeErrorCodes.InvalidSchedule] = () => Refused(Sending(), Refusal("Invalid schedule", CloudFailureKind.Invalid)),
        [AccessCodeErrorCodes.UnknownCode] = () => Refused(Sending(CodeOperationKind.Update), Refusal("Access code not found", CloudFailureKind.NotFound)),
        [AccessCodeErrorCodes.LockOffline] = () => Refused(Sending(), new CloudFailure(CloudFailureKind.LockOffline, "The lock is offline")),
        [AccessCodeErrorCodes.NoAck] = () => FromRules(Next(Op(phase: CodeOperationPhase.Sent, attempts: 1, lastWrite: "Nack"),
            new CodeObservation.Listed([Code("code-1", "Guest", Pin)]))),
        [AccessCodeErrorCodes.Timeout] = () => FromRules(Next(Op(phase: CodeOperationPhase.Sent, attempts: 3, lastWrite: "Request timed out", checks: 1),
            new CodeObservation.Listed([]))),
        [AccessCodeErrorCodes.SplitBrain] = () => RefusedInUse(),
        [AccessCodeErrorCodes.UserNotFound] = () => Refused(Sending(), Refusal("User not found in the device")),
        [AccessCodeErrorCodes.Unauthorized] = () => Refused(Sending(createdAt: Now - TimeSpan.FromMinutes(10)),
            new CloudFailure(CloudFailureKind.Unauthorized, "Not signed in", 401)),
        [AccessCodeErrorCodes.CloudError] = () => Refused(Sending(), Refusal("Something unexpected happened")),
    };

    public static TheoryData<string> ReadmeErrorCodes()
    {
        var data = new TheoryData<string>();
        foreach (var code in ReadReadmeErrorCodes())
        {
            data.Add(code);
        }
        return data;
    }

    private static List<string> ReadReadmeErrorCodes()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !(File.Exists(Path.Combine(directory.FullName, "README.md")) && Directory.Exists(Path.Combine(directory.FullName, "src"))))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var lines = File.ReadAllLines(Path.Combine(directory.FullName, "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("Access-code errors:", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no 'Access-code errors:' table");
        return [.. lines.Skip(start + 1).SkipWhile(l => l.Length == 0).TakeWhile(l => l.StartsWith('|'))
            .Select(l => TableCode().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^\| `([a-z_]+)` \|")]
    private static partial Regex TableCode();

    [Fact]
    public void The_readme_table_is_read_and_every_row_has_a_scenario()
    {
        var codes = ReadReadmeErrorCodes();
        // The table lists 15 errors today; fewer means the parser lost it, not that the errors went away.
        Assert.True(codes.Count >= 15, $"only {codes.Count} rows read from the README table");
        Assert.Equal(codes.Order(StringComparer.Ordinal), Scenarios.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ReadmeErrorCodes))]
    public void Each_error_of_the_readme_table_is_produced_with_its_hint_and_without_the_pin(string code)
    {
        Assert.True(Scenarios.TryGetValue(code, out var scenario), $"no scenario produces '{code}'");
        var produced = scenario();

        Assert.Equal(code, produced.Code);
        Assert.False(string.IsNullOrWhiteSpace(produced.Hint));
        if (produced.StandardHint)
        {
            Assert.Equal(AccessCodeErrorCodes.Hint(code), produced.Hint);
        }
        Assert.False(string.IsNullOrWhiteSpace(produced.Message));
        Assert.DoesNotContain(Pin, produced.Message, StringComparison.Ordinal);
        if (produced.Settled is { } settled)
        {
            Assert.True(settled.IsSettled);
            Assert.Null(settled.Pin);
            Assert.Equal(code, settled.ErrorCode);
            Assert.Equal(produced.Message, settled.ErrorMessage);
            Assert.Equal(Now, settled.SettledAt);
        }
    }

    [Fact]
    public void Timeout_is_unknown_when_the_cloud_accepted_every_write_but_never_showed_it()
    {
        var aged = Op(phase: CodeOperationPhase.Sent, attempts: 3) with { SentAt = Now - Options.ConfirmTimeout };
        var failed = Assert.IsType<CodeEffect.Fail>(Next(aged, new CodeObservation.Listed([])).Effect);
        Assert.Equal((CodeStatus.Unknown, AccessCodeErrorCodes.Timeout), (failed.Status, failed.Code));
    }

    [Fact]
    public void A_nack_that_never_shows_is_resent_after_a_second_read_while_attempts_remain_then_fails_no_ack()
    {
        var sent = Op(phase: CodeOperationPhase.Sent, attempts: 1, lastWrite: "Nack");
        var first = Next(sent, new CodeObservation.Listed([]));
        Assert.Equal(new CodeEffect.WaitUntil(Now + TimeSpan.FromSeconds(4)), first.Effect);
        var second = Next(first.Operation, new CodeObservation.Listed([]));
        Assert.Equal(new CodeEffect.Resend(Now), second.Effect);
        Assert.Equal((CodeOperationPhase.Queued, 2), (second.Operation.Phase, second.Operation.Checks));

        var last = Next(sent with { Attempts = 3, Checks = 1 }, new CodeObservation.Listed([]));
        Assert.Equal((CodeStatus.Failed, AccessCodeErrorCodes.NoAck), (last.Operation.Status, last.Operation.ErrorCode));
        Assert.False(((CodeEffect.Fail)last.Effect).CloudListsIt);
    }

    [Fact]
    public void A_code_kept_no_ack_turns_set_only_on_the_locks_own_proof()
    {
        var kept = Next(Op(phase: CodeOperationPhase.Sent, attempts: 1, lastWrite: "Nack"), new CodeObservation.Listed([Code("code-1", "Guest", Pin)]));
        Assert.True(((CodeEffect.Fail)kept.Effect).CloudListsIt);
        Assert.Equal("code-1", kept.Operation.CodeId);
        Assert.True(AccessCodeRules.AwaitsLockProof(kept.Operation));

        Assert.Equal(new CodeEffect.None(), Next(kept.Operation, new CodeObservation.Listed([])).Effect);
        var proven = Next(kept.Operation, new CodeObservation.LockAcknowledged());
        Assert.Equal(new CodeEffect.Settle(CodeStatus.Set), proven.Effect);
        Assert.Equal((CodeStatus.Set, null), (proven.Operation.Status, proven.Operation.ErrorCode));
        Assert.Equal(new CodeEffect.None(), Next(proven.Operation, new CodeObservation.LockAcknowledged()).Effect);
    }

    [Fact]
    public void An_add_refused_as_in_use_is_adopted_when_the_list_shows_it_as_asked()
    {
        var refusal = Refusal("Access code already in use");
        var adopted = Next(Sending(), new CodeObservation.ListedAfterRefusal(refusal, [Code("code-5", "guest", Pin)]));
        Assert.Equal(new CodeEffect.Adopt("code-5"), adopted.Effect);
        Assert.Equal((CodeStatus.Set, "code-5"), (adopted.Operation.Status, adopted.Operation.CodeId));
    }

    [Fact]
    public void A_throttled_write_waits_for_retry_after_without_using_up_an_attempt()
    {
        var throttled = Next(Sending(), new CodeObservation.WriteRefused(new CloudFailure(CloudFailureKind.Throttled, "Slow down", 429, RetryAfter: TimeSpan.FromSeconds(30))));
        Assert.Equal(new CodeEffect.WaitUntil(Now + TimeSpan.FromSeconds(30)), throttled.Effect);
        Assert.Equal((CodeOperationPhase.Queued, 0), (throttled.Operation.Phase, throttled.Operation.Attempts));

        var noHint = Next(Sending(), new CodeObservation.WriteRefused(new CloudFailure(CloudFailureKind.Unavailable, "Unreachable")));
        Assert.Equal(new CodeEffect.WaitUntil(Now + AccessCodeRules.RetryLater), noHint.Effect);

        var tooOld = Next(Sending(createdAt: Now - Options.ConfirmTimeout), new CodeObservation.WriteRefused(new CloudFailure(CloudFailureKind.Throttled, "Slow down", 429)));
        Assert.Equal(AccessCodeErrorCodes.CloudError, Assert.IsType<CodeEffect.Fail>(tooOld.Effect).Code);
    }

    [Fact]
    public void A_delete_of_a_code_already_gone_is_removed_and_one_listed_gone_after_a_nack_stays_no_ack()
    {
        var gone = Next(Sending(CodeOperationKind.Delete), new CodeObservation.WriteRefused(Refusal("Access code not found", CloudFailureKind.NotFound)));
        Assert.Equal(new CodeEffect.Settle(CodeStatus.Removed), gone.Effect);

        var nacked = Op(CodeOperationKind.Delete, CodeOperationPhase.Sent, attempts: 1, codeId: "code-1", lastWrite: "Nack");
        var kept = Next(nacked, new CodeObservation.Listed([]));
        Assert.Equal(AccessCodeErrorCodes.NoAck, Assert.IsType<CodeEffect.Fail>(kept.Effect).Code);
        Assert.False(AccessCodeRules.AwaitsLockProof(kept.Operation));
    }

    [Fact]
    public void An_interrupted_send_is_confirmed_by_reading_not_sent_again()
    {
        var resumed = Next(Sending(), new CodeObservation.Interrupted());
        Assert.Equal(new CodeEffect.WaitUntil(Now), resumed.Effect);
        Assert.Equal((CodeOperationPhase.Sent, 1, "interrupted by a restart"), (resumed.Operation.Phase, resumed.Operation.Attempts, resumed.Operation.LastWriteFailure));
    }

    [Fact]
    public void A_change_queued_behind_an_add_that_never_created_its_code_fails_unknown_code()
    {
        var orphan = Op(CodeOperationKind.Update);
        Assert.Equal(AccessCodeErrorCodes.UnknownCode, Assert.IsType<CodeEffect.Fail>(Next(orphan, new CodeObservation.DueToSend(null)).Effect).Code);
        var found = Next(orphan, new CodeObservation.DueToSend("code-3"));
        Assert.Equal(new CodeEffect.Write(), found.Effect);
        Assert.Equal(("code-3", CodeOperationPhase.Sending, 1, Now), (found.Operation.CodeId, found.Operation.Phase, found.Operation.Attempts, found.Operation.SentAt));
    }

    [Fact]
    public void A_lock_on_no_account_fails_its_operations_only_once_the_accounts_are_known_and_the_wait_is_over()
    {
        var oldest = Now - Options.ConfirmTimeout - TimeSpan.FromSeconds(1);
        Assert.Equal(new CodeEffect.WaitUntil(Now + AccessCodeRules.LookForLockAgain), Next(Op(), new CodeObservation.LockMissing(oldest, AnyLockKnown: false)).Effect);
        Assert.Equal(new CodeEffect.WaitUntil(Now + AccessCodeRules.LookForLockAgain), Next(Op(), new CodeObservation.LockMissing(Now, AnyLockKnown: true)).Effect);
        Assert.Equal(AccessCodeErrorCodes.UnknownCode, Assert.IsType<CodeEffect.Fail>(Next(Op(), new CodeObservation.LockMissing(oldest, AnyLockKnown: true)).Effect).Code);
    }

    [Fact]
    public void Confirmation_reads_back_off_from_the_first_check_up_to_a_minute()
    {
        Assert.Equal([2, 4, 8, 16, 32, 60, 60], Enumerable.Range(0, 7).Select(checks => AccessCodeRules.NextGap(Op() with { Checks = checks }, Options).TotalSeconds));
    }

    // ---- Properties over random runs ----

    private static readonly string[] CloudWords =
        ["Nack", "Request timed out", "Access code already in use", "Code not found on device", "Invalid schedule", "User not found in the device",
         "Maximum number of codes", "Invalid code length", "Internal error", "PIN {pin} rejected"];

    private static Gen<CloudFailure> Failures(string pin) =>
        from kind in Gen.Frequency((3, Gen.Elements(CloudFailureKind.Rejected, CloudFailureKind.Invalid, CloudFailureKind.NotFound)), (2, Gen.Elements(Enum.GetValues<CloudFailureKind>())))
        from words in Gen.Elements(CloudWords)
        from status in Gen.Elements<int?>(null, 400, 404, 429, 500, 504)
        from retry in Gen.Elements<TimeSpan?>(null, TimeSpan.FromSeconds(-5), TimeSpan.Zero, TimeSpan.FromSeconds(30))
        select new CloudFailure(kind, words.Replace("{pin}", pin, StringComparison.Ordinal), status, words.Replace("{pin}", pin, StringComparison.Ordinal), retry);

    private static Gen<CloudAccessCode[]> Lists(string pin) =>
        // Mostly without our code, so that runs go through retries to the last attempt.
        from ours in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
        from sameNameOtherPin in Gen.Elements(true, false)
        from otherWithPin in Gen.Elements(true, false)
        select new[]
            {
                ours ? Code("code-1", "Guest", pin) : null,
                sameNameOtherPin && !ours ? Code("code-2", "GUEST", pin == "9999" ? "8888" : "9999") : null,
                otherWithPin ? Code("code-3", "Family", pin) : null,
            }.OfType<CloudAccessCode>().ToArray();

    private static Gen<CodeObservation> Any(string pin) => Gen.OneOf(
        ForQueued(), ForSending(pin), ForSent(pin),
        Failures(pin).SelectMany(f => Lists(pin), (f, l) => (CodeObservation)new CodeObservation.ListedAfterRefusal(f, l)),
        Gen.Constant<CodeObservation>(new CodeObservation.LockAcknowledged()),
        Gen.Elements(true, false).Select(known => (CodeObservation)new CodeObservation.LockMissing(Now - TimeSpan.FromMinutes(1), known)));

    private static Gen<CodeObservation> ForQueued() =>
        Gen.Elements<string?>(null, "code-1").Select(id => (CodeObservation)new CodeObservation.DueToSend(id));

    private static Gen<CodeObservation> ForSending(string pin) => Gen.OneOf(
        Gen.Elements<string?>(null, "code-1").Select(id => (CodeObservation)new CodeObservation.WriteAccepted(id)),
        Failures(pin).Select(f => (CodeObservation)new CodeObservation.WriteOutcomeUnknown(f)),
        Failures(pin).Select(f => (CodeObservation)new CodeObservation.WriteRefused(f)),
        Gen.Constant<CodeObservation>(new CodeObservation.Interrupted()));

    private static Gen<CodeObservation> ForSent(string pin) => Gen.Frequency(
        (4, Lists(pin).Select(l => (CodeObservation)new CodeObservation.Listed(l))),
        (1, Gen.Constant<CodeObservation>(new CodeObservation.ListUnavailable(null))));

    /// <summary>
    /// One step: an observation fitting each phase, and one that may not fit at all; the run takes the one for the
    /// operation's phase most of the time (so runs get deep: retries, adoption, final failures) and the stray one else.
    /// </summary>
    private sealed record Step(CodeObservation Stray, CodeObservation Queued, CodeObservation Sending, CodeObservation Sent, bool TakeStray, int Seconds)
    {
        public CodeObservation For(CodeOperation operation) =>
            TakeStray ? Stray
            : operation.Phase switch
            {
                CodeOperationPhase.Queued => Queued,
                CodeOperationPhase.Sending => Sending,
                CodeOperationPhase.Sent => Sent,
                _ => Stray,
            };

        public override string ToString() => $"+{Seconds}s {(TakeStray ? Stray : "by phase")}";
    }

    private sealed record Run(CodeOperation Start, IReadOnlyList<Step> Steps)
    {
        public override string ToString() => $"{Start} then {string.Join(", ", Steps)}";
    }

    private static Arbitrary<Run> Runs() =>
        (from kind in Gen.Elements(Enum.GetValues<CodeOperationKind>())
         from pin in Gen.Choose(4, 8).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 9), n), (_, digits) => string.Concat(digits))
         from steps in Gen.ArrayOf(
             from stray in Any(pin)
             from queued in ForQueued()
             from sending in ForSending(pin)
             from sent in ForSent(pin)
             from takeStray in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
             from seconds in Gen.Choose(0, 200)
             select new Step(stray, queued, sending, sent, takeStray, seconds))
         select new Run(Op(kind, codeId: kind == CodeOperationKind.Add ? null : "code-1") with { Pin = kind == CodeOperationKind.Delete ? null : pin, CreatedAt = Now },
             steps)).ToArbitrary();

    /// <summary>Plays a run through the rules, calling <paramref name="check"/> with every step.</summary>
    private static bool Play(Run run, Func<CodeOperation, CodeTransition, DateTimeOffset, string?, bool> check)
    {
        var operation = run.Start;
        var now = Now;
        var pin = run.Start.Pin;
        CodeEffect? last = null;
        CloudFailure? refusal = null;
        foreach (var step in run.Steps)
        {
            now += TimeSpan.FromSeconds(step.Seconds);
            var observation = step.For(operation);
            if (last is CodeEffect.ReadBack && !step.TakeStray && refusal is not null)
            {
                // The worker answers a read-back with the list it read, and the refusal that asked for it.
                observation = new CodeObservation.ListedAfterRefusal(refusal, step.Sent is CodeObservation.Listed listed ? listed.Codes : null);
            }
            refusal = observation is CodeObservation.WriteRefused refused ? refused.Failure : null;
            var transition = AccessCodeRules.Next(operation, observation, Options, now);
            if (!check(operation, transition, now, pin))
            {
                return false;
            }
            operation = transition.Operation;
            last = transition.Effect;
        }
        return true;
    }

    private static readonly Config Deep = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Fact]
    public void Attempts_never_exceed_the_maximum_nor_go_below_zero() =>
        Prop.ForAll(Runs(), run => Play(run, (_, t, _, _) => t.Operation.Attempts is >= 0 and <= 3)).Check(Deep);

    [Fact]
    public void A_settled_operation_never_transitions_again_except_no_ack_to_set_on_the_locks_proof() =>
        Prop.ForAll(Runs(), run => Play(run, (before, t, _, _) => !before.IsSettled || t.Operation == before
            || (AccessCodeRules.AwaitsLockProof(before) && t.Operation.Status == CodeStatus.Set && t.Effect is CodeEffect.Settle))).Check(Deep);

    [Fact]
    public void Every_failure_has_a_code_and_its_hint_and_is_stored_with_them() =>
        Prop.ForAll(Runs(), run => Play(run, (_, t, _, _) => t.Effect is not CodeEffect.Fail fail
            || (fail.Code.Length > 0 && fail.Hint.Length > 0 && fail.Hint == AccessCodeErrorCodes.Hint(fail.Code) && fail.Status is CodeStatus.Failed or CodeStatus.Unknown
                && t.Operation.IsSettled && t.Operation.ErrorCode == fail.Code && t.Operation.Status == fail.Status))).Check(Deep);

    [Fact]
    public void No_effect_and_no_settled_operation_ever_carries_the_pin() =>
        Prop.ForAll(Runs(), run => Play(run, (_, t, _, pin) =>
            (pin is null || t.Effect is not CodeEffect.Fail fail || (!fail.Message.Contains(pin, StringComparison.Ordinal) && !fail.Hint.Contains(pin, StringComparison.Ordinal)))
            && (!t.Operation.IsSettled || (t.Operation.Pin is null && (pin is null || t.Operation.ErrorMessage?.Contains(pin, StringComparison.Ordinal) != true))))).Check(Deep);

    [Fact]
    public void No_wait_ends_before_now_and_a_waiting_operation_is_due_when_the_wait_ends() =>
        // A wait that changes the operation stores its end as the operation's next check (a lock still missing changes nothing).
        Prop.ForAll(Runs(), run => Play(run, (before, t, now, _) => t.Effect switch
        {
            CodeEffect.WaitUntil wait => wait.At >= now && (t.Operation == before || t.Operation.NextCheckAt == wait.At),
            CodeEffect.Resend resend => resend.At >= now && t.Operation.Phase == CodeOperationPhase.Queued,
            _ => true,
        })).Check(Deep);

    [Fact]
    public void Random_runs_reach_every_kind_of_outcome()
    {
        // Guards the generators: properties over runs that never settle, retry or adopt would prove nothing.
        // A fixed seed: which outcomes 300 random runs reach is then a property of the generators, not of luck (an
        // unseeded run missed one outcome in CI).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Prop.ForAll(Runs(), run => Play(run, (_, t, _, _) =>
        {
            lock (seen)
            {
                seen.Add(t.Effect.GetType().Name + (t.Effect is CodeEffect.Fail f ? ":" + f.Code : ""));
            }
            return true;
        })).Check(Config.Quick.WithMaxTest(300).WithReplay(20261203UL, 1UL));
        string[] expected = ["Write", "ReadBack", "WaitUntil", "Resend", "Settle", "Adopt", "Fail:no_ack", "Fail:timeout", "Fail:split_brain"];
        Assert.Empty(expected.Except(seen));
    }
}
