using System.Text.Json.Nodes;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Calls;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>
/// Real time through the whole product: the simulator pushes like the cloud (over the broker's websocket listener, or
/// through the seed-004 subscriber API), the bridge publishes without waiting for a poll, and polling covers the gaps.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class PushEndToEndTests
{
    private const string FrontDoor = "schlage2mqtt/front_door";
    private const string FamilyPin = "2580";

    // Long enough that a change seen within the test cannot have come from a poll; the call log proves it either way.
    private static readonly TimeSpan SlowPolls = TimeSpan.FromSeconds(30);

    private static string? State(Observed m) => m.Payload.Length == 0 ? null : JsonNode.Parse(m.Payload)!["state"]?.GetValue<string>();

    private static string? Field(Observed m, string name) => JsonNode.Parse(m.Payload)![name]?.GetValue<string>();

    private static Task<Observed> PushStateAsync(BridgeWorld world, string state, int since = 0) =>
        world.Observer.WaitAsync(m => m.Topic == "schlage2mqtt/bridge/info"
            && JsonNode.Parse(m.Payload)!["accounts"]![0]!["push"]?.GetValue<string>() == state, since, what: $"bridge/info push {state}");

    private static int Polls(BridgeWorld world, int since) =>
        world.Cloud.Calls.Records().Skip(since).Count(r => r.Operation is "ListDevices" or "GetDevice");

    [Theory]
    [InlineData("consumer_cloud")]
    [InlineData("subscribers")]
    public async Task A_keypad_unlock_reaches_the_state_and_the_activity_with_the_codes_name_without_a_poll(string mode)
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Push = mode, PollInterval = SlowPolls });
        await world.WaitForLocksAsync();
        await PushStateAsync(world, "connected");
        var locked = world.Observer.On(FrontDoor).Select(State).LastOrDefault() == "LOCKED";
        Assert.True(locked, "the demo's front door starts locked");
        var mark = world.Observer.Mark();
        var calls = world.Cloud.Calls.Records().Count;

        var result = world.Cloud.Admin.EnterKeypadCode(DemoWorld.FrontDoorId, FamilyPin);

        Assert.Equal(KeypadResult.Unlocked, result);
        var state = await world.Observer.WaitAsync(m => m.Topic == FrontDoor && State(m) == "UNLOCKED", mark, what: "pushed UNLOCKED");
        var activity = await world.Observer.WaitOnAsync(FrontDoor + "/activity", since: mark);
        Assert.Equal(0, Polls(world, calls));
        Assert.Equal("unlocked", Field(activity, "event_type"));
        Assert.Equal("keypad", Field(activity, "method"));
        Assert.Equal("Family", Field(activity, "access_code"));
        var changedBy = await world.Observer.WaitAsync(m => m.Topic == FrontDoor && Field(m, "last_changed_by") == "keypad: Family", mark);
        Assert.Equal("UNLOCKED", State(changedBy));
        Assert.True(state.Index <= changedBy.Index);
        Assert.DoesNotContain(FamilyPin, string.Concat(world.Observer.Messages.Skip(mark).Select(m => m.Payload)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_accounts_start_their_push_channels_together_and_each_pushes_without_a_poll()
    {
        // Every account starts its channel at the same moment; their state changes once deadlocked the bridge at start.
        const int extra = 3;
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Push = "consumer_cloud", PollInterval = SlowPolls, ExtraAccounts = extra });
        await world.WaitForLocksAsync();
        await world.Observer.WaitAsync(m => m.Topic == "schlage2mqtt/bridge/info"
            && JsonNode.Parse(m.Payload)!["accounts"]!.AsArray() is { Count: 1 + extra } accounts
            && accounts.All(a => a!["push"]?.GetValue<string>() == "connected"), what: "bridge/info with every account's push connected");
        var mark = world.Observer.Mark();
        var calls = world.Cloud.Calls.Records().Count;

        for (var n = 1; n <= extra; n++)
        {
            world.Cloud.Admin.TurnThumbturn(BridgeWorld.ExtraLockId(n), locked: false);
        }

        for (var n = 1; n <= extra; n++)
        {
            var topic = BridgeWorld.Topic($"cabin_{n}");
            await world.Observer.WaitAsync(m => m.Topic == topic && State(m) == "UNLOCKED", mark, what: $"pushed UNLOCKED on {topic}");
        }
        Assert.Equal(0, Polls(world, calls));
    }

    [Fact]
    public async Task A_dropped_push_connection_is_re_established_with_fresh_details_and_pushes_again()
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Push = "consumer_cloud", PollInterval = SlowPolls });
        await world.WaitForLocksAsync();
        await PushStateAsync(world, "connected");
        var fetched = DetailsCalls(world);
        var mark = world.Observer.Mark();
        var dropCalls = world.Cloud.Calls.Records().Count;

        world.Cloud.Admin.DropPush(DemoWorld.Email);

        // Connected again after it said connecting: a bridge/info that merely repeats "connected" before the drop was
        // noticed does not count.
        var connecting = await PushStateAsync(world, "connecting", mark);
        await PushStateAsync(world, "connected", connecting.Index + 1);
        Assert.True(DetailsCalls(world) > fetched, "every reconnect fetches a fresh users/wss answer");
        // Losing push made the bridge poll at once, so nothing changed meanwhile is missed. That poll is waited for
        // here: one that started after the thumbturn below would be counted there.
        await Eventually(() => Polls(world, dropCalls) > 0, "the poll the bridge makes when push is lost");
        mark = world.Observer.Mark();
        var calls = world.Cloud.Calls.Records().Count;

        world.Cloud.Admin.TurnThumbturn(DemoWorld.FrontDoorId, locked: false);

        await world.Observer.WaitAsync(m => m.Topic == FrontDoor && State(m) == "UNLOCKED", mark, what: "pushed UNLOCKED after the reconnect");
        Assert.Equal(0, Polls(world, calls));
    }

    [Fact]
    public async Task An_evicting_phone_app_is_not_fought_the_bridge_says_so_once_and_polling_covers_the_gap()
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Push = "consumer_cloud", PollInterval = TimeSpan.FromSeconds(1) });
        await world.WaitForLocksAsync();
        await PushStateAsync(world, "connected");
        var mark = world.Observer.Mark();

        world.Cloud.Admin.EvictPush(DemoWorld.Email, persistent: true);

        await PushStateAsync(world, "evicted", mark);
        var detailsAtEviction = DetailsCalls(world);
        var pollMark = world.Cloud.Calls.Records().Count;

        world.Cloud.Admin.TurnThumbturn(DemoWorld.FrontDoorId, locked: false);

        await world.Observer.WaitAsync(m => m.Topic == FrontDoor && State(m) == "UNLOCKED", mark, what: "UNLOCKED by polling while evicted");
        Assert.True(Polls(world, pollMark) > 0, "the change came by a poll");
        // Backing off means no new users/wss call, so no new connection fighting for the client id, while evicted.
        Assert.Equal(detailsAtEviction, DetailsCalls(world));
        var warnings = world.Observer.On("schlage2mqtt/bridge/log", mark).Where(m => m.Payload.Contains("Push channel", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Contains("Schlage Home app", warnings[0].Payload, StringComparison.Ordinal);
        world.Cloud.Admin.StopEviction();
    }

    [Fact]
    public async Task An_account_without_push_falls_back_to_polling_with_one_log_line()
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Push = "consumer_cloud", PollInterval = TimeSpan.FromSeconds(1) }, startBridge: false);
        world.Cloud.Admin.SetPushEnabled(DemoWorld.Email, false);
        var mark = world.Observer.Mark();
        await world.StartBridgeAsync();
        await world.WaitForLocksAsync();
        await PushStateAsync(world, "unsupported", mark);

        world.Cloud.Admin.TurnThumbturn(DemoWorld.BackDoorId, locked: false);
        await world.Observer.WaitAsync(m => m.Topic == "schlage2mqtt/back_door" && State(m) == "UNLOCKED", mark, what: "UNLOCKED by polling");
        // A few more polls pass: none of them asks for push details again or logs again.
        var polls = Polls(world, 0);
        await Eventually(() => Polls(world, 0) >= polls + 3, "three more polls");

        Assert.Equal(1, DetailsCalls(world));
        var lines = world.Observer.On("schlage2mqtt/bridge/log", mark).Where(m => m.Payload.Contains("Push channel", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.Contains("404", lines[0].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_activity_event_is_published_twice_across_a_bridge_restart()
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Push = "consumer_cloud", PollInterval = TimeSpan.FromSeconds(1) });
        await world.WaitForLocksAsync();
        await PushStateAsync(world, "connected");
        var mark = world.Observer.Mark();

        world.Cloud.Admin.EnterKeypadCode(DemoWorld.FrontDoorId, FamilyPin);
        await world.Observer.WaitAsync(m => m.Topic == FrontDoor + "/activity" && Field(m, "access_code") == "Family", mark);
        await world.StopBridgeAsync();

        world.Cloud.Admin.TurnThumbturn(DemoWorld.FrontDoorId, locked: true);
        // Anything from here on comes from the restarted bridge (the first one has stopped).
        var restart = world.Observer.Mark();
        await world.StartBridgeAsync();
        await world.Observer.WaitAsync(m => m.Topic == FrontDoor + "/activity" && Field(m, "method") == "thumbturn", mark, what: "the thumbturn while the bridge was away");
        // Another change after the restart makes the bridge read the log again, past both earlier entries.
        await PushStateAsync(world, "connected", restart);
        var afterRestart = world.Observer.Mark();
        world.Cloud.Admin.EnterKeypadCode(DemoWorld.FrontDoorId, FamilyPin);
        await world.Observer.WaitAsync(m => m.Topic == FrontDoor + "/activity" && Field(m, "access_code") == "Family", afterRestart);
        // One more change and log read: by its event every earlier read has been answered, so a duplicate would show now.
        var beforeLast = world.Observer.Mark();
        world.Cloud.Admin.TurnThumbturn(DemoWorld.FrontDoorId, locked: true);
        await world.Observer.WaitAsync(m => m.Topic == FrontDoor + "/activity" && Field(m, "method") == "thumbturn", beforeLast);

        var events = world.Observer.On(FrontDoor + "/activity", mark).Select(m => (Field(m, "event_type"), Field(m, "method"), Field(m, "time"))).ToList();
        Assert.Equal(4, events.Count);
        Assert.Equal(2, events.Count(e => e.Item2 == "keypad"));
        Assert.Equal(2, events.Count(e => e.Item2 == "thumbturn"));
    }

    // Conditions on the simulator's call log have no message to wait on: check them a few times a second, bounded.
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static long DetailsCalls(BridgeWorld world) => world.Cloud.Calls.Records().Count(r => r.Operation == "GetPushDetails");
}
