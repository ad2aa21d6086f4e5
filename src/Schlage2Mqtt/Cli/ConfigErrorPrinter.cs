using Schlage2Mqtt.Configuration;

namespace Schlage2Mqtt.Cli;

/// <summary>Prints configuration problems, one line each, naming the key and the fix.</summary>
internal static class ConfigErrorPrinter
{
    public static void Print(TextWriter error, string path, IReadOnlyList<ConfigError> errors)
    {
        error.WriteLine($"{path}: {errors.Count} problem{(errors.Count == 1 ? "" : "s")}:");
        foreach (var e in errors)
        {
            error.WriteLine($"  {e}");
        }
    }
}
