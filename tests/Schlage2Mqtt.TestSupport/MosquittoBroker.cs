using System.Globalization;
using System.Text;

namespace Schlage2Mqtt.TestSupport;

/// <summary>Options of a private mosquitto broker.</summary>
public sealed record MosquittoOptions
{
    /// <summary>Also open a plain WebSocket listener.</summary>
    public bool WebSockets { get; init; }

    /// <summary>Open a TLS listener with these PEM files (server certificate, key, and the CA clients are checked against).</summary>
    public TestCertificates? Tls { get; init; }

    /// <summary>Require TLS clients to present a certificate signed by the CA.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>Open a secure WebSocket listener too (needs <see cref="Tls"/>).</summary>
    public bool SecureWebSockets { get; init; }

    /// <summary>Keep sessions and retained messages on disk across restarts.</summary>
    public bool Persistence { get; init; }

    /// <summary>Extra lines appended to the generated mosquitto.conf.</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];
}

/// <summary>
/// A private <c>mosquitto</c> process on free loopback ports with a generated configuration (anonymous access,
/// persistence off unless asked). Kill and restart it on the same ports to test reconnection.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly MosquittoOptions _options;
    private readonly string _directory;
    private BrokerProcess? _process;
    private readonly StringBuilder _previousLogs = new();

    private MosquittoBroker(MosquittoOptions options, string directory)
    {
        _options = options;
        _directory = directory;
        Port = FreePort.Next();
        WebSocketPort = options.WebSockets ? FreePort.Next() : 0;
        TlsPort = options.Tls is not null ? FreePort.Next() : 0;
        SecureWebSocketPort = options.Tls is not null && options.SecureWebSockets ? FreePort.Next() : 0;
    }

    /// <summary>Plain MQTT port.</summary>
    public int Port { get; }

    /// <summary>WebSocket port, 0 when off.</summary>
    public int WebSocketPort { get; }

    /// <summary>TLS port, 0 when off.</summary>
    public int TlsPort { get; }

    /// <summary>Secure WebSocket port, 0 when off.</summary>
    public int SecureWebSocketPort { get; }

    /// <summary><c>mqtt://127.0.0.1:port</c>.</summary>
    public string TcpUrl => $"mqtt://127.0.0.1:{Port}";

    /// <summary><c>ws://127.0.0.1:port/mqtt</c>.</summary>
    public string WebSocketUrl => $"ws://127.0.0.1:{WebSocketPort}/mqtt";

    /// <summary><c>mqtts://localhost:port</c> (the test certificate names localhost and 127.0.0.1).</summary>
    public string TlsUrl => $"mqtts://localhost:{TlsPort}";

    /// <summary><c>wss://localhost:port/mqtt</c>.</summary>
    public string SecureWebSocketUrl => $"wss://localhost:{SecureWebSocketPort}/mqtt";

    /// <summary>Everything the broker printed (all runs), for assertion messages.</summary>
    public string Log => _previousLogs + (_process?.Log ?? "");

    /// <summary>Starts a broker and waits until every listener accepts connections.</summary>
    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null)
    {
        const string binary = "/usr/sbin/mosquitto";
        if (!File.Exists(binary) && !File.Exists("/usr/bin/mosquitto"))
        {
            throw new InvalidOperationException("mosquitto is not installed: run `apt-get install -y mosquitto mosquitto-clients` (./test.sh does this).");
        }
        var directory = Directory.CreateTempSubdirectory("s2m-mosquitto-").FullName;
        // Started as root, mosquitto switches to its own user, which must still read the config (and persist here).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        }
        var broker = new MosquittoBroker(options ?? new MosquittoOptions(), directory);
        await broker.LaunchAsync();
        return broker;
    }

    /// <summary>SIGKILLs the broker: clients see the connection drop without DISCONNECT.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }
        _process.Kill();
        await _process.WaitForExitAsync();
        _previousLogs.Append(_process.Log);
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Kills (if running) and starts the broker again on the same ports.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        await LaunchAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private async Task LaunchAsync()
    {
        var config = Path.Combine(_directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, BuildConfig());
        var binary = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "/usr/bin/mosquitto";
        _process = BrokerProcess.Start(binary, ["-c", config], _directory);
        var timeout = TimeSpan.FromSeconds(30);
        // A just-killed broker's port can linger briefly; mosquitto then exits, so retry a few launches.
        for (var tries = 0; ; tries++)
        {
            try
            {
                await _process.WaitForPortAsync(Port, "mosquitto", timeout);
                foreach (var port in new[] { WebSocketPort, TlsPort, SecureWebSocketPort }.Where(p => p != 0))
                {
                    await _process.WaitForPortAsync(port, "mosquitto", timeout);
                }
                return;
            }
            catch (InvalidOperationException) when (tries < 20 && _process.HasExited)
            {
                _previousLogs.Append(_process.Log);
                await _process.DisposeAsync();
                await Task.Delay(100);
                _process = BrokerProcess.Start(binary, ["-c", config], _directory);
            }
        }
    }

    private string BuildConfig()
    {
        var c = new StringBuilder();
        c.AppendLine("per_listener_settings false");
        c.AppendLine("allow_anonymous true");
        c.AppendLine("log_dest stdout");
        c.AppendLine("log_type error");
        c.AppendLine("log_type warning");
        c.AppendLine("log_type notice");
        c.AppendLine("log_type information");
        c.AppendLine("max_queued_messages 100000");
        c.AppendLine(CultureInfo.InvariantCulture, $"persistence {(_options.Persistence ? "true" : "false")}");
        if (_options.Persistence)
        {
            c.AppendLine(CultureInfo.InvariantCulture, $"persistence_location {_directory}/");
        }
        c.AppendLine(CultureInfo.InvariantCulture, $"listener {Port} 127.0.0.1");
        if (WebSocketPort != 0)
        {
            c.AppendLine(CultureInfo.InvariantCulture, $"listener {WebSocketPort} 127.0.0.1");
            c.AppendLine("protocol websockets");
        }
        if (_options.Tls is { } tls)
        {
            foreach (var port in new[] { TlsPort, SecureWebSocketPort }.Where(p => p != 0))
            {
                c.AppendLine(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1");
                if (port == SecureWebSocketPort)
                {
                    c.AppendLine("protocol websockets");
                }
                c.AppendLine(CultureInfo.InvariantCulture, $"cafile {tls.CaCertFile}");
                c.AppendLine(CultureInfo.InvariantCulture, $"certfile {tls.ServerCertFile}");
                c.AppendLine(CultureInfo.InvariantCulture, $"keyfile {tls.ServerKeyFile}");
                if (_options.RequireClientCertificate)
                {
                    c.AppendLine("require_certificate true");
                }
            }
        }
        foreach (var line in _options.ExtraConfig)
        {
            c.AppendLine(line);
        }
        return c.ToString();
    }
}
