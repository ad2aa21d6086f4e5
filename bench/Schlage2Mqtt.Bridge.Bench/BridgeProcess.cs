using System.Diagnostics;
using System.Globalization;
using System.Text;
using Schlage2Mqtt.Simulator;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Resident memory of a process from <c>/proc/&lt;pid&gt;/status</c>, in KiB.</summary>
internal sealed record MemorySample(long RssKiB, long PeakRssKiB);

/// <summary>
/// The daemon exactly as users run it: <c>schlage2mqtt run --config &lt;yaml&gt;</c> (Release build), in its own
/// process so its memory is measured alone. Its log goes to a file that is shown when something fails.
/// </summary>
internal sealed class BridgeProcess : IAsyncDisposable
{
    // A hang guard for waits on the bridge's output, never part of a measured figure.
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string _logPath;
    private readonly Dictionary<string, long> _threadCpuNanoseconds = [];

    private BridgeProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        _logPath = logPath;
    }

    public int Id => _process.Id;

    /// <param name="pushMode">
    /// <c>schlage.push.mode</c> to write (<c>consumer_cloud</c>, <c>off</c>); null leaves the key out, so the daemon's
    /// default (<c>consumer_cloud</c>) applies and a simulator without a push broker answers <c>users/wss</c> with 404.
    /// </param>
    public static BridgeProcess Start(string executable, string directory, string brokerUrl, SchlageCloudSimulator cloud, BenchWorld world,
        TimeSpan pollInterval, int maxCallsPerMinute, string? pushMode = null)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"""
            mqtt:
              server: {brokerUrl}
              client_id: s2m-bench-bridge
            schlage:
              poll_interval: {(int)pollInterval.TotalSeconds}s
              max_calls_per_minute: {maxCallsPerMinute}
              api_base_url: {cloud.ApiBaseUrl}
              cognito:
                endpoint: {cloud.CognitoUrl}
                user_pool_id: {cloud.Options.UserPoolId}
            """);
        if (pushMode is not null)
        {
            yaml.AppendLine("  push:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    mode: {pushMode}");
        }
        yaml.AppendLine("  accounts:");
        foreach (var account in world.Accounts)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    - name: {account.Key}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      username: {account.Email}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      password: '{account.Password}'");
        }
        yaml.AppendLine(CultureInfo.InvariantCulture, $"data_dir: {Path.Combine(directory, "data")}");
        yaml.AppendLine("log_level: info");
        var config = Path.Combine(directory, "config.yaml");
        File.WriteAllText(config, yaml.ToString());

        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        if (executable.EndsWith(".dll", StringComparison.Ordinal))
        {
            info.FileName = "dotnet";
            info.ArgumentList.Insert(0, executable);
        }
        var logPath = Path.Combine(directory, "bridge.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var synchronizedLog = TextWriter.Synchronized(log);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { synchronizedLog.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { synchronizedLog.WriteLine(e.Data); } };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {executable}.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BridgeProcess(process, log, logPath);
    }

    /// <summary>The Release build of <c>src/Schlage2Mqtt</c> next to this bench (override with S2M_BENCH_BRIDGE).</summary>
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable("S2M_BENCH_BRIDGE") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }
        var baseDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(baseDirectory);
        var configuration = Path.GetFileName(Path.GetDirectoryName(baseDirectory)) ?? "Release";
        var root = new DirectoryInfo(baseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "schlage2mqtt.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException("Cannot find schlage2mqtt.sln above the bench; set S2M_BENCH_BRIDGE to the schlage2mqtt executable.");
        }
        var output = Path.Combine(root.FullName, "src", "Schlage2Mqtt", "bin", configuration, framework);
        foreach (var candidate in new[] { Path.Combine(output, "schlage2mqtt"), Path.Combine(output, "schlage2mqtt.dll") })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No schlage2mqtt build in {output}: run `dotnet build src/Schlage2Mqtt -c {configuration}` (bench/bridge/run.sh does).");
    }

    /// <summary>VmRSS (resident now) and VmHWM (peak resident) of the bridge.</summary>
    public MemorySample Memory()
    {
        ThrowIfExited();
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = KiB(line);
            }
        }
        return new MemorySample(rss, hwm);
    }

    /// <summary>User plus system CPU time the bridge has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            ThrowIfExited();
            // /proc/<pid>/stat counts CPU in clock ticks (10 ms here), coarser than a poll of 10 locks costs a native
            // build, so the figure would read 0. Each thread's schedstat holds its run time in nanoseconds; a thread
            // that exits keeps the time it had at the last sample (the pool keeps its threads across a 15 s poll).
            var tasks = Path.Combine("/proc", _process.Id.ToString(CultureInfo.InvariantCulture), "task");
            if (!Directory.Exists(tasks) || !File.Exists(Path.Combine(tasks, _process.Id.ToString(CultureInfo.InvariantCulture), "schedstat")))
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
            foreach (var task in Directory.EnumerateDirectories(tasks))
            {
                try
                {
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ', 2);
                    _threadCpuNanoseconds[Path.GetFileName(task)] = long.Parse(fields[0], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread exited between the listing and the read: its last sample stands.
                }
            }
            return TimeSpan.FromTicks(_threadCpuNanoseconds.Values.Sum() / 100);
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/> for at most 30 s; on a timeout says whether the bridge died, else what it logged last.
    /// </summary>
    public async Task<T> WithinAsync<T>(Task<T> task, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(WaitLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            ThrowIfExited();
            throw new TimeoutException($"No {what} within {WaitLimit.TotalSeconds:0} s. The bridge's log:\n{LogTail()}");
        }
    }

    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The bridge exited with code {_process.ExitCode}. Its log:\n{LogTail()}");
        }
    }

    public string LogTail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(log unreadable: {ex.Message})";
        }
    }

    /// <summary>Stops the bridge as a service manager would (SIGTERM), killing it if it does not exit in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } }))
            {
                if (kill is not null)
                {
                    await kill.WaitForExitAsync();
                }
            }
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static long KiB(string line) =>
        long.Parse(line.Split(' ', '\t').Where(p => p.Length > 0).ElementAt(1), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
