using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Schlage.Tests.Push;

/// <summary>
/// The lifecycle both push channels share, driven by a scripted transport on a manual clock: each attempt runs the
/// next step the test supplies, and the clock moves only where the test moves it.
/// </summary>
public sealed class PushChannelBaseTests
{
    /// <summary>Guards against a hang only; never a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private static readonly PushChannelOptions Plain = new() { ReconnectDelay = TimeSpan.FromSeconds(2), Jitter = 0 };

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Backoff_doubles_per_failed_attempt_and_a_connection_that_held_resets_it()
    {
        await using var channel = new ScriptedChannel(Plain, _time);
        await channel.StartAsync(default);

        channel.Next((_, _) => Task.FromResult(PushAttempt.Ended("refused")));
        Assert.Equal(TimeSpan.FromSeconds(2), await WaitingAsync(channel));
        Assert.Equal(PushState.Disconnected, channel.State);
        Assert.Equal("refused; retrying in 2 s", channel.StateDetail);

        channel.Next((_, _) => Task.FromResult(PushAttempt.Ended("refused")));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(4), await WaitingAsync(channel));

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var close = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Next(async (c, _) =>
        {
            c.Connected();
            connected.SetResult();
            await close.Task;
            return PushAttempt.Ended("closed");
        });
        _time.Advance(TimeSpan.FromSeconds(4));
        await connected.Task.WaitAsync(HangGuard);
        _time.Advance(Plain.StableConnectionTime);
        close.SetResult();
        Assert.Equal(TimeSpan.FromSeconds(2), await WaitingAsync(channel));
        Assert.Equal("connection lost after 30 s (closed); retrying in 2 s", channel.StateDetail);
    }

    [Fact]
    public async Task Unsupported_ends_the_attempts_and_survives_a_stop()
    {
        var channel = new ScriptedChannel(Plain, _time);
        channel.Next((_, _) => Task.FromResult(PushAttempt.Unsupported("no push here (404)")));

        await channel.StartAsync(default);
        await UntilAsync(() => channel.State == PushState.Unsupported);
        _time.Advance(TimeSpan.FromHours(1));
        await channel.StopAsync(default);

        Assert.Equal(PushState.Unsupported, channel.State);
        Assert.Equal("no push here (404)", channel.StateDetail);
        Assert.Null(channel.NextAttemptAt);
        Assert.Equal(1, channel.Attempts);
        Assert.Equal(1, channel.Stopped);
    }

    [Fact]
    public async Task Short_connections_in_a_row_are_an_eviction_that_a_connection_holding_ends()
    {
        var options = Plain with { Eviction = new PushEvictionOptions { Connections = 2 } };
        await using var channel = new ScriptedChannel(options, _time);
        var states = new List<PushState>();
        channel.StateChanged += (_, e) => states.Add(e.State);
        await channel.StartAsync(default);

        channel.Next((c, _) => Task.FromResult(c.Connected() ? PushAttempt.Ended("unexpected") : PushAttempt.Ended("kicked")));
        Assert.Equal(TimeSpan.FromSeconds(2), await WaitingAsync(channel));
        channel.Next((c, _) => Task.FromResult(c.Connected() ? PushAttempt.Ended("unexpected") : PushAttempt.Ended("kicked")));
        _time.Advance(TimeSpan.FromSeconds(2));
        var wait = await WaitingAsync(channel);

        Assert.Equal(PushState.Evicted, channel.State);
        Assert.InRange(wait, options.Eviction.BackoffMin, options.Eviction.BackoffMax);

        // The other client gives up: the next connection is on trial until it has held for the stable time.
        var trial = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Next(async (c, ct) =>
        {
            trial.SetResult(c.Connected());
            await Task.Delay(Timeout.Infinite, ct);
            return PushAttempt.Ended("unreachable");
        });
        _time.Advance(wait);
        Assert.True(await trial.Task.WaitAsync(HangGuard));
        Assert.Equal(PushState.Evicted, channel.State);
        Assert.Contains("connected again", channel.StateDetail, StringComparison.Ordinal);
        _time.Advance(options.StableConnectionTime);
        await UntilAsync(() => channel.State == PushState.Connected);

        Assert.Equal([PushState.Connecting, PushState.Connected, PushState.Disconnected, PushState.Connecting, PushState.Connected, PushState.Evicted, PushState.Connected], states);
    }

    [Fact]
    public async Task A_failing_update_handler_is_logged_and_the_next_update_still_arrives()
    {
        await using var channel = new ScriptedChannel(Plain, _time);
        var seen = Channel.CreateUnbounded<string>();
        channel.UpdateReceived = (update, ct) => update.DeviceId == "bad"
            ? throw new InvalidOperationException("handler bug")
            : seen.Writer.WriteAsync(update.DeviceId, ct);
        channel.Next(async (c, ct) =>
        {
            c.Connected();
            await c.Dispatch(new PushedUpdate("bad", null, LockState.Locked, null, null), ct);
            await c.Dispatch(new PushedUpdate("good", null, LockState.Unlocked, null, null), ct);
            await Task.Delay(Timeout.Infinite, ct);
            return PushAttempt.Ended("unreachable");
        });

        await channel.StartAsync(default);

        using var guard = new CancellationTokenSource(HangGuard);
        Assert.Equal("good", await seen.Reader.ReadAsync(guard.Token));
        Assert.Equal(PushState.Connected, channel.State);
    }

    [Fact]
    public async Task Stopping_while_waiting_is_prompt_releases_once_and_leaves_the_channel_disabled()
    {
        var channel = new ScriptedChannel(Plain, _time);
        channel.Next((_, _) => Task.FromResult(PushAttempt.Ended("refused")));
        await channel.StartAsync(default);
        await WaitingAsync(channel);

        await channel.StopAsync(default).WaitAsync(HangGuard);
        await channel.DisposeAsync();

        Assert.Equal(PushState.Disabled, channel.State);
        Assert.Null(channel.NextAttemptAt);
        Assert.Equal(1, channel.Stopped);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, channel.Attempts);
    }

    /// <summary>Waits until the channel waits between attempts; returns how long the wait is.</summary>
    private async Task<TimeSpan> WaitingAsync(ScriptedChannel channel)
    {
        DateTimeOffset at = default;
        await UntilAsync(() => channel.NextAttemptAt is { } next && (at = next) > _time.GetUtcNow() && _time.ActiveTimerCount > 0);
        return at - _time.GetUtcNow();
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var guard = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(guard.Elapsed < HangGuard, "the condition never held");
            // Polling a condition, not sleeping for ordering.
            await Task.Delay(1);
        }
    }

    /// <summary>A channel whose every attempt is the next step the test queued.</summary>
    private sealed class ScriptedChannel(PushChannelOptions options, TimeProvider time)
        : PushChannelBase("account", "Test", options, time, NullLogger.Instance, () => 0.5)
    {
        private readonly Channel<Func<ScriptedChannel, CancellationToken, Task<PushAttempt>>> _steps =
            Channel.CreateUnbounded<Func<ScriptedChannel, CancellationToken, Task<PushAttempt>>>();
        private int _attempts;
        private int _stopped;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Stopped => Volatile.Read(ref _stopped);

        protected override string ConnectingDetail => "connecting";

        public void Next(Func<ScriptedChannel, CancellationToken, Task<PushAttempt>> step) => _steps.Writer.TryWrite(step);

        public bool Connected() => ReportConnected();

        public ValueTask Dispatch(PushedUpdate update, CancellationToken cancellationToken) => DispatchAsync(update, cancellationToken);

        protected override async Task<PushAttempt> ConnectOnceAsync(CancellationToken cancellationToken)
        {
            var step = await _steps.Reader.ReadAsync(cancellationToken);
            Interlocked.Increment(ref _attempts);
            return await step(this, cancellationToken);
        }

        protected override Task OnStoppedAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _stopped);
            return Task.CompletedTask;
        }
    }
}
