using System.Diagnostics;
using System.Threading.Channels;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Schlage.Subscribers;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// The seed-004 subscriber push channel against the simulator's subscriber API and Socket.IO server, over loopback on the
/// fixture's manual clock: the clock moves only where a test moves it (backoff waits, Engine.IO pings), and every wait is
/// for a condition, never for time.
/// </summary>
public class SubscriberPushIntegrationTests(SimulatorFixture fixture) : IntegrationTest(fixture)
{
    /// <summary>Guards against a hang only; never a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly Channel<PushedUpdate> _updates = Channel.CreateUnbounded<PushedUpdate>();

    private SubscriberAdmin Subscribers => Fixture.Admin.Subscribers;

    [Fact]
    public async Task Events_for_the_accounts_locks_arrive_as_partial_updates()
    {
        await using var push = await ConnectedAsync();

        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);
        Fixture.Admin.SetDoorState(SimulatorFixture.EncodePlusId, 1);
        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: true);
        Fixture.Admin.Jam(SimulatorFixture.LeverId);

        Assert.Equal(new PushedUpdate(SimulatorFixture.EncodeId, null, LockState.Unlocked, null, null), await NextAsync());
        Assert.Equal(new PushedUpdate(SimulatorFixture.EncodePlusId, null, LockState.Unlocked, DoorState.Open, null), await NextAsync());
        Assert.Equal(new PushedUpdate(SimulatorFixture.EncodeId, null, LockState.Locked, null, null), await NextAsync());
        Assert.Equal(new PushedUpdate(SimulatorFixture.LeverId, null, LockState.Jammed, null, null), await NextAsync());
        Assert.Equal(PushState.Connected, push.State);
        Assert.Null(push.StateDetail);
    }

    [Fact]
    public async Task An_event_for_a_lock_the_account_has_not_read_is_ignored_and_logged_once()
    {
        await using var push = await ConnectedAsync();

        // Added after the account listed its locks: the server reports it, the client does not know it yet.
        var shed = Fixture.Admin.AddLock(new LockDefinition { Name = "Shed", Model = LockModel.Encode, LockState = 1 }, SimulatorFixture.Email);
        Fixture.Admin.TurnThumbturn(shed, locked: false);
        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);

        Assert.Equal(SimulatorFixture.EncodeId, (await NextAsync()).DeviceId);
        Assert.Equal(3, Subscribers.List().Single().EventsSent);
        Assert.Single(Client.Logs.Lines, l => l.Text.Contains("not one of the account's locks", StringComparison.Ordinal));
        Assert.False(_updates.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Engine_io_pings_are_answered_so_the_connection_outlives_many_ping_windows()
    {
        await using var push = await ConnectedAsync();
        var interval = Fixture.Simulator.Options.SubscriberPingInterval;
        var window = interval + Fixture.Simulator.Options.SubscriberPingTimeout;

        // Four intervals are more than twice the silence either side tolerates (interval + timeout).
        for (var i = 1; i <= 4; i++)
        {
            Client.Time.Advance(interval);
            await UntilAsync(() => Subscribers.List().Single().PongsReceived == i, "the client never answered the server's ping");
        }

        Assert.True(4 * interval > 2 * window);
        Assert.Equal(PushState.Connected, push.State);
        Assert.Equal(1, Subscribers.List().Single().Connections);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.SubscriberSocket));
        Assert.Equal(1, push.SubscribersCreated);
        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);
        Assert.Equal(LockState.Unlocked, (await NextAsync()).State);
    }

    [Fact]
    public async Task A_dropped_connection_reconnects_after_backoff_with_the_same_subscriber()
    {
        await using var push = await ConnectedAsync();
        var id = Subscribers.List().Single().SubscriberId;

        Assert.Equal(1, Subscribers.DropConnections());

        Assert.Equal(1, await ReconnectAsync(push));
        Assert.Equal(id, Subscribers.List().Single().SubscriberId);
        Assert.Equal(1, push.SubscribersCreated);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.CreateSubscriber));
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.GetSubscriber));
        Assert.Equal(2, Client.Calls.Count(ApiEndpoint.SubscriberSocket));
        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);
        Assert.Equal(SimulatorFixture.EncodeId, (await NextAsync()).DeviceId);
    }

    [Fact]
    public async Task An_expired_subscriber_is_re_created()
    {
        await using var push = await ConnectedAsync();
        var id = Subscribers.List().Single().SubscriberId;

        Assert.True(Subscribers.Expire(id));

        Assert.Equal(1, await ReconnectAsync(push));
        Assert.NotEqual(id, Subscribers.List().Single().SubscriberId);
        Assert.Equal(2, push.SubscribersCreated);
        Assert.Contains("GetSubscriber:404", Client.ApiCallsSince(0));
        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);
        Assert.Equal(SimulatorFixture.EncodeId, (await NextAsync()).DeviceId);
    }

    [Fact]
    public async Task A_refused_join_re_creates_the_subscriber_even_when_it_could_not_be_read_back()
    {
        // No read retries: the one 503 is the answer (retries would wait on the manual clock).
        await using var push = await ConnectedAsync(o => o with { ReadRetries = 0 });
        var id = Subscribers.List().Single().SubscriberId;
        // The read-back fails, so the client keeps the old id and learns from the socket's connect_error that it is gone.
        Fixture.Admin.AddFault(FaultRule.Error(503, ApiEndpoint.GetSubscriber) with { Count = 1 });

        Assert.True(Subscribers.Expire(id));

        // One retry meets the 503 and the refused join, the next re-creates.
        Assert.Equal(2, await ReconnectAsync(push));
        Assert.NotEqual(id, Subscribers.List().Single().SubscriberId);
        Assert.Equal(2, push.SubscribersCreated);
        Assert.Contains("GetSubscriber:503", Client.ApiCallsSince(0));
        Assert.Equal(3, Client.Calls.Count(ApiEndpoint.SubscriberSocket));
    }

    [Fact]
    public async Task Stopping_deletes_the_subscriber()
    {
        var push = await ConnectedAsync();
        var id = Subscribers.List().Single().SubscriberId;

        await push.StopAsync(default);

        Assert.Equal(PushState.Disabled, push.State);
        Assert.Empty(Subscribers.List());
        Assert.Equal(["CreateSubscriber:200", "SubscriberSocket:101", "DeleteSubscriber:200"],
            Client.ApiCallsSince(0).Where(c => c.Contains("Subscriber", StringComparison.Ordinal)));
        Assert.DoesNotContain(Client.Logs.Lines, l => l.Text.Contains(id, StringComparison.Ordinal));
        await push.DisposeAsync();
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.DeleteSubscriber));
    }

    [Fact]
    public async Task A_404_to_the_creation_means_unsupported_and_polling_only()
    {
        Subscribers.Enabled = false;
        var push = await ChannelAsync();

        await push.StartAsync(default);
        await UntilAsync(() => push.State == PushState.Unsupported, "the channel never gave up on a 404");

        Assert.Contains("404", push.StateDetail, StringComparison.Ordinal);
        Assert.Equal(0, Client.Calls.Count(ApiEndpoint.SubscriberSocket));
        Assert.Null(push.NextAttemptAt);
        await push.StopAsync(default);
        Assert.Equal(PushState.Unsupported, push.State);
        Assert.Equal(0, Client.Calls.Count(ApiEndpoint.DeleteSubscriber));
    }

    [Fact]
    public async Task Server_errors_on_creation_are_retried_with_backoff()
    {
        Fixture.Admin.AddFault(FaultRule.Error(500, ApiEndpoint.CreateSubscriber) with { Count = 1 });
        await using var push = await ChannelAsync();

        await push.StartAsync(default);
        var due = await ArmedRetryAsync(push, after: null, "no retry was scheduled");
        Assert.Equal(PushState.Disconnected, push.State);
        Assert.Contains("could not create a websocket subscriber", push.StateDetail, StringComparison.Ordinal);
        Assert.Equal(Client.Time.GetUtcNow() + TimeSpan.FromSeconds(2), due);

        Client.Time.Advance(due - Client.Time.GetUtcNow());
        await UntilAsync(() => push.State == PushState.Connected && Subscribers.List() is [{ Connections: 1 }], "the retry never connected");
        Assert.Equal(2, Client.Calls.Count(ApiEndpoint.CreateSubscriber));
    }

    private async Task<SubscriberPushChannel> ChannelAsync(Func<SchlageCloudOptions, SchlageCloudOptions>? tweak = null)
    {
        var account = await Client.ReadyAccountAsync(o => (tweak?.Invoke(o) ?? o) with
        {
            Push = new PushOptions
            {
                Mode = PushMode.Subscribers,
                SubscriberApiBaseUrl = Fixture.Simulator.SubscriberApiBaseUrl,
                Jitter = 0,
            },
        });
        var push = Assert.IsType<SubscriberPushChannel>(account.Push);
        push.UpdateReceived = (update, _) =>
        {
            _updates.Writer.TryWrite(update);
            return ValueTask.CompletedTask;
        };
        return push;
    }

    private async Task<SubscriberPushChannel> ConnectedAsync(Func<SchlageCloudOptions, SchlageCloudOptions>? tweak = null)
    {
        var push = await ChannelAsync(tweak);
        await push.StartAsync(default);
        await UntilAsync(() => push.State == PushState.Connected && Subscribers.List() is [{ Connections: 1 }], "the channel never connected");
        return push;
    }

    /// <summary>
    /// After a lost connection: moves the clock to each scheduled retry until connected again; returns how many retries
    /// it took. A retry counts as scheduled only once its timer is armed and it is not the one just skipped to, so the
    /// clock never moves before the channel starts waiting (the wait would then never end).
    /// </summary>
    private async Task<int> ReconnectAsync(SubscriberPushChannel push)
    {
        var due = await ArmedRetryAsync(push, after: null, "no reconnection was scheduled");
        Assert.Equal(PushState.Disconnected, push.State);
        var retries = 0;
        while (true)
        {
            Client.Time.Advance(due - Client.Time.GetUtcNow());
            retries++;
            var previous = due;
            var next = await UntilAsync(
                () => IsReconnected(push) ? DateTimeOffset.MinValue : ArmedRetry(push, previous),
                "the channel never reconnected nor scheduled another attempt");
            if (next == DateTimeOffset.MinValue)
            {
                return retries;
            }
            Assert.True(retries < 5, "the channel keeps failing to reconnect");
            due = next;
        }
    }

    private bool IsReconnected(SubscriberPushChannel push) =>
        push.State == PushState.Connected && Subscribers.List() is [{ Connections: 1 }];

    /// <summary>The channel's next attempt once its timer is armed, and later than <paramref name="after"/>; null until then.</summary>
    private DateTimeOffset? ArmedRetry(SubscriberPushChannel push, DateTimeOffset? after) =>
        push.NextAttemptAt is { } next && (after is null || next > after) && Client.Clock.HasTimerDueAt(next) ? next : null;

    private async Task<DateTimeOffset> ArmedRetryAsync(SubscriberPushChannel push, DateTimeOffset? after, string because) =>
        await UntilAsync(() => ArmedRetry(push, after), because);

    private async Task<PushedUpdate> NextAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard);
        return await _updates.Reader.ReadAsync(guard.Token);
    }

    private static async Task UntilAsync(Func<bool> condition, string because) =>
        await UntilAsync(() => condition() ? true : (bool?)null, because);

    private static async Task<T> UntilAsync<T>(Func<T?> value, string because)
        where T : struct
    {
        var guard = Stopwatch.StartNew();
        while (true)
        {
            if (value() is { } v)
            {
                return v;
            }
            Assert.True(guard.Elapsed < HangGuard, because);
            await Task.Delay(1);
        }
    }
}
