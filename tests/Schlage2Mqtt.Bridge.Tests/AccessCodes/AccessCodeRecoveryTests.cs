using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Bridge.Tests.Runtime;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.AccessCodes;

/// <summary>A restart finds operations in the store and finishes them without sending anything twice.</summary>
public sealed class AccessCodeRecoveryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "s2m-codes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private const string AlwaysJson = "{\"type\":\"Always\"}";

    private async Task StoreAsync(CodeOperation operation)
    {
        using var state = new StateStore(_dir, NullLogger<StateStore>.Instance);
        var store = new CodeOperationStore(state);
        await store.SaveAsync(operation, CancellationToken.None);
    }

    private static CodeOperation Interrupted(string name, string pin) => new()
    {
        Id = "op-1",
        Kind = CodeOperationKind.Add,
        DeviceId = "dev-1",
        Name = name,
        Pin = pin,
        ScheduleJson = AlwaysJson,
        Status = CodeStatus.Setting,
        Phase = CodeOperationPhase.Sending,
        Attempts = 1,
        CreatedAt = new DateTimeOffset(2026, 11, 22, 9, 59, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task An_add_interrupted_mid_send_that_landed_is_adopted_by_reading_and_never_resent()
    {
        await StoreAsync(Interrupted("Guest", "1234"));
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        account.PutCode("dev-1", "code-landed", new NewAccessCode { Name = "Guest", Code = "1234" });

        await using var h = new BridgeHarness(dataDir: _dir, account: account);
        await h.StartAsync();
        await h.AdvanceUntil(() => h.Last("s2m/front_door/access_codes")?["codes"]?.AsArray().Any(c => c!["status"]!.GetValue<string>() == "set") == true,
            TimeSpan.FromSeconds(1));

        Assert.Equal(0, account.Calls("add_code"));
        var code = h.Last("s2m/front_door/access_codes")!["codes"]!.AsArray().Single()!;
        Assert.Equal("code-landed", code["id"]!.GetValue<string>());
        Assert.Equal("****", code["code"]!.GetValue<string>());
        Assert.DoesNotContain("1234", await File.ReadAllTextAsync(Path.Combine(_dir, "access_codes.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_add_interrupted_before_it_landed_is_sent_again_only_after_reads_show_it_missing()
    {
        await StoreAsync(Interrupted("Guest", "1234"));
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));

        await using var h = new BridgeHarness(dataDir: _dir, account: account);
        await h.StartAsync();
        await h.AdvanceUntil(() => account.Calls("list_codes") >= 1, TimeSpan.FromSeconds(1));
        Assert.Equal(0, account.Calls("add_code"));

        await h.AdvanceUntil(() => h.Last("s2m/front_door/access_codes")?["codes"]?.AsArray().Any(c => c!["status"]!.GetValue<string>() == "set") == true,
            TimeSpan.FromSeconds(1));
        Assert.Equal(1, account.Calls("add_code"));
        Assert.True(account.Calls("list_codes") >= 2);
        Assert.Single(account.Codes["dev-1"]);
        var events = h.Mqtt.On("s2m/front_door/activity").Select(e => JsonNode.Parse(e)!["event_type"]!.GetValue<string>());
        Assert.Equal(["code_added"], events);
    }

    [Fact]
    public async Task A_write_the_cloud_could_not_confirm_is_resent_a_bounded_number_of_times_then_fails()
    {
        var account = new FakeLockAccount
        {
            AddAnswer = _ => CloudResult.Fail<string?>(new CloudFailure(CloudFailureKind.OutcomeUnknown, "Nack: the lock did not acknowledge", 502, "Nack: the lock did not acknowledge")),
        };
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await using var h = new BridgeHarness(dataDir: _dir, account: account);
        await h.StartAsync();

        await h.Mqtt.DeliverAsync("s2m/bridge/request/access_code/add", """{"lock":"front_door","name":"Nanny","code":"4321"}""");
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/access_code/add").Count == 1, TimeSpan.FromSeconds(1), maxSteps: 400);

        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/access_code/add").Single())!;
        Assert.Equal("no_ack", response["error"]!["code"]!.GetValue<string>());
        Assert.Equal(3, account.Calls("add_code"));
        Assert.DoesNotContain("4321", string.Join("\n", h.Logs.Entries.Select(e => e.FullText)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_the_lock_Nacked_but_the_cloud_kept_stays_no_ack_until_the_locks_log_shows_it()
    {
        var account = new FakeLockAccount();
        account.AddAnswer = code =>
        {
            // The cloud records the code although the lock never got it (seed 001's split brain after a Nack).
            account.PutCode("dev-1", "code-n", code);
            return CloudResult.Fail<string?>(new CloudFailure(CloudFailureKind.OutcomeUnknown, "Nack: the lock did not acknowledge", 502, "Nack: the lock did not acknowledge"));
        };
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await using var h = new BridgeHarness(dataDir: _dir, account: account);
        await h.StartAsync();

        await h.Mqtt.DeliverAsync("s2m/bridge/request/access_code/add", """{"lock":"front_door","name":"Nanny","code":"4321"}""");
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/access_code/add").Count == 1, TimeSpan.FromSeconds(1), maxSteps: 400);

        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/access_code/add").Single())!;
        Assert.Equal("error", response["status"]!.GetValue<string>());
        Assert.Equal("no_ack", response["error"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(response["error"]!["hint"]!.GetValue<string>()));
        Assert.Equal(1, account.Calls("add_code"));
        JsonNode Listed() => JsonNode.Parse(h.Mqtt.On("s2m/front_door/access_codes").Last())!["codes"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "Nanny")!;
        Assert.Equal("failed", Listed()["status"]!.GetValue<string>());

        // The guest's PIN works at the door after all: the lock logs the code, which proves it has it.
        account.Log("dev-1", new CloudLogEntry("log-1", 2, h.Time.GetUtcNow(), null, "code-n"));
        account.Put(account.Get("dev-1") with { State = LockState.Unlocked, ChangedBy = new ChangedBy(ChangeMethod.Keypad, "Nanny") });
        await h.AdvanceUntil(() => Listed()["status"]!.GetValue<string>() == "set", TimeSpan.FromSeconds(10), what: h.Diagnostics());
    }
}
