using System.Diagnostics;
using System.Text;

namespace Schlage2Mqtt.Tests;

/// <summary>Runs the real <c>schlage2mqtt</c> executable as a child process, capturing its output.</summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private DaemonProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string Output
    {
        get { lock (_gate) { return _output.ToString(); } }
    }

    public static DaemonProcess Start(IDictionary<string, string>? environment = null, params string[] args) => Start(environment, null, args);

    /// <summary>Starts the executable with <paramref name="input"/> on its standard input (then closed), e.g. for <c>--password-stdin</c>.</summary>
    public static DaemonProcess StartWithInput(string input, params string[] args) => Start(null, input, args);

    private static DaemonProcess Start(IDictionary<string, string>? environment, string? input, string[] args)
    {
        // Through env(1) so SIGINT has its default disposition: a test run started as a background job (`cmd &` without
        // job control) ignores SIGINT, children inherit that, and .NET then rightly leaves Ctrl+C alone, as for `nohup`.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        info.ArgumentList.Add("--default-signal=INT");
        if (DaemonExecutable.Native is { } native)
        {
            info.ArgumentList.Add(native);
        }
        else
        {
            info.ArgumentList.Add("dotnet");
            info.ArgumentList.Add(DaemonExecutable.JitDll);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        return daemon;
    }

    /// <summary>Sends a POSIX signal (TERM, INT, KILL) the way systemd or docker stop would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"The process did not exit within {limit}. Output so far:\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    /// <summary>Waits until the output contains <paramref name="text"/> (or the process ends, or the limit passes).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{text}' never appeared. Output so far:\n{Output}");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
