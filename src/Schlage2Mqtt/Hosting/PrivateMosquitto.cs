using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Schlage2Mqtt.Hosting;

/// <summary>
/// A mosquitto process the demo starts for itself on loopback (TCP and WebSocket listeners, anonymous, no
/// persistence) and stops when it ends, so trying the bridge needs no broker setup.
/// </summary>
internal sealed class PrivateMosquitto : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private PrivateMosquitto(Process process, string directory, int port, int webSocketPort)
    {
        _process = process;
        _directory = directory;
        Port = port;
        WebSocketPort = webSocketPort;
    }

    public int Port { get; }

    public int WebSocketPort { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    /// <summary>The MQTT-over-WebSocket listener's URL.</summary>
    public string WebSocketUrl => $"ws://127.0.0.1:{WebSocketPort}/mqtt";

    /// <summary>The mosquitto executable, or null when it is not installed.</summary>
    public static string? Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/usr/bin"])
            .Select(dir => Path.Combine(dir, "mosquitto"));
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Starts mosquitto on <paramref name="port"/> (or a free port when taken) and waits until it accepts connections.</summary>
    public static async Task<PrivateMosquitto> StartAsync(string executable, int port, CancellationToken cancellationToken)
    {
        if (!IsFree(port))
        {
            port = FreePort();
        }
        var webSocketPort = FreePort();
        var directory = Path.Combine(Path.GetTempPath(), "schlage2mqtt-demo-broker-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            // Started as root, mosquitto drops to its own user, which must still read its config.
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }
        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            "per_listener_settings false",
            "allow_anonymous true",
            "persistence false",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            string.Create(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1"),
            "socket_domain ipv4",
            string.Create(CultureInfo.InvariantCulture, $"listener {webSocketPort} 127.0.0.1"),
            "protocol websockets",
            // mosquitto 2.0.x hands a websockets listener's address to libwebsockets only with a socket domain set;
            // without it the listener binds every interface (*:port) whatever address the listener line names.
            // (bind_interface would also work, but needs CAP_NET_RAW when not started as root.)
            "socket_domain ipv4",
            ""), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(config, (UnixFileMode)0b110_100_100);
        }

        var info = new ProcessStartInfo(executable, ["-c", config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}");
        var broker = new PrivateMosquitto(process, directory, port, webSocketPort);
        process.OutputDataReceived += (_, e) => broker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => broker.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await AcceptsAsync(port, cancellationToken) || !await AcceptsAsync(webSocketPort, cancellationToken))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await broker.DisposeAsync();
                throw new InvalidOperationException($"mosquitto did not start on 127.0.0.1:{port}: {broker.Log}");
            }
            await Task.Delay(50, cancellationToken);
        }
        return broker;
    }

    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
