using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.State;

/// <summary>
/// Random mutations of valid state files: the loader never throws, and every record the mutation did not touch
/// is kept (mutations of the document as a whole may lose everything, but still never throw).
/// </summary>
public sealed class StateFilePropertyTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "s2m-fuzz-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>One mutation of a record's JSON text (the victim, appended after the good records).</summary>
    private static Gen<Func<StateFileKind, string, string>> RecordMutation()
    {
        var values = Gen.Elements("null", "0", "-1", "1e400", "99999999999999999999999", "true", "\"\"", "\"\\u0000\\n\\u001b[31m\"", "[]", "{}", "[null]", "\"2026-13-45\"", "\"add\"");
        var property = Gen.Elements("id", "topic_id", "account", "name", "refresh_token", "username", "time", "ids_at_time", "keypad_disabled",
            "kind", "device_id", "pin", "status", "phase", "attempts", "created_at", "schedule_json", "checks", "next_check_at");
        return Gen.OneOf(
            values.Select<string, Func<StateFileKind, string, string>>(v => (_, _) => v),
            property.Zip(values).Select<(string, string), Func<StateFileKind, string, string>>(pv => (_, json) => SetProperty(json, pv.Item1, pv.Item2)),
            property.Select<string, Func<StateFileKind, string, string>>(p => (_, json) => RemoveProperty(json, p)),
            property.Zip(Gen.Choose(1, 200)).Select<(string, int), Func<StateFileKind, string, string>>(pd =>
                (_, json) => SetProperty(json, pd.Item1, new string('[', pd.Item2) + "1" + new string(']', pd.Item2))),
            Gen.Choose(0, 3).Select<int, Func<StateFileKind, string, string>>(i => (kind, _) => kind.Record(i)));
    }

    /// <summary>One mutation of the whole document text.</summary>
    private static Gen<Func<string, string>> DocumentMutation() => Gen.OneOf(
        Gen.Choose(0, 1000).Select<int, Func<string, string>>(n => doc => doc[..Math.Min(n, doc.Length)]),
        Gen.Elements("", "null", "[]", "42", "\"x\"", "{\"locks\":null,\"accounts\":null,\"operations\":null}", "{\"locks\":[],\"accounts\":7,\"operations\":{}}")
            .Select<string, Func<string, string>>(t => _ => t),
        Gen.Choose(1, 5000).Select<int, Func<string, string>>(d => doc => new string('[', d) + doc + new string(']', d)),
        Gen.Choose(0, 255).Zip(Gen.Choose(0, 1000)).Select<(int, int), Func<string, string>>(bp => doc =>
        {
            var bytes = Encoding.UTF8.GetBytes(doc);
            bytes[bp.Item2 % bytes.Length] = (byte)bp.Item1;
            return Encoding.UTF8.GetString(bytes);
        }));

    [Fact]
    public void A_mutated_record_never_stops_the_loader_and_every_other_record_is_kept()
    {
        var cases = from kind in Gen.Elements(StateFileKind.All.ToArray())
                    from good in Gen.Choose(1, 4)
                    from victims in RecordMutation().ListOf().Select(l => l.Take(3).ToList())
                    select (kind, good, victims);
        var run = 0;
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (kind, good, victims) = c;
            var records = Enumerable.Range(0, good).Select(i => (kind.KeyOf(i), kind.Record(i))).ToList();
            // Victims come last and mostly under keys of their own; a duplicate of a good key must lose to the first.
            records.AddRange(victims.Select((mutate, v) => (v % 2 == 0 ? kind.KeyOf(10 + v) : kind.KeyOf(0), mutate(kind, kind.Record(10 + v)))));
            var kept = Load(kind, kind.Document(records), run++);
            for (var i = 0; i < good; i++)
            {
                Assert.Contains(kind.KeyOf(i), kept);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }

    [Fact]
    public void A_mutated_document_never_stops_the_loader()
    {
        var cases = from kind in Gen.Elements(StateFileKind.All.ToArray())
                    from good in Gen.Choose(0, 4)
                    from mutate in DocumentMutation()
                    select (kind, good, mutate);
        var run = 0;
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (kind, good, mutate) = c;
            var document = kind.Document(Enumerable.Range(0, good).Select(i => (kind.KeyOf(i), kind.Record(i))));
            _ = Load(kind, mutate(document), run++);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }

    private IReadOnlyCollection<string> Load(StateFileKind kind, string text, int run)
    {
        var dir = Path.Combine(_root, run.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, kind.Name + ".json"), text);
        using var store = new StateStore(dir, new ListLogger<StateStore>(), new ManualTimeProvider());
        var first = kind.Load(store);
        // Whatever was repaired or set aside loads the same the second time.
        Assert.Equal(first.OrderBy(k => k, StringComparer.Ordinal), kind.Load(store).OrderBy(k => k, StringComparer.Ordinal));
        return first;
    }

    private static string SetProperty(string json, string name, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node[name] = null;
        var text = node.ToJsonString();
        // Written as text so values JsonNode cannot hold (1e400, deep nesting) reach the loader verbatim.
        return text.Replace($"\"{name}\":null", $"\"{name}\":{value}", StringComparison.Ordinal);
    }

    private static string RemoveProperty(string json, string name)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(name);
        return node.ToJsonString();
    }
}
