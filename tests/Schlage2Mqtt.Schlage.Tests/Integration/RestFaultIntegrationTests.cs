using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>Every REST fault the simulator injects, met by the real client's resilience pipeline.</summary>
public class RestFaultIntegrationTests(SimulatorFixture fixture) : IntegrationTest(fixture)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private int PutsSent => Client.Tap.Sent.Count(s => s == $"PUT /v1/devices/{SimulatorFixture.EncodeId}");

    [Fact]
    public async Task Latency_within_the_timeout_is_waited_out()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.Latency(TimeSpan.FromSeconds(10), ApiEndpoint.GetDevice) with { Count = 1 });
        var timers = Client.Time.ActiveTimerCount;

        var pending = account.GetLockAsync(SimulatorFixture.EncodeId, default);
        // The client's per-attempt timeout and the simulator's delay both wait on the clock.
        await Client.UntilTimersAsync(timers + 2);
        Client.Time.Advance(TimeSpan.FromSeconds(10));
        var result = await pending;

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal("Latency", Client.Calls.Records().Single(r => r.Operation == "GetDevice").Fault);
        Assert.Equal(TimeSpan.FromSeconds(10), account.Statistics.MaxLatency);
    }

    [Fact]
    public async Task Latency_past_the_timeout_on_a_read_is_retried()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.Latency(TimeSpan.FromSeconds(45), ApiEndpoint.GetDevice) with { Count = 1 });
        var timers = Client.Time.ActiveTimerCount;

        var pending = account.GetLockAsync(SimulatorFixture.EncodeId, default);
        await Client.UntilTimersAsync(timers + 2);
        Client.Time.Advance(RequestTimeout);
        var result = await Client.Drive(pending);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(2, Client.Tap.Sent.Count(s => s == $"GET /v1/devices/{SimulatorFixture.EncodeId}"));
    }

    [Fact]
    public async Task Latency_past_the_timeout_on_a_write_is_outcome_unknown_and_never_resent()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.Latency(TimeSpan.FromSeconds(45), ApiEndpoint.PutDevice) with { Count = 1 });
        var timers = Client.Time.ActiveTimerCount;

        var pending = account.SetLockedAsync(SimulatorFixture.EncodeId, locked: false, default);
        await Client.UntilTimersAsync(timers + 2);
        Client.Time.Advance(RequestTimeout);
        var result = await Client.Drive(pending);

        Assert.Equal(CloudFailureKind.OutcomeUnknown, result.Failure!.Kind);
        Assert.True(result.IsOutcomeUnknown);
        await Client.Drive(Task.Delay(TimeSpan.FromMinutes(2), Client.Clock).ContinueWith(_ => 0, TaskScheduler.Default));
        Assert.Equal(1, PutsSent);
    }

    [Fact]
    public async Task A_5xx_on_a_read_is_retried_until_it_answers()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.Error(503, ApiEndpoint.GetDevice) with { Count = 2 });
        var before = Client.Calls.LastSequence;

        var result = await Client.Drive(account.GetLockAsync(SimulatorFixture.EncodeId, default));

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(["GetDevice:503", "GetDevice:503", "GetDevice:200"], Client.ApiCallsSince(before));
        var calls = Client.Calls.RecordsAfter(before);
        Assert.True(calls[1].Timestamp > calls[0].Timestamp && calls[2].Timestamp > calls[1].Timestamp, "each retry waited on the clock");
    }

    [Fact]
    public async Task A_read_that_keeps_failing_is_a_server_error_after_the_retries()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.Error(500, ApiEndpoint.GetAccessCodes));
        var before = Client.Calls.LastSequence;

        var result = await Client.Drive(account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default));

        Assert.Equal(CloudFailureKind.ServerError, result.Failure!.Kind);
        Assert.Equal(500, result.Failure.HttpStatus);
        Assert.Equal("Internal server error", result.Failure.CloudMessage);
        Assert.Equal(4, Client.ApiCallsSince(before).Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_5xx_on_a_lock_write_is_outcome_unknown_and_never_resent(int status)
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.Error(status, ApiEndpoint.PutDevice) with { Count = 1 });

        var result = await account.SetLockedAsync(SimulatorFixture.EncodeId, locked: false, default);

        if (status == 503)
        {
            // The reference reads a 503 to lock/unlock as the lock being offline (seed 000).
            Assert.Equal(CloudFailureKind.LockOffline, result.Failure!.Kind);
        }
        else
        {
            Assert.Equal(CloudFailureKind.OutcomeUnknown, result.Failure!.Kind);
        }
        Assert.Equal(status, result.Failure.HttpStatus);
        Assert.Equal(1, PutsSent);
        Client.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, Fixture.Admin.Lock(SimulatorFixture.EncodeId).LockState);
    }

    [Fact]
    public async Task A_5xx_on_a_settings_write_or_a_bridge_command_is_outcome_unknown()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.Error(502, ApiEndpoint.PutDevice) with { Count = 1 });
        Fixture.Admin.AddFault(FaultRule.Error(500, ApiEndpoint.PostCommand) with { Count = 1 });

        var beeper = await account.SetBeeperAsync(SimulatorFixture.EncodeId, enabled: false, default);
        var sense = await account.SetLockedAsync(SimulatorFixture.SenseId, locked: false, default);

        Assert.Equal(CloudFailureKind.OutcomeUnknown, beeper.Failure!.Kind);
        Assert.Equal(CloudFailureKind.OutcomeUnknown, sense.Failure!.Kind);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.PutDevice));
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.PostCommand));
    }

    [Theory]
    [InlineData(SimulatorFixture.EncodeId, ApiEndpoint.PutDevice)]
    [InlineData(SimulatorFixture.SenseId, ApiEndpoint.PostCommand)]
    public async Task A_504_whose_write_lands_anyway_is_outcome_unknown_and_a_later_read_shows_the_change(string deviceId, ApiEndpoint endpoint)
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.AppliedButError(TimeSpan.FromSeconds(20), endpoint) with { Count = 1 });

        var result = await account.SetLockedAsync(deviceId, locked: false, default);

        Assert.Equal(CloudFailureKind.OutcomeUnknown, result.Failure!.Kind);
        Assert.Equal(504, result.Failure.HttpStatus);
        Assert.Equal("Endpoint request timed out", result.Failure.CloudMessage);
        Assert.Equal(LockState.Locked, (await account.GetLockAsync(deviceId, default)).Value!.State);
        Client.Time.Advance(TimeSpan.FromSeconds(20) + SimulatorFixture.CommandLatency);
        var after = (await account.GetLockAsync(deviceId, default)).Value!;
        Assert.Equal(LockState.Unlocked, after.State);
        Assert.Equal(ChangeMethod.Mobile, after.ChangedBy!.Method);
        Assert.Equal(1, Client.Calls.Count(endpoint));
    }

    [Fact]
    public async Task A_502_on_a_setting_that_lands_anyway_shows_on_the_next_read()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.AppliedButError(TimeSpan.Zero, ApiEndpoint.PutDevice, statusCode: 502) with { Count = 1 });

        var result = await account.SetAutoLockTimeAsync(SimulatorFixture.EncodeId, 120, default);

        Assert.Equal(CloudFailureKind.OutcomeUnknown, result.Failure!.Kind);
        Assert.Equal(120, (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!.AutoLockSeconds);
    }

    [Fact]
    public async Task A_429_on_a_read_waits_for_Retry_After_then_succeeds()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.TooManyRequests(TimeSpan.FromSeconds(30), ApiEndpoint.GetDevice) with { Count = 1 });
        var before = Client.Calls.LastSequence;

        var result = await Client.Drive(account.GetLockAsync(SimulatorFixture.EncodeId, default));

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        var calls = Client.Calls.RecordsAfter(before);
        Assert.Equal(["GetDevice:429", "GetDevice:200"], Client.ApiCallsSince(before));
        Assert.True(calls[1].Timestamp - calls[0].Timestamp >= TimeSpan.FromSeconds(30), "the retry honoured Retry-After");
        Assert.Equal(1, account.Statistics.Throttled);
    }

    [Fact]
    public async Task A_429_on_a_write_was_not_applied_so_it_is_sent_again_once_after_Retry_After()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.TooManyRequests(TimeSpan.FromSeconds(10), ApiEndpoint.PutDevice) with { Count = 1 });
        var before = Client.Calls.LastSequence;

        var result = await Client.Drive(account.SetLockedAsync(SimulatorFixture.EncodeId, locked: false, default));

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        var calls = Client.Calls.RecordsAfter(before);
        Assert.Equal(["PutDevice:429", "PutDevice:200"], Client.ApiCallsSince(before));
        Assert.True(calls[1].Timestamp - calls[0].Timestamp >= TimeSpan.FromSeconds(10));
        Client.Time.Advance(SimulatorFixture.CommandLatency);
        Assert.Equal(0, Fixture.Admin.Lock(SimulatorFixture.EncodeId).LockState);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_client_waits_is_reported_as_throttled_with_the_delay()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.TooManyRequests(TimeSpan.FromMinutes(5), ApiEndpoint.ListDevices) with { Count = 1 });

        var result = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.Throttled, result.Failure!.Kind);
        // The wait applied is cut to schlage.max_retry_after (60 s by default); the cloud asked for 5 minutes.
        Assert.Equal(TimeSpan.FromSeconds(60), result.Failure.RetryAfter);
        Assert.Equal(2, Client.Calls.Count(ApiEndpoint.ListDevices));
    }

    [Fact]
    public async Task A_command_during_a_capped_Retry_After_pause_is_answered_throttled_with_the_time_left_and_goes_through_after_it()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.TooManyRequests(TimeSpan.FromMinutes(5), ApiEndpoint.ListDevices) with { Count = 1 });
        Assert.Equal(CloudFailureKind.Throttled, (await account.ListLocksAsync(default)).Failure!.Kind);
        Client.Time.Advance(TimeSpan.FromSeconds(15));
        var before = Client.Calls.LastSequence;

        // 45 s of the capped 60 s are left, more than a command waits for room in the budget (20 s): no cloud call, the time left said.
        var during = await account.SetLockedAsync(SimulatorFixture.EncodeId, locked: false, default);

        Assert.Equal(CloudFailureKind.Throttled, during.Failure!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(45), during.Failure.RetryAfter);
        Assert.Empty(Client.ApiCallsSince(before));

        // Once the capped wait is over, not the 5 minutes asked, the same command reaches the cloud.
        Client.Time.Advance(TimeSpan.FromSeconds(45));
        var after = await Client.Drive(account.SetLockedAsync(SimulatorFixture.EncodeId, locked: false, default));
        Assert.True(after.IsSuccess, after.Failure?.ToString());
        Assert.Equal(["PutDevice:200"], Client.ApiCallsSince(before));
    }

    [Theory]
    [InlineData(SimulatorFixture.EncodeId, 409)]
    [InlineData(SimulatorFixture.EncodeId, 503)]
    [InlineData(SimulatorFixture.SenseId, 409)]
    [InlineData(SimulatorFixture.SenseId, 503)]
    public async Task Locking_an_offline_lock_is_LockOffline(string deviceId, int status)
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.GoOffline(deviceId, status);

        var result = await account.SetLockedAsync(deviceId, locked: false, default);

        Assert.Equal(CloudFailureKind.LockOffline, result.Failure!.Kind);
        Assert.Equal(status, result.Failure.HttpStatus);
        Assert.Equal("Device is offline", result.Failure.CloudMessage);
    }

    [Fact]
    public async Task An_offline_locks_sparse_document_reads_as_unknown_never_guessed()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.GoOffline(SimulatorFixture.EncodePlusId);

        var back = (await account.GetLockAsync(SimulatorFixture.EncodePlusId, default)).Value!;

        Assert.False(back.Connected);
        Assert.Equal(LockState.Unknown, back.State);
        Assert.Null(back.RawState);
        Assert.Null(back.BatteryLevel);
        Assert.Null(back.Beeper);
        Assert.Null(back.AutoLockSeconds);
        Assert.Null(back.Door);
        Assert.Null(back.AccessCodeLength);
        Assert.Equal("Back", back.Name);

        Fixture.Admin.GoOnline(SimulatorFixture.EncodePlusId);
        Assert.Equal(LockState.Unlocked, (await account.GetLockAsync(SimulatorFixture.EncodePlusId, default)).Value!.State);
    }

    [Fact]
    public async Task Writes_to_an_offline_lock_other_than_lock_and_unlock_are_LockOffline_too()
    {
        var account = await Client.ReadyAccountAsync();
        var familyId = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single().Id;
        Fixture.Admin.GoOffline(SimulatorFixture.EncodeId);

        var beeper = await account.SetBeeperAsync(SimulatorFixture.EncodeId, enabled: false, default);
        var add = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, new NewAccessCode { Name = "Guest", Code = "5678" }, default);
        var delete = await account.DeleteAccessCodeAsync(SimulatorFixture.EncodeId, familyId, default);

        Assert.Equal(CloudFailureKind.LockOffline, beeper.Failure!.Kind);
        Assert.Equal(CloudFailureKind.LockOffline, add.Failure!.Kind);
        Assert.Equal(CloudFailureKind.LockOffline, delete.Failure!.Kind);
    }

    [Theory]
    [InlineData(false, "2")]
    [InlineData(true, "4")]
    public async Task A_jammed_lock_reads_jammed_stays_jammed_when_driven_and_clears_by_hand(bool motor, string raw)
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.Jam(SimulatorFixture.EncodeId, motor);

        var jammed = (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!;
        Assert.Equal((LockState.Jammed, raw), (jammed.State, jammed.RawState));

        Assert.True((await account.SetLockedAsync(SimulatorFixture.EncodeId, locked: false, default)).IsSuccess);
        Client.Time.Advance(SimulatorFixture.CommandLatency);
        Assert.Equal(LockState.Jammed, (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!.State);
        var logs = (await account.GetLogsAsync(SimulatorFixture.EncodeId, 2, default)).Value!;
        Assert.All(logs, e => Assert.Equal(motor ? 56 : 10, e.EventCode));

        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: true);
        Assert.Equal(LockState.Locked, (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!.State);
    }

    [Fact]
    public async Task A_wrong_api_key_is_unauthorized_without_retries_or_token_renewal()
    {
        var account = Client.Account(tweak: o => o with { ApiKey = "not-the-api-key" });

        var result = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.Unauthorized, result.Failure!.Kind);
        Assert.Equal(403, result.Failure.HttpStatus);
        Assert.Equal("Forbidden", result.Failure.CloudMessage);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.ListDevices));
        Assert.Equal(1, Client.Calls.Counters().RefreshAttempts);
    }

    [Fact]
    public async Task A_cloud_that_keeps_failing_opens_the_circuit_so_calls_stop_reaching_it()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.Error(500));

        CloudResult last = CloudResult.Ok();
        for (var i = 0; i < 4 && last.Failure?.Kind != CloudFailureKind.Unavailable; i++)
        {
            last = await Client.Drive(account.GetLockAsync(SimulatorFixture.EncodeId, default));
        }
        var reached = Client.Calls.Count(ApiEndpoint.GetDevice);
        var refused = await account.GetLockAsync(SimulatorFixture.EncodeId, default);

        Assert.Equal(CloudFailureKind.Unavailable, refused.Failure!.Kind);
        Assert.True(account.Statistics.CircuitOpen);
        Assert.Equal(reached, Client.Calls.Count(ApiEndpoint.GetDevice));

        Fixture.Admin.ClearFaults();
        Client.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.True((await account.GetLockAsync(SimulatorFixture.EncodeId, default)).IsSuccess);
        Assert.False(account.Statistics.CircuitOpen);
    }
}
