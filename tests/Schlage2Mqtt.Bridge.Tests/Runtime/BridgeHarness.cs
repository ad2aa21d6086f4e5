using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>A bridge wired to a fake broker and a fake cloud account, on a manual clock.</summary>
internal sealed class BridgeHarness : IAsyncDisposable
{
    private readonly string _dataDir;

    public BridgeHarness(BridgeOptions? options = null, string? dataDir = null, FakeLockAccount? account = null)
    {
        Loggers = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        _dataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "s2m-bridge-" + Guid.NewGuid().ToString("N"));
        Options = options ?? new BridgeOptions { BaseTopic = "s2m", Version = "9.9.9", PollJitter = 0 };
        Account = account ?? new FakeLockAccount();
        Store = new StateStore(_dataDir, Loggers.CreateLogger<StateStore>(), Time);
        var services = new ServiceCollection()
            .AddSingleton<IMqttClient>(Mqtt)
            .AddSingleton<ILockCloudProvider>(Account)
            .AddSingleton(Store)
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton(Loggers)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddBridge(Options, new Random(7));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Runtime = Services.GetRequiredService<BridgeRuntime>();
    }

    public ManualTimeProvider Time { get; } = new();

    public FakeMqttClient Mqtt { get; } = new();

    public FakeLockAccount Account { get; }

    public ListLoggerProvider Logs { get; } = new();

    public ILoggerFactory Loggers { get; }

    public BridgeOptions Options { get; }

    public StateStore Store { get; }

    public BridgeRuntime Runtime { get; }

    /// <summary>The container <c>AddBridge</c> composed the bridge in (to reach the core: hub, events, background work).</summary>
    public ServiceProvider Services { get; }

    public string DataDir => _dataDir;

    public async Task StartAsync()
    {
        await Runtime.StartAsync(CancellationToken.None);
        // Settled: the first poll is applied and the connect announcement (which ends with health) is out.
        await Eventually(() => Runtime.Health().Document["cloud"]![0]!["polls"]!.GetValue<long>() >= 1 && Mqtt.On("s2m/bridge/health").Count >= 1, "started");
    }

    /// <summary>The bridge's typed event hub (to observe what the core raises).</summary>
    public BridgeEvents Events => Services.GetRequiredService<BridgeEvents>();

    /// <summary>
    /// Waits until no background task is running or queued (what the bridge started in reaction has finished); fails
    /// after a generous limit. Work waiting on the manual clock is running: advance the clock for that.
    /// </summary>
    public async Task WhenIdleAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Services.GetRequiredService<BackgroundWork>().WhenIdleAsync(limit.Token);
    }

    /// <summary>Polls a condition the background work will make true; fails after a generous limit.</summary>
    public static async Task Eventually(Func<bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition never became true: " + what);
            }
            await Task.Delay(5);
        }
    }

    /// <summary>Moves the manual clock in steps until the condition holds (background work needs real time to react).</summary>
    public async Task AdvanceUntil(Func<bool> condition, TimeSpan step, int maxSteps = 200, string? what = null)
    {
        for (var i = 0; i < maxSteps && !condition(); i++)
        {
            // Timers must not fire ahead of the work the last step released (seen in CI under load).
            await ThreadPoolQuiet.WaitAsync(condition);
            Time.Advance(step);
            for (var spin = 0; spin < 20 && !condition(); spin++)
            {
                await Task.Delay(2);
            }
        }
        if (!condition())
        {
            throw new TimeoutException($"Condition never became true after {maxSteps} steps of {step}: {what}");
        }
    }

    public string Diagnostics() =>
        $"list calls {Account.Calls("list")}; published: {string.Join(", ", Mqtt.Published.Select(m => m.Topic).Distinct())}; logs:\n"
        + string.Join("\n", Logs.Entries.TakeLast(20).Select(e => $"{e.Level} {e.Category}: {e.FullText}"));

    public JsonNode? Last(string topic)
    {
        var payload = Mqtt.On(topic).LastOrDefault();
        return string.IsNullOrEmpty(payload) ? null : JsonNode.Parse(payload);
    }

    public string? LastState(string topicId) => Last($"s2m/{topicId}")?["state"]?.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await Services.DisposeAsync();
        Store.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Keeps the data directory for a restart test.</summary>
    public async ValueTask StopKeepingDataAsync()
    {
        await Runtime.DisposeAsync();
        await Services.DisposeAsync();
        Store.Dispose();
    }
}
