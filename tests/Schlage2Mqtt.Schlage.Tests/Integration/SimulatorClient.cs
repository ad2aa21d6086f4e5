using Schlage2Mqtt.Cloud;
using System.Diagnostics;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Schlage.Tests.Support;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// The real client pointed at the fixture's simulator over loopback: HTTP through a <see cref="WireTap"/>,
/// the fixture's manual clock, captured logs and a refresh-token store; one per test.
/// </summary>
public sealed class SimulatorClient : IDisposable
{
    /// <summary>Guards against a hang only; never a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly SimulatorFixture _fixture;
    private readonly List<IDisposable> _owned = [];

    /// <param name="fixture">The class's simulator.</param>
    /// <param name="loggedIn">Start with the fixture's login in the store under "home" (as after <c>schlage2mqtt login</c>); false starts from nothing.</param>
    public SimulatorClient(SimulatorFixture fixture, bool loggedIn = true)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _fixture = fixture;
        Http = new HttpClient(Tap) { Timeout = Timeout.InfiniteTimeSpan };
        if (loggedIn)
        {
            Store.SaveAsync("home", fixture.SharedLogin, default).AsTask().GetAwaiter().GetResult();
        }
    }

    public WireTap Tap { get; } = new();

    public HttpClient Http { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public InMemoryRefreshTokenStore Store { get; } = new();

    public ManualTimeProvider Time => _fixture.Time;

    public TimerTrackingClock Clock => _fixture.Clock;

    public SchlageCloudSimulator Simulator => _fixture.Simulator;

    public CallLog Calls => _fixture.Simulator.Calls;

    public static SchlageAccountOptions OwnerAccount(string key = "home") =>
        new() { Key = key, Username = SimulatorFixture.Email, Password = SimulatorFixture.Password };

    /// <summary>Client options for the simulator: only the two URLs differ from the real cloud's defaults.</summary>
    public SchlageCloudOptions Options(params SchlageAccountOptions[] accounts) => new()
    {
        ApiBaseUrl = Simulator.ApiBaseUrl,
        Cognito = new CognitoOptions { Endpoint = Simulator.CognitoUrl },
        Accounts = accounts,
    };

    public SchlageLockCloudProvider Provider(SchlageAccountOptions? account = null, Func<SchlageCloudOptions, SchlageCloudOptions>? tweak = null)
    {
        var options = Options(account ?? OwnerAccount());
        options = tweak?.Invoke(options) ?? options;
        var provider = new SchlageLockCloudProvider(options, Store, Http, Clock, Logs);
        _owned.Add(provider);
        return provider;
    }

    public SchlageLockAccount Account(SchlageAccountOptions? account = null, Func<SchlageCloudOptions, SchlageCloudOptions>? tweak = null)
    {
        var options = account ?? OwnerAccount();
        return Provider(options, tweak).Account(options.Key);
    }

    /// <summary>An account that has already listed its locks (logged in, devices known).</summary>
    public async Task<SchlageLockAccount> ReadyAccountAsync(Func<SchlageCloudOptions, SchlageCloudOptions>? tweak = null)
    {
        var account = Account(tweak: tweak);
        var locks = await account.ListLocksAsync(default);
        Assert.True(locks.IsSuccess, locks.Failure?.ToString());
        return account;
    }

    public SchlageLogin Login(Func<SchlageCloudOptions, SchlageCloudOptions>? tweak = null)
    {
        var options = Options();
        return new SchlageLogin(tweak?.Invoke(options) ?? options, Store, Http, Clock, Logs);
    }

    /// <summary>
    /// Runs an operation that waits on the manual clock (retry backoff, Retry-After, call budget):
    /// whenever the client has nothing in flight and is still not done, the clock moves one step, at most
    /// to the next timer due, so timers fire one instant at a time. The clock never moves while a request is
    /// on the wire, so the simulator stamps every call with the time the client sent it (for operations
    /// started with <see cref="Launch{T}"/>; see there). Assertions never depend on how many steps it took.
    /// </summary>
    public async Task<T> Drive<T>(Task<T> task, TimeSpan? step = null, int maxSteps = 20_000)
    {
        var by = step ?? TimeSpan.FromSeconds(1);
        var guard = Stopwatch.StartNew();
        var steps = 0;
        while (!task.IsCompleted)
        {
            Assert.True(guard.Elapsed < HangGuard, "The operation hung with a request in flight.");
            if (Tap.InFlight > 0)
            {
                await Task.WhenAny(task, Tap.WhenIdleAsync(), Task.Delay(HangGuard));
                continue;
            }
            // Let continuations of the last answer run before deciding the client waits on the clock.
            for (var spin = 0; spin < 20 && !task.IsCompleted && Tap.InFlight == 0; spin++)
            {
                await Task.Yield();
                Thread.Yield();
            }
            if (task.IsCompleted || Tap.InFlight > 0)
            {
                continue;
            }
            Assert.True(++steps <= maxSteps, $"The operation did not finish within {maxSteps} clock steps.");
            var now = Time.GetUtcNow();
            Time.Advance(Clock.NextDueAt is { } due && due - now < by ? (due > now ? due - now : TimeSpan.Zero) : by);
        }
        return await task;
    }

    /// <summary>
    /// Starts an operation on this thread without the test framework's synchronization context. xunit posts
    /// continuations to its own threads, so a call admitted by the call budget could reach the wire only after
    /// <see cref="Drive{T}"/> has moved the clock; without the context every continuation of a timer runs inside
    /// <see cref="ManualTimeProvider.Advance"/> and the call is on the wire (in flight) before the clock moves again.
    /// </summary>
    public static Task<T> Launch<T>(Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return operation();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    /// <summary>Waits until <paramref name="count"/> timers are armed on the clock (a request parked on it by the simulator).</summary>
    public async Task UntilTimersAsync(int count)
    {
        var guard = Stopwatch.StartNew();
        while (Time.ActiveTimerCount < count)
        {
            Assert.True(guard.Elapsed < HangGuard, "The simulator never parked the request on the clock.");
            await Task.Yield();
        }
    }

    /// <summary>The REST calls the simulator answered since <paramref name="afterSequence"/>, as "Endpoint:status".</summary>
    public IReadOnlyList<string> ApiCallsSince(long afterSequence) =>
        [.. Calls.RecordsAfter(afterSequence).Where(r => r.Surface == CallSurface.Api).Select(r => $"{r.Operation}:{r.StatusCode}")];

    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }
        Http.Dispose();
    }
}
