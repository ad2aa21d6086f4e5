using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Cloud;

/// <summary>
/// The lifecycle every push channel shares, so a provider writes only its transport: <see cref="ConnectOnceAsync"/>
/// connects once and reads until the connection closes. This class owns the rest:
/// <list type="bullet">
/// <item>start and stop: one background loop per start; <see cref="StopAsync"/> cancels it, waits for it, lets the
/// channel release what the cloud holds (<see cref="OnStoppedAsync"/>) and ends <see cref="PushState.Disabled"/>
/// (an <see cref="PushState.Unsupported"/> channel stays so: the cloud said no, and the bridge reports that).</item>
/// <item>the retry loop: exponential backoff with jitter (<see cref="PushBackoff"/>), reset by a connection that held
/// for <see cref="PushChannelOptions.StableConnectionTime"/>; the wait is on the injected clock, announced in
/// <see cref="NextAttemptAt"/>.</item>
/// <item>eviction, when <see cref="PushChannelOptions.Eviction"/> is set: a run of short connections
/// (<see cref="PushEvictionRule"/>) makes the channel <see cref="PushState.Evicted"/>, waiting the long evicted
/// backoff between attempts instead of fighting the other client; it is <see cref="PushState.Connected"/> again once
/// a connection holds for the stable time.</item>
/// <item>dispatch: <see cref="DispatchAsync"/> hands updates to <see cref="UpdateReceived"/> one at a time, and a
/// failing handler is logged, never the end of the channel.</item>
/// </list>
/// State changes go through a <see cref="PushStateCell"/>, whose contract holds: <see cref="StateChanged"/> handlers
/// run in order, outside the state lock, and may read any channel's state.
/// </summary>
public abstract class PushChannelBase : IPushChannel
{
    private readonly PushChannelOptions _options;
    private readonly PushStateCell _state;
    private readonly string _provider;
    private readonly object _gate = new();
    // Ended connections that can still count towards an eviction (bounded by the rule's own run).
    private readonly List<PushConnectionSpan> _history = [];
    private CancellationTokenSource? _stop;
    private Task _run = Task.CompletedTask;
    private DateTimeOffset? _nextAttemptAt;
    private DateTimeOffset? _connectedAt;
    private long _connection;
    private ITimer? _stableTimer;
    private int _unsupportedLogged;

    /// <summary>Creates a stopped channel.</summary>
    /// <param name="accountKey">The account's key.</param>
    /// <param name="provider">The provider's name as log lines start with it (e.g. <c>Schlage</c>).</param>
    /// <param name="options">Backoff and eviction.</param>
    /// <param name="time">The clock of every wait and timer.</param>
    /// <param name="logger">Where the lifecycle logs.</param>
    /// <param name="random">Jitter source in [0, 1); <see cref="Random.Shared"/> when null.</param>
    protected PushChannelBase(string accountKey, string provider, PushChannelOptions options, TimeProvider time, ILogger logger, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        AccountKey = accountKey;
        _provider = provider;
        _options = options;
        Time = time;
        Logger = logger;
        Backoff = new PushBackoff(options, random ?? Random.Shared.NextDouble);
        _state = new PushStateCell(this);
        _state.Changed += (sender, e) => StateChanged?.Invoke(sender, e);
    }

    /// <inheritdoc />
    public string AccountKey { get; }

    /// <inheritdoc />
    public PushState State => _state.State;

    /// <inheritdoc />
    public string? StateDetail => _state.Detail;

    /// <inheritdoc />
    public event EventHandler<PushStateChangedEventArgs>? StateChanged;

    /// <inheritdoc />
    public Func<PushedUpdate, CancellationToken, ValueTask>? UpdateReceived { get; set; }

    /// <summary>When the next connection attempt is due, while waiting between attempts; null otherwise.</summary>
    public DateTimeOffset? NextAttemptAt
    {
        get { lock (_gate) { return _nextAttemptAt; } }
    }

    /// <summary>The clock of every wait.</summary>
    protected TimeProvider Time { get; }

    /// <summary>The channel's logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>The delays, for a channel's own retries inside an attempt.</summary>
    protected PushBackoff Backoff { get; }

    /// <summary>The detail while connecting: at start and before each new attempt.</summary>
    protected abstract string ConnectingDetail { get; }

    /// <summary>Who takes the connection, for the evicted detail (e.g. "another client with the same client id").</summary>
    protected virtual string EvictingClient => "another client with the same identity";

    /// <summary>Why that happens, for the eviction warning.</summary>
    protected virtual string EvictionCause => "the cloud keeps one connection per identity";

    /// <summary>
    /// One attempt: connect, call <see cref="ReportConnected"/> once connected, hand updates to
    /// <see cref="DispatchAsync"/>, and return when the connection closes. Expected failures (the cloud refused, the
    /// transport broke) are returned as <see cref="PushAttempt.Ended"/>; an exception other than the cancellation of
    /// <paramref name="cancellationToken"/> (the stop) ends the channel as failed (a bug, logged).
    /// </summary>
    protected abstract Task<PushAttempt> ConnectOnceAsync(CancellationToken cancellationToken);

    /// <summary>After the loop stopped: releases what the cloud holds for the channel (e.g. deletes a subscriber). Best effort.</summary>
    protected virtual Task OnStoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                return Task.CompletedTask;
            }
            _stop = new CancellationTokenSource();
            var stop = _stop.Token;
            _state.Set(PushState.Connecting, ConnectingDetail);
            _run = Task.Run(() => RunAsync(stop), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? stop;
        Task run;
        lock (_gate)
        {
            stop = _stop;
            _stop = null;
            run = _run;
        }
        if (stop is null)
        {
            return;
        }
        await stop.CancelAsync();
        await run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
        lock (_gate)
        {
            _stableTimer?.Dispose();
            _stableTimer = null;
            _connectedAt = null;
            _nextAttemptAt = null;
        }
        await OnStoppedAsync(cancellationToken);
        _state.Transition(s => s == PushState.Unsupported ? null : (PushState.Disabled, "stopped"));
    }

    /// <summary>Stops without waiting or releasing anything (for an owner disposed synchronously).</summary>
    public void Abort()
    {
        lock (_gate)
        {
            _stop?.Cancel();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the channel; a derived channel releasing more overrides this and calls it.</summary>
    protected virtual async ValueTask DisposeAsyncCore() => await StopAsync(CancellationToken.None);

    /// <summary>
    /// Connected: records when (for the stable time and eviction) and sets <see cref="PushState.Connected"/>; after an
    /// eviction the channel stays <see cref="PushState.Evicted"/> until the connection has held. True in that case.
    /// </summary>
    protected bool ReportConnected()
    {
        var now = Time.GetUtcNow();
        lock (_gate)
        {
            _connectedAt = now;
            var connection = ++_connection;
            _stableTimer?.Dispose();
            _stableTimer = _options.Eviction is null
                ? null
                : Time.CreateTimer(static s => ((Stable)s!).Owner.OnStable(((Stable)s).Connection),
                    new Stable(this, connection), _options.StableConnectionTime, Timeout.InfiniteTimeSpan);
        }
        return _state.Transition(s => s switch
        {
            PushState.Unsupported or PushState.Disabled => null,
            PushState.Evicted => (PushState.Evicted,
                $"connected again after an eviction; trusted once the connection holds for {Describe(_options.StableConnectionTime)}"),
            _ => (PushState.Connected, null),
        }) == PushState.Evicted;
    }

    /// <summary>Progress inside an attempt (e.g. "connecting the websocket"); kept only while connecting or disconnected.</summary>
    protected void ReportProgress(string detail) =>
        _state.Transition(s => s is PushState.Connecting or PushState.Disconnected ? (PushState.Connecting, detail) : null);

    /// <summary>Hands one update to <see cref="UpdateReceived"/>; a failing handler is logged and the channel carries on.</summary>
    protected async ValueTask DispatchAsync(PushedUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (UpdateReceived is not { } handler)
        {
            return;
        }
        try
        {
            await handler(update, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logger.LogError(e, "{Provider} account {Account}: the push update handler failed for lock {DeviceId}", _provider, AccountKey, update.DeviceId);
        }
    }

    /// <summary>A duration as the state details and logs say it: <c>350 ms</c>, <c>4 s</c>, <c>12.5 min</c>.</summary>
    public static string Describe(TimeSpan span) => span switch
    {
        { TotalMinutes: >= 2 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min"),
        { TotalSeconds: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms"),
    };

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} {{ Account = {AccountKey}, State = {State} }}";

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        try
        {
            while (true)
            {
                PushAttempt outcome;
                try
                {
                    outcome = await ConnectOnceAsync(stop);
                }
                catch
                {
                    // Stopped or failed: a stable-time timer must not outlive its connection.
                    EndConnection();
                    throw;
                }
                var ended = EndConnection();
                if (outcome.IsUnsupported)
                {
                    MarkUnsupported(outcome.Detail);
                    return;
                }
                stop.ThrowIfCancellationRequested();
                var delay = AfterAttempt(outcome.Detail, ended, ref attempt);
                await WaitAsync(delay, stop);
                _state.Transition(s => s is PushState.Disconnected or PushState.Connecting ? (PushState.Connecting, ConnectingDetail) : null);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (Exception e)
        {
            Logger.LogError(e, "{Provider} account {Account}: the push channel failed", _provider, AccountKey);
            _state.Set(PushState.Disconnected, "the push channel failed unexpectedly; see the log");
        }
    }

    /// <summary>Sets the state an ended attempt leaves and returns the wait before the next.</summary>
    private TimeSpan AfterAttempt(string why, (TimeSpan? Lasted, EvictionVerdict Verdict) ended, ref int attempt)
    {
        var (lasted, verdict) = ended;
        if (lasted >= _options.StableConnectionTime)
        {
            attempt = 0;
        }
        var problem = lasted is { } d ? $"connection lost after {Describe(d)} ({why})" : why;
        var becameEvicted = false;
        var state = _state.Transition(s =>
        {
            if (s is PushState.Unsupported or PushState.Disabled)
            {
                return null;
            }
            if (s == PushState.Evicted)
            {
                // A failed attempt says nothing new while evicted; a short connection again is the app again.
                return lasted is null ? null : (PushState.Evicted, EvictedDetail());
            }
            if (verdict.Evicted)
            {
                becameEvicted = true;
                return (PushState.Evicted, EvictedDetail());
            }
            return (PushState.Disconnected, problem);
        });
        if (becameEvicted)
        {
            var eviction = _options.Eviction!;
            Logger.LogWarning(
                "{Provider} account {Account}: push channel evicted: {Count} connections in a row ended within {Stable} ({Cause}); waiting {Min}-{Max} between attempts instead of fighting it. Polling carries on.",
                _provider, AccountKey, verdict.ShortConnections, Describe(_options.StableConnectionTime), EvictionCause, Describe(eviction.BackoffMin), Describe(eviction.BackoffMax));
        }
        if (state == PushState.Evicted)
        {
            var wait = Backoff.Evicted();
            Logger.LogInformation("{Provider} account {Account}: push channel evicted; next attempt in {Delay}", _provider, AccountKey, Describe(wait));
            return wait;
        }
        var delay = Backoff.Next(++attempt);
        _state.Transition(s => s == PushState.Disconnected ? (s, $"{problem}; retrying in {Describe(delay)}") : null);
        Logger.LogInformation("{Provider} account {Account}: push channel: {Problem}; retrying in {Delay}", _provider, AccountKey, problem, Describe(delay));
        return delay;
    }

    /// <summary>
    /// Records the end of the attempt's connection in the eviction history; returns how long it lasted (null when the
    /// attempt never connected) and what the eviction rule says now.
    /// </summary>
    private (TimeSpan? Lasted, EvictionVerdict Verdict) EndConnection()
    {
        var now = Time.GetUtcNow();
        lock (_gate)
        {
            _stableTimer?.Dispose();
            _stableTimer = null;
            if (_connectedAt is not { } at)
            {
                return (null, default);
            }
            _connectedAt = null;
            var lasted = now - at;
            if (_options.Eviction is not { } eviction)
            {
                return (lasted, default);
            }
            _history.Add(new PushConnectionSpan(at, now));
            var verdict = PushEvictionRule.Judge(_history, now, _options.StableConnectionTime, eviction);
            // Older connections can never count again: keep the history to the run the rule counted.
            _history.RemoveRange(0, _history.Count - verdict.ShortConnections);
            return (lasted, verdict);
        }
    }

    private string EvictedDetail()
    {
        var eviction = _options.Eviction!;
        return $"{EvictingClient} keeps taking the connection; retrying every {Describe(eviction.BackoffMin)}-{Describe(eviction.BackoffMax)}, polling meanwhile";
    }

    private sealed record Stable(PushChannelBase Owner, long Connection);

    private void OnStable(long connection)
    {
        lock (_gate)
        {
            if (connection != _connection || _connectedAt is null)
            {
                return;
            }
        }
        var recovered = false;
        _state.Transition(s =>
        {
            if (s != PushState.Evicted)
            {
                return null;
            }
            recovered = true;
            return (PushState.Connected, null);
        });
        if (recovered)
        {
            Logger.LogInformation("{Provider} account {Account}: push channel connection holds again; no longer evicted", _provider, AccountKey);
        }
    }

    private void MarkUnsupported(string detail)
    {
        _state.Transition(s => s == PushState.Unsupported ? null : (PushState.Unsupported, detail));
        lock (_gate)
        {
            _nextAttemptAt = null;
        }
        if (Interlocked.Exchange(ref _unsupportedLogged, 1) == 0)
        {
            // Said once per channel: a stop and start (a reload) asks again, but the answer is no news.
            Logger.LogInformation("{Provider} account {Account}: {Detail}", _provider, AccountKey, detail);
        }
    }

    /// <summary>
    /// Waits on the clock, announced in <see cref="NextAttemptAt"/> meanwhile: between attempts, and for a channel's
    /// own retries inside one (so whoever watches the channel sees every wait the same way).
    /// </summary>
    protected async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _nextAttemptAt = Time.GetUtcNow() + delay;
        }
        try
        {
            await Task.Delay(delay, Time, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _nextAttemptAt = null;
            }
        }
    }
}
