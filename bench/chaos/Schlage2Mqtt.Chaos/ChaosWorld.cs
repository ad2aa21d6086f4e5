using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Chaos;

/// <summary>
/// One run's world: the simulated cloud (the demo household plus an empty "Chaos Lock" taking codes of any length,
/// so the suite's 8-digit PINs are distinctive enough to grep for), a private mosquitto on loopback, and the config of a
/// daemon pointed at both. Starts and stops its own processes only.
/// </summary>
public sealed class ChaosWorld : IAsyncDisposable
{
    /// <summary>The lock access-code chaos works on.</summary>
    public const string ChaosLockId = "c4a05000-0000-4000-8000-000000000004";

    /// <summary>Its topic id.</summary>
    public const string ChaosLockTopic = "chaos_lock";

    private ChaosWorld(SchlageCloudSimulator cloud, MosquittoBroker broker, string directory, string executable)
    {
        Cloud = cloud;
        Broker = broker;
        Directory = directory;
        Executable = executable;
    }

    /// <summary>The simulated cloud (in process: its admin API injects faults and shows the codes).</summary>
    public SchlageCloudSimulator Cloud { get; }

    /// <summary>The private broker.</summary>
    public MosquittoBroker Broker { get; }

    /// <summary>Scratch directory of this world.</summary>
    public string Directory { get; }

    /// <summary>The daemon under test.</summary>
    public string Executable { get; }

    /// <summary>Every line every daemon of this world wrote.</summary>
    public ConcurrentQueue<string> DaemonLines { get; } = new();

    /// <summary>Starts the simulator and a broker.</summary>
    public static async Task<ChaosWorld> StartAsync(string executable, MosquittoOptions? broker = null, CancellationToken cancellationToken = default)
    {
        var demo = DemoWorld.CreateOptions(seed: 1, port: 0, commandLatency: TimeSpan.FromMilliseconds(300));
        var account = demo.Accounts[0];
        var options = demo with
        {
            Accounts = [account with
            {
                Locks = [.. account.Locks, new LockDefinition { DeviceId = ChaosLockId, Name = "Chaos Lock", Model = LockModel.EncodePlus, LockState = 1, BatteryLevel = 90, VariableLengthCodes = true }],
            }],
        };
        var cloud = new SchlageCloudSimulator(options);
        await cloud.StartAsync(cancellationToken);
        var mosquitto = await MosquittoBroker.StartAsync(broker);
        return new ChaosWorld(cloud, mosquitto, System.IO.Directory.CreateTempSubdirectory("s2m-chaos-").FullName, executable);
    }

    /// <summary>Writes a config for a daemon on <paramref name="baseTopic"/> keeping its state in <paramref name="dataDir"/>.</summary>
    /// <param name="name">Config file name and MQTT client id suffix.</param>
    /// <param name="baseTopic">The daemon's base topic.</param>
    /// <param name="dataDir">Its state directory.</param>
    /// <param name="server">The broker URL (the private broker's TCP URL when null).</param>
    /// <param name="schlage">Extra <c>schlage:</c> keys, e.g. <c>max_retry_after: 10s</c>.</param>
    public string WriteConfig(string name, string baseTopic, string dataDir, string? server = null, string? schlage = null)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"""
            mqtt:
              server: {server ?? Broker.TcpUrl}
              client_id: chaos-{name}
              base_topic: {baseTopic}
            homeassistant:
              enabled: false
            schlage:
              poll_interval: 15s
              max_calls_per_minute: 600
            {(schlage is null ? "" : "  " + schlage)}
              api_base_url: {Cloud.ApiBaseUrl}
              cognito:
                endpoint: {Cloud.CognitoUrl}
                user_pool_id: {Cloud.Options.UserPoolId}
              push:
                mode: off
              accounts:
                - name: demo
                  username: {DemoWorld.Email}
                  password: '{DemoWorld.Password}'
            access_codes:
              response_timeout: 10s
            data_dir: {dataDir}
            log_level: info
            """);
        var path = Path.Combine(Directory, name + ".yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    /// <summary>Starts a daemon with <paramref name="config"/>.</summary>
    public ChaosDaemon StartDaemon(string config) => ChaosDaemon.Start(Executable, config, DaemonLines);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Cloud.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
