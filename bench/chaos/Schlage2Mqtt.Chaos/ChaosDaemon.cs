using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Schlage2Mqtt.Chaos;

/// <summary>
/// The daemon exactly as users run it (<c>schlage2mqtt run --config FILE</c>) in its own process: killed with SIGKILL
/// or stopped with SIGTERM, its resident memory read from <c>/proc</c>, every line it writes kept for the secrets scan.
/// </summary>
public sealed class ChaosDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines;

    private ChaosDaemon(Process process, ConcurrentQueue<string> lines)
    {
        _process = process;
        _lines = lines;
    }

    /// <summary>Process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code once ended.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Every line written so far (stdout and stderr), shared across restarts when the same queue is passed.</summary>
    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Starts <paramref name="executable"/> (an apphost or a .dll) with <c>run --config</c>.</summary>
    public static ChaosDaemon Start(string executable, string config, ConcurrentQueue<string> lines) =>
        StartCommand(executable, ["run", "--config", config], lines);

    /// <summary>Starts <paramref name="executable"/> with any command line (<c>simulator ...</c>, <c>demo ...</c>, <c>check-config ...</c>).</summary>
    public static ChaosDaemon StartCommand(string executable, IReadOnlyList<string> arguments, ConcurrentQueue<string> lines)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (executable.EndsWith(".dll", StringComparison.Ordinal))
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(executable);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // CHAOS_DAEMON_ENV="K=V;K2=V2" reaches the daemon only (e.g. DOTNET_GCHeapHardLimit to tell garbage from retention).
        foreach (var pair in (Environment.GetEnvironmentVariable("CHAOS_DAEMON_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            info.Environment[pair[..equals]] = pair[(equals + 1)..];
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {executable}.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChaosDaemon(process, lines);
    }

    /// <summary>VmRSS in KiB (0 once the process is gone).</summary>
    public long RssKiB()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. <c>INT</c>, as Ctrl+C would) and waits up to <paramref name="limit"/> for the exit code; null if still running.</summary>
    public async Task<int?> SignalAndWaitAsync(string signal, TimeSpan limit)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        using var wait = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits up to <paramref name="limit"/> for the process to end by itself; its exit code, or null if still running.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan limit)
    {
        using var wait = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was written; false after <paramref name="limit"/> or once the process ended without it.</summary>
    public async Task<bool> WaitForLineAsync(string text, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }
            if (_process.HasExited)
            {
                // Output may still be draining after the exit.
                await Task.Delay(200, cancellationToken);
                return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
            }
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }

    /// <summary>SIGKILL, as a power cut or the OOM killer would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then SIGKILL after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    /// <summary>The apphost or dll of the Release build of <c>src/Schlage2Mqtt</c> (override with S2M_CHAOS_BRIDGE).</summary>
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable("S2M_CHAOS_BRIDGE") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }
        var next = Path.Combine(AppContext.BaseDirectory, "schlage2mqtt.dll");
        if (File.Exists(next))
        {
            return next;
        }
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "schlage2mqtt.sln")))
        {
            root = root.Parent;
        }
        var output = Path.Combine(root?.FullName ?? ".", "src", "Schlage2Mqtt", "bin", "Release", "net10.0");
        foreach (var candidate in new[] { Path.Combine(output, "schlage2mqtt"), Path.Combine(output, "schlage2mqtt.dll") })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No schlage2mqtt build in {output}: run `dotnet build src/Schlage2Mqtt -c Release` (bench/chaos/run.sh does).");
    }
}
