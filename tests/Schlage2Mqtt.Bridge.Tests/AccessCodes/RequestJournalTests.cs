using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Bridge.Tests.Runtime;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Tests.AccessCodes;

/// <summary>
/// Issue 19, item 3: an access-code request is stored before the MQTT client acknowledges it, and a restart carries
/// out what was stored but not answered, exactly once.
/// </summary>
public sealed class RequestJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "s2m-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<string> JournalAsync(string operation, string payload)
    {
        using var state = new StateStore(_dir, NullLogger<StateStore>.Instance);
        var journal = new RequestJournal(state);
        return await journal.AppendAsync(operation, new MqttMessage("s2m/bridge/request/" + operation, Encoding.UTF8.GetBytes(payload)), DateTimeOffset.UnixEpoch, CancellationToken.None);
    }

    [Fact]
    public async Task A_request_acknowledged_but_not_yet_carried_out_before_a_crash_is_carried_out_once_at_start()
    {
        await JournalAsync("access_code/add", """{"lock":"front_door","name":"Guest","code":"4826","transaction":"t1"}""");
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));

        await using var h = new BridgeHarness(dataDir: _dir, account: account);
        await h.StartAsync();
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/access_code/add").Count == 1, TimeSpan.FromSeconds(1), what: h.Diagnostics());

        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/access_code/add").Single())!;
        Assert.Equal("ok", response["status"]!.GetValue<string>());
        Assert.Equal("t1", response["transaction"]!.GetValue<string>());
        Assert.Equal(1, account.Calls("add_code"));
        Assert.Single(account.Codes["dev-1"]);
        await BridgeHarness.Eventually(() => !File.ReadAllText(Path.Combine(_dir, "requests.json")).Contains("op-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_journalled_request_that_had_already_become_an_operation_is_answered_not_repeated()
    {
        var id = await JournalAsync("access_code/add", """{"lock":"front_door","name":"Guest","code":"4826"}""");
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        // The first run had stored the operation under the journal's id and got as far as sending it.
        using (var state = new StateStore(_dir, NullLogger<StateStore>.Instance))
        {
            var store = new CodeOperationStore(state);
            await store.SaveAsync(new CodeOperation
            {
                Id = id,
                Kind = CodeOperationKind.Add,
                DeviceId = "dev-1",
                Name = "Guest",
                Pin = "4826",
                ScheduleJson = "{\"type\":\"Always\"}",
                Status = CodeStatus.Setting,
                Phase = CodeOperationPhase.Sending,
                Attempts = 1,
                CreatedAt = DateTimeOffset.UnixEpoch,
            }, CancellationToken.None);
        }
        account.PutCode("dev-1", "code-landed", new Cloud.NewAccessCode { Name = "Guest", Code = "4826" });

        await using var h = new BridgeHarness(dataDir: _dir, account: account);
        await h.StartAsync();
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/access_code/add").Count == 1, TimeSpan.FromSeconds(1), what: h.Diagnostics());

        Assert.Equal(0, account.Calls("add_code"));
        Assert.Single(account.Codes["dev-1"]);
        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/access_code/add").Single())!;
        Assert.Equal(id, response["data"]!["operation_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_message_handler_returns_only_once_the_request_is_stored()
    {
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await using var h = new BridgeHarness(dataDir: _dir, account: account);
        await h.StartAsync();

        await h.Mqtt.DeliverAsync("s2m/bridge/request/access_code/add", """{"lock":"front_door","name":"Guest","code":"4826"}""");

        // Returned: what the PUBACK waits for is on disk (or, if the worker was quick, already carried out and stored).
        var journal = File.ReadAllText(Path.Combine(_dir, "requests.json"));
        var operations = File.Exists(Path.Combine(_dir, "access_codes.json")) ? File.ReadAllText(Path.Combine(_dir, "access_codes.json")) : "";
        Assert.True(journal.Contains("access_code/add", StringComparison.Ordinal) || operations.Contains("Guest", StringComparison.Ordinal), journal);
        Assert.True(new FileInfo(Path.Combine(_dir, "requests.json")).UnixFileMode == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Fact]
    public async Task A_journal_with_bad_records_keeps_the_good_ones_and_the_bridge_starts()
    {
        Directory.CreateDirectory(_dir);
        var good = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"lock":"front_door","name":"Guest","code":"4826"}"""));
        await File.WriteAllTextAsync(Path.Combine(_dir, "requests.json"), $$"""
            {"requests": [null, {"id": "op-bad", "operation": "access_code/add", "payload": "%%%"}, 7,
              {"id": "op-good", "operation": "access_code/add", "payload": "{{good}}", "received_at": "2026-11-22T10:00:00+00:00"},
              {"id": "op-good", "operation": "access_code/delete", "payload": "{{good}}", "received_at": "2026-11-22T10:00:00+00:00"}]}
            """);
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));

        await using var h = new BridgeHarness(dataDir: _dir, account: account);
        await h.StartAsync();
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/access_code/add").Count == 1, TimeSpan.FromSeconds(1), what: h.Diagnostics());

        Assert.Equal(1, account.Calls("add_code"));
        Assert.Empty(h.Mqtt.On("s2m/bridge/response/access_code/delete"));
        Assert.Contains(h.Logs.Entries, e => e.FullText.Contains("requests.json", StringComparison.Ordinal) && e.FullText.Contains("payload is not base64", StringComparison.Ordinal));
    }
}
