using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Tests.Push;

/// <summary>The push state with its change notifications, as the bridge observes several accounts' channels.</summary>
public class PushStateCellTests
{
    /// <summary>Guards against a deadlock only; never a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Two_channels_changing_state_at_once_can_each_read_the_others_state_from_their_handlers()
    {
        // The bridge's handler describes every account's push state; two accounts connecting together must not deadlock.
        var a = new PushStateCell("a");
        var b = new PushStateCell("b");
        using var bothInside = new Barrier(2);
        var seen = new PushState?[2];
        a.Changed += (_, _) =>
        {
            Assert.True(bothInside.SignalAndWait(HangGuard), "the other handler never ran alongside this one");
            seen[0] = b.State;
        };
        b.Changed += (_, _) =>
        {
            Assert.True(bothInside.SignalAndWait(HangGuard), "the other handler never ran alongside this one");
            seen[1] = a.State;
        };

        var both = Task.WhenAll(
            Task.Run(() => a.Set(PushState.Connected, null)),
            Task.Run(() => b.Set(PushState.Connected, null)));

        await both.WaitAsync(HangGuard);
        Assert.Equal([PushState.Connected, PushState.Connected], seen);
    }

    [Fact]
    public void Changes_are_notified_once_each_in_order_and_only_when_the_state_changes()
    {
        var cell = new PushStateCell("a");
        var events = new List<(PushState, string?)>();
        cell.Changed += (sender, e) =>
        {
            Assert.Equal("a", sender);
            events.Add((e.State, e.Detail));
        };

        cell.Set(PushState.Connecting, "fetching");
        cell.Set(PushState.Connecting, "connecting to the broker");
        Assert.Equal(PushState.Connecting, cell.Transition(_ => null));
        cell.Set(PushState.Connected, null);

        Assert.Equal([(PushState.Connecting, "fetching"), (PushState.Connected, null)], events);
        Assert.Equal(PushState.Connected, cell.State);
        Assert.Null(cell.Detail);
    }

    [Fact]
    public void A_transition_sees_the_current_state_and_can_decline()
    {
        var cell = new PushStateCell("a");
        cell.Set(PushState.Unsupported, "404");

        var after = cell.Transition(s => s == PushState.Unsupported ? null : (PushState.Disconnected, "retrying"));

        Assert.Equal(PushState.Unsupported, after);
        Assert.Equal("404", cell.Detail);
    }
}
