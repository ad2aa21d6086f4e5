using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.Activity;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.State;

namespace Schlage2Mqtt.Bridge.Tests.State;

/// <summary>The state files the bridge loads, with a valid record generator and the loader each one goes through.</summary>
internal sealed record StateFileKind(string Name, string Property, bool IsList, Func<int, string> KeyOf, Func<int, string> Record, Func<StateStore, IReadOnlyCollection<string>> Load)
{
    public static readonly StateFileKind Topics = new("topics", "locks", false, i => $"dev{i}",
        i => $$"""{"topic_id":"lock_{{i}}","account":"home","name":"Lock {{i}}"}""",
        store => TopicIdDocument.Read(store).Keys);

    public static readonly StateFileKind Tokens = new("tokens", "accounts", false, i => $"acct{i}",
        i => $$"""{"refresh_token":"rt-{{i}}","user_id_for_srp":"u{{i}}","username":"a{{i}}@example.com"}""",
        store =>
        {
            using var tokens = new FileRefreshTokenStore(store);
            return [.. Enumerable.Range(0, 100).Select(i => $"acct{i}").Where(k => tokens.LoadAsync(k, CancellationToken.None).AsTask().Result is not null)];
        });

    public static readonly StateFileKind Activity = new("activity", "locks", false, i => $"dev{i}",
        i => """{"time":"2026-01-01T00:00:00+00:00","ids_at_time":["a","b"],"keypad_disabled":false}""",
        store => ActivityDocument.Read(store, "activity").Keys);

    public static readonly StateFileKind AccessCodes = new("access_codes", "operations", true, i => $"op{i}",
        i => $$"""{"id":"op{{i}}","kind":"add","device_id":"dev1","name":"Code {{i}}","pin":"12{{i:00}}","status":"set","phase":"settled","attempts":1,"created_at":"2026-01-01T00:00:0{{i % 10}}+00:00","checks":0}""",
        store =>
        {
            var operations = new CodeOperationStore(store);
            return [.. operations.All.Select(o => o.Id)];
        });

    public static readonly IReadOnlyList<StateFileKind> All = [Topics, Tokens, Activity, AccessCodes];

    /// <summary>A document of <paramref name="records"/> (key, record JSON text), duplicates allowed.</summary>
    public string Document(IEnumerable<(string Key, string Json)> records) => IsList
        ? $$"""{"{{Property}}":[{{string.Join(",", records.Select(r => r.Json))}}]}"""
        : "{\"" + Property + "\":{" + string.Join(",", records.Select(r => $"\"{r.Key}\":{r.Json}")) + "}}";

    public override string ToString() => Name;
}
