namespace Schlage2Mqtt.Tests;

/// <summary>
/// Which build of <c>schlage2mqtt</c> the process tests start: the JIT build next to the tests (<c>dotnet
/// schlage2mqtt.dll</c>), or the native binary named by <c>S2M_TEST_DAEMON</c> (CI publishes the Native AOT build and
/// runs the process tests against it too, so a failure only the AOT build has is caught).
/// </summary>
internal static class DaemonExecutable
{
    /// <summary>The environment variable naming a native <c>schlage2mqtt</c> to test instead of the JIT build.</summary>
    public const string Variable = "S2M_TEST_DAEMON";

    /// <summary>The native binary to test, or null for the JIT build.</summary>
    public static string? Native =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path
            ? File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"{Variable} names {path}, which does not exist.", path)
            : null;

    /// <summary>The JIT build's entry assembly, next to the tests.</summary>
    public static string JitDll => Path.Combine(AppContext.BaseDirectory, "schlage2mqtt.dll");

    /// <summary>What to start: the native binary when one is named, else the JIT build's dll.</summary>
    public static string Current => Native ?? JitDll;
}
