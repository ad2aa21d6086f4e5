using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Schlage2Mqtt.TestSupport;

/// <summary>A child process (a broker) whose output is captured for failure messages, killed on dispose.</summary>
internal sealed class BrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly object _logGate = new();

    private BrokerProcess(Process process)
    {
        _process = process;
    }

    public string Log
    {
        get { lock (_logGate) { return _log.ToString(); } }
    }

    public bool HasExited => _process.HasExited;

    public static BrokerProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var broker = new BrokerProcess(process);
        process.OutputDataReceived += (_, e) => broker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => broker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return broker;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>; fails with the log if the process dies.</summary>
    public async Task WaitForPortAsync(int port, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with code {_process.ExitCode} before listening on {port}. Its log:\n{Log}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet: poll again shortly. Polling is for readiness only, never for test ordering.
                await Task.Delay(20);
            }
            catch (SocketException ex)
            {
                throw new TimeoutException($"{what} did not listen on {port} within {timeout}. Its log:\n{Log}", ex);
            }
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async Task WaitForExitAsync() => await _process.WaitForExitAsync();

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logGate)
        {
            _log.AppendLine(line);
        }
    }
}
