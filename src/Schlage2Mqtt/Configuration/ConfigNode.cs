namespace Schlage2Mqtt.Configuration;

/// <summary>
/// A node of the raw configuration tree, before binding. Every node remembers where it came from
/// (a file position or an environment variable) so an error can point the user at the exact line.
/// </summary>
internal abstract class ConfigNode(string source)
{
    public string Source { get; } = source;
}

/// <summary>A mapping, in document order.</summary>
internal sealed class ConfigMap(string source) : ConfigNode(source)
{
    public OrderedDictionary<string, ConfigNode> Entries { get; } = new(StringComparer.Ordinal);
}

/// <summary>A sequence.</summary>
internal sealed class ConfigList(string source) : ConfigNode(source)
{
    public List<ConfigNode> Items { get; } = [];
}

/// <summary>A scalar; <see cref="Value"/> is null for YAML null (<c>~</c>, <c>null</c> or nothing).</summary>
internal sealed class ConfigScalar(string? value, string source) : ConfigNode(source)
{
    public string? Value { get; } = value;
}
