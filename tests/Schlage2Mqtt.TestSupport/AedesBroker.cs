namespace Schlage2Mqtt.TestSupport;

/// <summary>
/// A private aedes broker (Node.js, MQTT 3.1.1) on a free loopback port, the second broker implementation for
/// interoperability tests. Needs <c>npm ci</c> in the directory holding <c>aedes-broker.mjs</c>.
/// </summary>
public sealed class AedesBroker : IAsyncDisposable
{
    private readonly BrokerProcess _process;

    private AedesBroker(BrokerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The MQTT port.</summary>
    public int Port { get; }

    /// <summary><c>mqtt://127.0.0.1:port</c>.</summary>
    public string TcpUrl => $"mqtt://127.0.0.1:{Port}";

    /// <summary>What the broker printed.</summary>
    public string Log => _process.Log;

    /// <summary>
    /// Starts <c>node aedes-broker.mjs PORT</c> from <paramref name="interopDirectory"/> (which holds package.json
    /// and node_modules); fails with the command to run when aedes is not installed.
    /// </summary>
    public static async Task<AedesBroker> StartAsync(string interopDirectory)
    {
        var script = Path.Combine(interopDirectory, "aedes-broker.mjs");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"The aedes runner {script} is missing.");
        }
        if (!Directory.Exists(Path.Combine(interopDirectory, "node_modules", "aedes")))
        {
            throw new InvalidOperationException($"aedes is not installed: run `npm ci --no-audit --no-fund --prefix {interopDirectory}` (./test.sh does this).");
        }
        var port = FreePort.Next();
        var process = BrokerProcess.Start("node", [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture)], interopDirectory);
        var broker = new AedesBroker(process, port);
        try
        {
            await process.WaitForPortAsync(port, "aedes", TimeSpan.FromSeconds(30));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return broker;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
