using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>The hub is the one writer of lock state and its funnel the one place a lock's state is published.</summary>
public sealed class LockStateHubTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CloudLock Front(LockState state, DateTimeOffset updated) =>
        FakeLockAccount.Lock("dev-1", "Front Door", state) with { UpdatedAt = updated, ChangedBy = new ChangedBy(ChangeMethod.Thumbturn, null) };

    private static List<string?> States(BridgeHarness h) =>
        h.Mqtt.On("s2m/front_door").Select(p => p.Length == 0 ? null : JsonNode.Parse(p)!["state"]!.GetValue<string>()).ToList();

    // The change shows in the log at once (by a method that names no one), so the activity read it causes ends at its
    // first read instead of re-checking on the clock, and learns no fact that would publish the state again.
    private static void Logged(BridgeHarness h) =>
        h.Account.Log("dev-1", new CloudLogEntry("log-1", 9, h.Time.GetUtcNow().AddSeconds(1), null, null));

    private static ConcurrentQueue<LockStatePublished> Observe(BridgeHarness h)
    {
        var seen = new ConcurrentQueue<LockStatePublished>();
        h.Events.On<LockStatePublished>(seen.Enqueue);
        return seen;
    }

    [Fact]
    public async Task One_push_event_publishes_the_state_once_and_the_same_event_again_publishes_nothing()
    {
        var push = new FakePushChannel("home");
        await using var h = new BridgeHarness();
        h.Account.Push = push;
        h.Account.Put(Front(LockState.Locked, T0));
        await h.StartAsync();
        var published = Observe(h);
        var before = States(h).Count;

        var update = new PushedUpdate("dev-1", Front(LockState.Unlocked, T0.AddSeconds(5)), null, null, T0.AddSeconds(5));
        await push.Deliver(update);

        Assert.Equal(["UNLOCKED"], States(h).Skip(before));
        Assert.Equal("UNLOCKED", Assert.Single(published).State.State);
        Assert.Equal("front_door", published.Single().Lock.TopicId);

        await push.Deliver(update);
        Assert.Equal(before + 1, States(h).Count);
        Assert.Single(published);
    }

    [Fact]
    public async Task A_commands_confirmed_state_is_published_once_through_the_funnel()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        var published = Observe(h);
        var before = States(h).Count;
        Logged(h);

        await h.Mqtt.DeliverAsync("s2m/front_door/set", "UNLOCK");
        await h.AdvanceUntil(() => States(h).LastOrDefault() == "UNLOCKED", TimeSpan.FromMilliseconds(500));
        // The command has ended (nothing left in the background): its end published nothing more.
        await h.WhenIdleAsync();

        Assert.Equal(["UNLOCKING", "UNLOCKED"], States(h).Skip(before));
        // Every publish on the state topic went through the funnel, which told its observers once each.
        Assert.Equal(["UNLOCKING", "UNLOCKED"], published.Select(p => p.State.State));
        Assert.Null(h.Services.GetRequiredService<LockRegistry>().Find("front_door")!.InFlight);
    }

    [Fact]
    public async Task A_get_answers_on_the_state_topic_once_even_when_the_read_changed_the_state()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        var published = Observe(h);
        var before = States(h).Count;
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door", LockState.Unlocked));
        Logged(h);

        await h.Mqtt.DeliverAsync("s2m/front_door/get", "");
        await h.WhenIdleAsync();

        Assert.Equal(["UNLOCKED"], States(h).Skip(before));
        Assert.Single(published);
    }

    [Fact]
    public async Task An_observer_may_call_back_into_the_hub_because_events_are_raised_after_its_lock_is_released()
    {
        var push = new FakePushChannel("home");
        await using var h = new BridgeHarness();
        h.Account.Push = push;
        h.Account.Put(Front(LockState.Locked, T0));
        await h.StartAsync();
        var hub = h.Services.GetRequiredService<LockStateHub>();
        Task? learned = null;
        h.Events.On<LockStatePublished>(e =>
        {
            // Waiting here for the hub would deadlock if the hub still held its lock while raising.
            learned ??= hub.LearnAsync(e.Lock.DeviceId, new LearnedFacts(KeypadDisabled: true), CancellationToken.None);
            Assert.True(learned.Wait(TimeSpan.FromSeconds(10)), "the hub was still locked while raising its event");
        });

        await push.Deliver(new PushedUpdate("dev-1", Front(LockState.Unlocked, T0.AddSeconds(5)), null, null, T0.AddSeconds(5)));

        Assert.NotNull(learned);
        Assert.True(learned!.IsCompletedSuccessfully);
        Assert.True(h.Last("s2m/front_door")!["keypad_disabled"]!.GetValue<bool>());
    }
}
