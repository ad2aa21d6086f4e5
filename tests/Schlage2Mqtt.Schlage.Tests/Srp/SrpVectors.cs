using System.Text.Json;

namespace Schlage2Mqtt.Schlage.Tests.Srp;

/// <summary>The committed output of SrpVectors/generate.js.</summary>
internal static class SrpVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SrpVectors", "srp-vectors.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Cases => Root.GetProperty("cases").EnumerateArray();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases)
        {
            data.Add(c.GetProperty("name").GetString()!);
        }
        return data;
    }

    public static JsonElement Case(string name) => Cases.Single(c => c.GetProperty("name").GetString() == name);

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
