using System.Collections;

namespace Schlage2Mqtt.Cli;

/// <summary>What a command may touch of its process: streams, environment, whether a person is typing (replaceable in tests).</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, IDictionary Environment)
{
    /// <summary>Standard input.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>True when standard input is a terminal, so prompting makes sense.</summary>
    public bool Interactive { get; init; }

    public static CliContext FromProcess() => new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariables())
    {
        In = Console.In,
        Interactive = !Console.IsInputRedirected,
    };
}
