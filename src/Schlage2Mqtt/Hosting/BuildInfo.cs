using System.Reflection;

namespace Schlage2Mqtt.Hosting;

/// <summary>The running build's version, as <c>--version</c>, logs and the health endpoint report it.</summary>
internal static class BuildInfo
{
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var informational = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
