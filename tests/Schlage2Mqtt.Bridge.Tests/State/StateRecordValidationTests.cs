using Schlage2Mqtt.Cloud;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Bridge.Tests.Runtime;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.State;

/// <summary>Each state file is validated record by record: a bad record is dropped and reported, the rest is kept.</summary>
public sealed class StateRecordValidationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "s2m-records-" + Guid.NewGuid().ToString("N"));
    private readonly ListLogger<StateStore> _log = new();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private StateStore Open() => new(_dir, _log, new ManualTimeProvider());

    private void Write(string name, string json)
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, name + ".json"), json);
    }

    [Fact]
    public async Task Bridge_starts_with_a_null_lock_in_topics_a_null_and_duplicate_operation_and_a_null_watermark()
    {
        Write("topics", """{"locks":{"gone":null,"d2":{"topic_id":"kept_door","account":"home","name":"Back"},"d3":{"topic_id":7}}}""");
        Write("access_codes", $$"""{"operations":[null,{{StateFileKind.AccessCodes.Record(1)}},{{StateFileKind.AccessCodes.Record(1)}}]}""");
        Write("activity", """{"locks":{"d2":null}}""");
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("d2", "Back Door"));
        await using var bridge = new BridgeHarness(dataDir: _dir, account: account);

        await bridge.StartAsync();

        await BridgeHarness.Eventually(() => bridge.Last("s2m/bridge/info")?["locks"]?.AsArray().Count == 1);
        Assert.Equal("kept_door", bridge.Last("s2m/bridge/info")!["locks"]![0]!["topic_id"]!.GetValue<string>());
        var warnings = bridge.Logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Contains(warnings, w => w.Contains("topics.json") && w.Contains("\"gone\"") && w.Contains("null"));
        Assert.Contains(warnings, w => w.Contains("topics.json") && w.Contains("\"d3\""));
        Assert.Contains(warnings, w => w.Contains("access_codes.json") && w.Contains("#0"));
        Assert.Contains(warnings, w => w.Contains("access_codes.json") && w.Contains("'op1' appears more than once"));
        Assert.Contains(warnings, w => w.Contains("activity.json") && w.Contains("\"d2\""));
        Assert.Equal(3, Directory.GetFiles(_dir, "*.corrupt-*").Length);
    }

    [Fact]
    public void Duplicate_operation_ids_keep_the_first_and_the_file_is_rewritten_without_the_rest()
    {
        var first = StateFileKind.AccessCodes.Record(1);
        var second = first.Replace("Code 1", "Other name");
        Write("access_codes", $$"""{"operations":[{{first}},{{second}},{{StateFileKind.AccessCodes.Record(2)}}]}""");
        using var store = Open();

        var operations = new CodeOperationStore(store);
        Assert.Equal(["op1", "op2"], operations.All.Select(o => o.Id));
        Assert.Equal("Code 1", operations.Get("op1")!.Name);

        // The rewritten file loads clean: nothing more to report at the next start.
        var before = _log.Entries.Count;
        var again = new CodeOperationStore(store);
        Assert.Equal(["op1", "op2"], again.All.Select(o => o.Id));
        Assert.Equal(before, _log.Entries.Count);
        Assert.Single(Directory.GetFiles(_dir, "access_codes.json.corrupt-*"));
    }

    [Theory]
    [InlineData("""{"operations":[{"id":"op9","kind":"add","device_id":"d","name":"n","status":"setting","phase":"queued","created_at":"2026-01-01T00:00:00Z"}]}""", "needs its code")]
    [InlineData("""{"operations":[{"id":"op9","kind":9,"device_id":"d","name":"n","status":"set","phase":"settled"}]}""", "kind")]
    [InlineData("""{"operations":[{"id":"op9","kind":"delete","device_id":"d","status":"bogus","phase":"settled"}]}""", "status")]
    [InlineData("""{"operations":[{"id":"op9","kind":"delete","device_id":"d","status":"set","phase":"settled","schedule_json":"{nope"}]}""", "schedule_json")]
    [InlineData("""{"operations":[{"id":"op9","kind":"delete","device_id":null,"status":"set","phase":"settled"}]}""", "DeviceId")]
    public void Operations_the_manager_could_not_resume_are_dropped_with_the_reason(string json, string reason)
    {
        Write("access_codes", json);
        using var store = Open();
        var operations = new CodeOperationStore(store);

        Assert.Empty(operations.All);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("#0") && e.Message.Contains(reason, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"accounts":null}""")]
    [InlineData("""{"accounts":{"home":null}}""")]
    [InlineData("""{"accounts":{"home":{"refresh_token":null}}}""")]
    [InlineData("""{"accounts":{"home":{"refresh_token":""}}}""")]
    [InlineData("""{"accounts":[]}""")]
    [InlineData("[]")]
    public async Task A_bad_token_store_reads_as_no_stored_token_and_can_be_written_again(string json)
    {
        Write("tokens", json);
        using var store = Open();
        using var tokens = new FileRefreshTokenStore(store);

        Assert.Null(await tokens.LoadAsync("home", CancellationToken.None));
        await tokens.SaveAsync("home", new Cloud.StoredRefreshToken("fresh", null, null), CancellationToken.None);
        Assert.Equal("fresh", (await tokens.LoadAsync("home", CancellationToken.None))!.RefreshToken);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("tokens.json"));
    }

    [Fact]
    public async Task A_null_token_entry_costs_only_its_account_and_no_token_reaches_the_log()
    {
        Write("tokens", """{"accounts":{"home":null,"cabin":{"refresh_token":"secret-cabin-token"},"bad":{"refresh_token":12345}}}""");
        using var store = Open();
        using var tokens = new FileRefreshTokenStore(store);

        Assert.Null(await tokens.LoadAsync("home", CancellationToken.None));
        Assert.Equal("secret-cabin-token", (await tokens.LoadAsync("cabin", CancellationToken.None))!.RefreshToken);
        Assert.DoesNotContain(_log.Entries, e => e.FullText.Contains("secret-cabin-token") || e.FullText.Contains("12345"));
    }

    [Fact]
    public async Task The_username_the_refresh_hash_was_accepted_with_survives_a_restart()
    {
        using (var store = Open())
        using (var tokens = new FileRefreshTokenStore(store))
        {
            await tokens.SaveAsync("home", new Cloud.StoredRefreshToken("rt", "sub-1", "a@example.com", "a@example.com"), CancellationToken.None);
        }
        using var reopened = Open();
        using var again = new FileRefreshTokenStore(reopened);
        Assert.Equal("a@example.com", (await again.LoadAsync("home", CancellationToken.None))!.RefreshHashUsername);
    }

    [Fact]
    public void Topic_ids_that_are_not_topic_levels_or_repeat_are_dropped()
    {
        Write("topics", """{"locks":{"a":{"topic_id":"front","account":"home"},"b":{"topic_id":"front","account":"home"},"c":{"topic_id":"x/#","account":"home"},"d":{"topic_id":"bridge","account":"home"}}}""");
        using var store = Open();

        Assert.Equal(["a"], Schlage2Mqtt.Bridge.Runtime.TopicIdDocument.Read(store).Keys);
    }
}
