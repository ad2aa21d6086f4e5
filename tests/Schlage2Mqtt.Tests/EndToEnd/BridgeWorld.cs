using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Schlage2Mqtt.Cli;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Hosting;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>How an end-to-end world is set up.</summary>
internal sealed record WorldOptions
{
    public string Protocol { get; init; } = "5";

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan CommandLatency { get; init; } = TimeSpan.FromMilliseconds(300);

    public bool Persistence { get; init; }

    public bool HomeAssistant { get; init; } = true;

    /// <summary>
    /// <c>schlage.push.mode</c>: <c>off</c> (polling only, what most tests want), <c>consumer_cloud</c> (the broker's
    /// websocket listener plays AWS IoT) or <c>subscribers</c> (the simulator's seed-004 API).
    /// </summary>
    public string Push { get; init; } = "off";

    /// <summary>
    /// Accounts besides the demo household, each with one Encode named "Cabin N" (topic <c>cabin_N</c>) and its own
    /// login; the bridge is configured with all of them.
    /// </summary>
    public int ExtraAccounts { get; init; }

    /// <summary>Extra YAML merged at the top level of the bridge's config (e.g. locks: ...).</summary>
    public string ExtraYaml { get; init; } = "";
}

/// <summary>
/// A real mosquitto, the Schlage cloud simulator (demo world: three locks of different models) and the bridge
/// composed exactly as <c>schlage2mqtt run</c> composes it. Tests talk to the broker only, like a user.
/// </summary>
internal sealed class BridgeWorld : IAsyncDisposable
{
    private readonly WorldOptions _options;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "s2m-e2e-" + Guid.NewGuid().ToString("N"));
    private IHost? _bridge;

    private BridgeWorld(WorldOptions options, MosquittoBroker broker, SchlageCloudSimulator cloud, ObserverClient observer)
    {
        _options = options;
        Broker = broker;
        Cloud = cloud;
        Observer = observer;
    }

    public MosquittoBroker Broker { get; }

    public SchlageCloudSimulator Cloud { get; }

    public ObserverClient Observer { get; }

    /// <summary>Everything the bridge logged (through its redacting console logger).</summary>
    public StringWriter Logs { get; } = new();

    public string DataDir => _dataDir;

    public static async Task<BridgeWorld> StartAsync(WorldOptions? options = null, bool startBridge = true)
    {
        options ??= new WorldOptions();
        var broker = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            Persistence = options.Persistence,
            WebSockets = options.Push == "consumer_cloud",
            // Save sessions on every change, so a killed broker comes back with the bridge's session and queued commands.
            ExtraConfig = options.Persistence ? ["autosave_on_changes true", "autosave_interval 1"] : [],
        });
        var simulated = DemoWorld.CreateOptions(seed: 1, port: 0, commandLatency: options.CommandLatency);
        simulated = simulated with
        {
            Accounts =
            [
                .. simulated.Accounts,
                .. Enumerable.Range(1, options.ExtraAccounts).Select(n => new AccountDefinition
                {
                    Email = ExtraEmail(n),
                    Password = DemoWorld.Password,
                    Locks = [new LockDefinition { DeviceId = ExtraLockId(n), Name = $"Cabin {n}", Model = LockModel.Encode, LockState = 1 }],
                }),
            ],
        };
        if (options.Push == "consumer_cloud")
        {
            simulated = simulated with
            {
                PushBrokerUrl = new Uri(broker.WebSocketUrl),
                PushPublishUrl = new Uri(broker.TcpUrl),
                PhoneAppReconnectDelay = TimeSpan.FromMilliseconds(300),
            };
        }
        var cloud = new SchlageCloudSimulator(simulated);
        await cloud.StartAsync();
        var observer = await ObserverClient.ConnectAsync(broker.TcpUrl);
        var world = new BridgeWorld(options, broker, cloud, observer);
        if (startBridge)
        {
            await world.StartBridgeAsync();
        }
        return world;
    }

    public async Task StartBridgeAsync(int maxCallsPerMinute = 600)
    {
        var yaml = string.Create(CultureInfo.InvariantCulture, $"""
            mqtt:
              server: {Broker.TcpUrl}
              client_id: s2m-e2e-bridge
              protocol_version: {_options.Protocol}
            homeassistant:
              enabled: {(_options.HomeAssistant ? "true" : "false")}
            schlage:
              # One poll a second would exceed the default budget of 30 calls a minute.
              max_calls_per_minute: {maxCallsPerMinute}
              api_base_url: {Cloud.ApiBaseUrl}
              cognito:
                endpoint: {Cloud.CognitoUrl}
                user_pool_id: {Cloud.Options.UserPoolId}
              accounts:
                - name: demo
                  username: {DemoWorld.Email}
                  password: '{DemoWorld.Password}'
            {ExtraAccountsYaml()}
              push:
                mode: {_options.Push}
                subscriber_api_url: {Cloud.SubscriberApiBaseUrl}
            data_dir: {_dataDir}
            log_level: debug
            {_options.ExtraYaml}
            """);
        var loaded = ConfigLoader.Parse(yaml, Path.Combine(_dataDir, "config.yaml"), new Hashtable());
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        // Faster than the real-cloud minimum: the simulator cannot block anyone and tests should not wait a minute.
        var config = loaded.Config! with { Bridge = loaded.Config!.Bridge with { PollInterval = _options.PollInterval } };
        var writer = TextWriter.Synchronized(Logs);
        _bridge = DaemonHost.Build(config, new CliContext(writer, writer, new Hashtable()));
        await _bridge.StartAsync();
    }

    public async Task StopBridgeAsync()
    {
        if (_bridge is not null)
        {
            await _bridge.StopAsync();
            _bridge.Dispose();
            _bridge = null;
        }
    }

    /// <summary>The login of extra account <paramref name="n"/> (1-based).</summary>
    public static string ExtraEmail(int n) => $"cabin{n}@example.com";

    /// <summary>The device id of extra account <paramref name="n"/>'s one lock.</summary>
    public static string ExtraLockId(int n) => $"c{n:0000000}-0000-4000-8000-000000000001";

    private string ExtraAccountsYaml() => string.Join("\n", Enumerable.Range(1, _options.ExtraAccounts).Select(n =>
        $"    - name: cabin{n}\n      username: {ExtraEmail(n)}\n      password: '{DemoWorld.Password}'"));

    /// <summary>The bridge's topic for a simulator lock.</summary>
    public static string Topic(string lockTopicId, string suffix = "") => $"schlage2mqtt/{lockTopicId}{suffix}";

    /// <summary>Waits until the bridge has published the state of all three demo locks and every extra account's lock.</summary>
    public async Task WaitForLocksAsync()
    {
        foreach (var id in new[] { "front_door", "back_door", "garage_side" }.Concat(Enumerable.Range(1, _options.ExtraAccounts).Select(n => $"cabin_{n}")))
        {
            await Observer.WaitOnAsync(Topic(id), p => p.Length > 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopBridgeAsync();
        await Observer.DisposeAsync();
        await Cloud.DisposeAsync();
        await Broker.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
