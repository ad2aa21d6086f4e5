using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Schlage2Mqtt.Configuration;

/// <summary>Turns YAML text into a <see cref="ConfigNode"/> tree with file positions.</summary>
internal static class YamlConfigParser
{
    public static ConfigMap Parse(string text, string fileName, ConfigErrors errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // YamlDotNet's messages carry the position twice; keep ours and its reason.
            var reason = ex.InnerException?.Message ?? ex.Message;
            errors.Add("(file)", $"{fileName} is not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {Trim(reason)}",
                $"{fileName}:{ex.Start.Line}:{ex.Start.Column}");
            return new ConfigMap(fileName);
        }

        if (stream.Documents.Count == 0)
        {
            return new ConfigMap(fileName);
        }
        if (stream.Documents.Count > 1)
        {
            errors.Add("(file)", $"{fileName} holds {stream.Documents.Count} YAML documents; put everything in one", fileName);
        }

        var root = Convert(stream.Documents[0].RootNode, fileName);
        switch (root)
        {
            case ConfigMap map:
                return map;
            case ConfigScalar { Value: null }:
                return new ConfigMap(fileName);
            default:
                errors.Add("(file)", $"{fileName} must be a mapping of sections (mqtt:, schlage:, ...) at the top level", root.Source);
                return new ConfigMap(fileName);
        }
    }

    private static ConfigNode Convert(YamlNode node, string fileName)
    {
        var source = $"{fileName}:{node.Start.Line}:{node.Start.Column}";
        switch (node)
        {
            case YamlMappingNode mapping:
                var map = new ConfigMap(source);
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode s ? s.Value ?? "" : key.ToString();
                    map.Entries[name] = Convert(value, fileName);
                }
                return map;
            case YamlSequenceNode sequence:
                var list = new ConfigList(source);
                foreach (var item in sequence.Children)
                {
                    list.Items.Add(Convert(item, fileName));
                }
                return list;
            case YamlScalarNode scalar:
                var isNull = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
                    && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");
                return new ConfigScalar(isNull ? null : scalar.Value, source);
            default:
                return new ConfigScalar(node.ToString(), source);
        }
    }

    private static string Trim(string message)
    {
        // "(Line: 3, Col: 5, Idx: 20) - (Line: ...): While scanning ..." -> the human part.
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 ? message[(idx + 3)..] : message;
    }
}
