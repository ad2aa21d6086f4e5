using System.Collections;

namespace Schlage2Mqtt.Cli;

/// <summary>What a command may touch of its process: output streams and environment (replaceable in tests).</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, IDictionary Environment)
{
    public static CliContext FromProcess() => new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariables());
}
