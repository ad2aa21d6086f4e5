namespace Schlage2Mqtt.Configuration;

/// <summary>One configuration problem: the key path, what is wrong and what is allowed, and where it came from.</summary>
public sealed record ConfigError(string Path, string Message, string Source)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message} ({Source})";
}

/// <summary>Collects configuration problems so the user sees all of them at once, one message each.</summary>
internal sealed class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> All => _errors;

    public void Add(string path, string message, string source) => _errors.Add(new ConfigError(path, message, source));
}
