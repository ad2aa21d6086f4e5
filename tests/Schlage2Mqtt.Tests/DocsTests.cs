using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Tests;

/// <summary>The importable examples in docs/ must work as shipped.</summary>
public sealed class DocsTests
{
    public static TheoryData<string> Flows() => [.. Directory.GetFiles(RepoPaths.File("docs/node-red"), "*.json").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Flows))]
    public void Node_red_flow_is_valid_json_speaking_the_contract_and_never_retaining_commands(string file)
    {
        var nodes = JsonNode.Parse(File.ReadAllText(RepoPaths.File(Path.Combine("docs/node-red", file))))!.AsArray();
        var ids = nodes.Select(n => n!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var node in nodes.Where(n => n!["type"]!.GetValue<string>() is "mqtt in" or "mqtt out"))
        {
            Assert.StartsWith("schlage2mqtt/", node!["topic"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains(node["broker"]!.GetValue<string>(), ids);
            if (node["type"]!.GetValue<string>() == "mqtt out")
            {
                Assert.Equal("false", node["retain"]!.GetValue<string>());
            }
        }
        foreach (var wire in nodes.SelectMany(n => n!["wires"]?.AsArray() ?? []).SelectMany(w => w!.AsArray()))
        {
            Assert.Contains(wire!.GetValue<string>(), ids);
        }
    }
}
