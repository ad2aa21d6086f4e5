namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>One build of the daemon the process runs measure: the JIT build (<c>dotnet build</c>) or the Native AOT binary.</summary>
internal sealed record BuildUnderTest(string Name, string Executable)
{
    public const string Jit = "JIT";
    public const string Aot = "Native AOT";

    /// <summary>
    /// The JIT build next to this bench (or S2M_BENCH_BRIDGE), and the Native AOT binary when S2M_BENCH_AOT names it
    /// (bench/bridge/run.sh publishes it there when the native toolchain is installed).
    /// </summary>
    public static IReadOnlyList<BuildUnderTest> Locate(IReadOnlySet<string> wanted)
    {
        var builds = new List<BuildUnderTest>();
        if (wanted.Contains("jit"))
        {
            builds.Add(new BuildUnderTest(Jit, BridgeProcess.Locate()));
        }
        if (wanted.Contains("aot") && Environment.GetEnvironmentVariable("S2M_BENCH_AOT") is { Length: > 0 } aot)
        {
            if (!File.Exists(aot) || aot.EndsWith(".dll", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"S2M_BENCH_AOT={aot} is not a native schlage2mqtt binary: publish it with `dotnet publish src/Schlage2Mqtt -c Release -r linux-x64 -o <dir>`.");
            }
            builds.Add(new BuildUnderTest(Aot, aot));
        }
        return builds;
    }

    /// <summary>Bytes on disk of the build itself: the binary alone, or the JIT build's assemblies (no .pdb, no .xml).</summary>
    public long DiskBytes()
    {
        if (Name == Aot)
        {
            return new FileInfo(Executable).Length;
        }
        // The top folder only: a build folder can also hold RID subfolders of earlier publishes, which are not the build.
        var folder = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(Executable))!);
        return folder.EnumerateFiles("*", SearchOption.TopDirectoryOnly)
            .Where(f => f.Extension is not (".pdb" or ".xml"))
            .Sum(f => f.Length);
    }

    /// <summary>
    /// Bytes on disk of the shared .NET runtime the JIT build needs (Microsoft.NETCore.App and Microsoft.AspNetCore.App
    /// of the version this bench runs on); 0 for the native binary.
    /// </summary>
    public long RuntimeBytes()
    {
        if (Name == Aot)
        {
            return 0;
        }
        var core = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var shared = core.Parent?.Parent;
        var asp = shared is null ? null : new DirectoryInfo(Path.Combine(shared.FullName, "Microsoft.AspNetCore.App", core.Name));
        return new[] { core, asp }
            .Where(d => d is { Exists: true })
            .Sum(d => d!.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length));
    }
}

/// <summary>What the process runs measured for one build.</summary>
internal sealed record BuildResults(BuildUnderTest Build, LatencyResult? Latency, PushLatencyResult? Push, IReadOnlyList<RssResult> Rss, StartupResult? Startup);
