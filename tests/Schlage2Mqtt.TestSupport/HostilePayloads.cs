using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Schlage2Mqtt.TestSupport;

/// <summary>One hostile message: the topic below the base topic, the payload bytes, what it is, and the PINs it carries.</summary>
/// <param name="Suffix">Topic below <c>&lt;base&gt;/</c>, e.g. <c>bridge/request/lock</c> or <c>front_door/set</c>.</param>
/// <param name="Payload">The raw payload (may be invalid UTF-8).</param>
/// <param name="Description">What the case tries, for failure messages.</param>
/// <param name="Pins">PINs in the payload: none of them may come back on any topic or log line.</param>
public sealed record HostilePayload(string Suffix, byte[] Payload, string Description, IReadOnlyList<string> Pins)
{
    /// <summary>True for a request topic (always answered on <c>bridge/response/&lt;op&gt;</c>).</summary>
    public bool IsRequest => Suffix.StartsWith("bridge/request/", StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{Suffix} <- {Description}";
}

/// <summary>
/// Hostile payloads for every command and request topic: a fixed table of known-bad shapes (invalid JSON, wrong types,
/// deep nesting, 1 MB, invalid UTF-8, U+0000, duplicate keys, PIN and schedule edge cases, unknown locks) crossed with
/// every topic, plus an FsCheck generator of random mutations of valid requests. None is a valid command: a hostile run
/// must not open doors or fill locks with codes.
/// </summary>
public static class HostilePayloads
{
    /// <summary>PINs the cases use; each is distinctive enough to grep for in logs and MQTT.</summary>
    public static readonly string[] CasePins = ["73918264", "4815162", "90210377", "58133421"];

    /// <summary>The request operations of the README.</summary>
    public static readonly string[] RequestOps =
        ["health_check", "locks", "refresh", "lock", "access_code/list", "access_code/add", "access_code/update", "access_code/delete", "access_code/sync"];

    private static readonly string[] LockValues =
    [
        "\"\\u0000\"", "\"\"", "\" \"", "null", "0", "-1", "1e309", "true", "[]", "{}", "[\"front_door\"]", "{\"a\":1}",
        "\"no_such_lock\"", "\"front_door\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"../../etc/passwd\"", "\"#\"", "\"+\"",
        "\"\\u202e\\u200bfront\"", "\"\\u001b[31m\"", "\"%s%n%x\"", "\"{0}\"", "\"" + new string('L', 5000) + "\"",
    ];

    private static readonly string[] BadPins =
    [
        "\"12\\u00003\"", "\"1234\\u0007\"", "\"\\u0000\\u0000\\u0000\\u0000\"", "\"１２３４\"", "\"١٢٣٤\"", "\"12 34\"", "\"-1234\"",
        "\"+1234\"", "\"1e4\"", "1e4", "12.5", "-1234", "0", "1e309", "123456789012345678901234567890", "\"123456789\"",
        "\"123\"", "\"\"", "true", "[]", "{}", "[\"1234\"]", "{\"pin\":\"1234\"}", "\"\\ud800\\ud800\\ud800\\ud800\"", "\"1234\\n\"",
        "\"" + new string('9', 100_000) + "\"",
    ];

    private static readonly string[] BadSchedules =
    [
        "\"Always\"", "[]", "1", "{}", "{\"type\":null}", "{\"type\":1}", "{\"type\":\"\\u0000\"}", "{\"type\":\"Temporary\"}",
        "{\"type\":\"Temporary\",\"start\":1,\"end\":2}", "{\"type\":\"Temporary\",\"start\":\"2026-12-24T15:00:00\",\"end\":\"2026-12-27T11:00:00\"}",
        "{\"type\":\"Temporary\",\"start\":\"9999-12-31T23:59:59+14:00\",\"end\":\"9999-12-31T23:59:59-14:00\"}",
        "{\"type\":\"Temporary\",\"start\":\"0001-01-01T00:00:00+14:00\",\"end\":\"0001-01-01T00:00:01+14:00\"}",
        "{\"type\":\"Temporary\",\"start\":\"2030-01-01T00:00:00+01:00\",\"end\":\"2029-01-01T00:00:00+01:00\"}",
        "{\"type\":\"Temporary\",\"start\":\"2030-02-30T00:00:00Z\",\"end\":\"2030-03-01T00:00:00Z\"}",
        "{\"type\":\"Temporary\",\"start\":\"2030-01-01T00:00:00+99:00\",\"end\":\"2030-03-01T00:00:00Z\"}",
        "{\"type\":\"Temporary\",\"start\":\"2000-01-01T00:00:00Z\",\"end\":\"2000-01-02T00:00:00Z\"}",
        "{\"type\":\"Recurring\"}", "{\"type\":\"Recurring\",\"days\":\"Monday\",\"start\":\"09:00\",\"end\":\"10:00\"}",
        "{\"type\":\"Recurring\",\"days\":[],\"start\":\"09:00\",\"end\":\"10:00\"}",
        "{\"type\":\"Recurring\",\"days\":[null,1,{}],\"start\":\"09:00\",\"end\":\"10:00\"}",
        "{\"type\":\"Recurring\",\"days\":[\"Monday\"],\"start\":\"25:00\",\"end\":\"26:00\"}",
        "{\"type\":\"Recurring\",\"days\":[\"Monday\"],\"start\":\"17:00\",\"end\":\"09:00\"}",
        "{\"type\":\"Recurring\",\"days\":[\"Monday\"],\"start\":\"09:00\",\"end\":\"09:00\"}",
        "{\"type\":\"Recurring\",\"days\":[\"Monday\"],\"start\":\"9:0\",\"end\":\"\\u0000\"}",
        "{\"type\":\"Recurring\",\"days\":[" + string.Join(',', Enumerable.Repeat("\"Monday\"", 2000)) + "],\"start\":\"09:00\",\"end\":\"\"}",
        "{\"type\":\"Custom\"}", "{\"type\":\"Always\",\"type\":\"Recurring\"}",
    ];

    private static readonly string[] BadNames =
    [
        "\"\"", "\"\\u0000\"", "\"Guest\\u0000\"", "\"" + new string('N', 33) + "\"", "\"a\\nb\"", "\"Guest\\u001b[31m\"", "1", "true", "[]", "{}",
        "\"\\ud800\"", "\"" + new string('x', 50_000) + "\"",
    ];

    private static readonly string[] BadActions = ["\"\\u0000\"", "\"\"", "\"locked\"", "\"open\"", "1", "true", "null", "[]", "{}", "\"LOCK\\u0000\""];

    /// <summary>Payloads that are bad whatever the topic.</summary>
    public static IEnumerable<(byte[] Payload, string Description)> Generic()
    {
        yield return ("{"u8.ToArray(), "truncated object");
        yield return ("}{"u8.ToArray(), "reversed braces");
        yield return ("{\"lock\":"u8.ToArray(), "truncated value");
        yield return ("{'lock':'front_door'}"u8.ToArray(), "single quotes");
        yield return ("{\"lock\":\"front_door\",}"u8.ToArray(), "trailing comma");
        yield return ("{\"lock\":\"front_door\"} trailing"u8.ToArray(), "trailing garbage");
        yield return ("// comment\n{}"u8.ToArray(), "comment");
        yield return ("[]"u8.ToArray(), "array");
        yield return ("null"u8.ToArray(), "null");
        yield return ("\"text\""u8.ToArray(), "string");
        yield return ("1e309"u8.ToArray(), "huge number");
        yield return ("NaN"u8.ToArray(), "NaN");
        yield return ("\0"u8.ToArray(), "U+0000 alone");
        yield return ("{\"lock\":\"\0\"}"u8.ToArray(), "raw U+0000 in a string");
        yield return ([0xFF, 0xFE, 0x7B, 0x7D], "invalid UTF-8 (FF FE {})");
        yield return ([0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'], "UTF-8 byte order mark then {}");
        yield return ([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "invalid UTF-8 in a key");
        yield return ([(byte)'{', (byte)'"', (byte)'l', (byte)'"', (byte)':', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)'}'], "UTF-8 encoded surrogate");
        yield return (Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), "10,000 nested arrays");
        yield return (Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)), "5,000 nested objects");
        yield return (Encoding.UTF8.GetBytes("{\"lock\":" + string.Concat(Enumerable.Repeat("[", 17)) + new string(']', 17) + "}"), "nesting one past the limit");
        yield return (OneMegabyte(), "1 MB object");
        yield return (Encoding.UTF8.GetBytes("{\"transaction\":\"" + new string('t', 60_000) + "\"}"), "60 KB transaction");
        yield return (Encoding.UTF8.GetBytes("{" + string.Join(',', Enumerable.Range(0, 3000).Select(i => $"\"k{i}\":{i}")) + "}"), "3,000 unknown keys");
        yield return ("{\"lock\":\"front_door\",\"lock\":\"back_door\"}"u8.ToArray(), "duplicate key lock");
        yield return ("{\"state\":\"LOCK\",\"state\":\"UNLOCK\"}"u8.ToArray(), "duplicate key state");
        yield return ("{\"transaction\":1,\"transaction\":2}"u8.ToArray(), "duplicate key transaction");
    }

    /// <summary>Every command and request topic for a lock (its topic id) and one unknown lock.</summary>
    public static IEnumerable<string> Topics(string lockId)
    {
        foreach (var op in RequestOps)
        {
            yield return "bridge/request/" + op;
        }
        yield return "bridge/request/no_such_op";
        yield return "bridge/request/" + new string('o', 300);
        foreach (var id in new[] { lockId, "no_such_lock" })
        {
            yield return id + "/set";
            yield return id + "/set/state";
            yield return id + "/set/beeper";
            yield return id + "/set/lock_and_leave";
            yield return id + "/set/auto_lock_time";
            yield return id + "/set/no_such_attr";
        }
        yield return "no_such_lock/get";
    }

    /// <summary>The fixed table: generic bad payloads on every topic, then field-level cases on the topics they target.</summary>
    public static IEnumerable<HostilePayload> Table(string lockId)
    {
        foreach (var topic in Topics(lockId))
        {
            foreach (var (payload, description) in Generic())
            {
                yield return new HostilePayload(topic, payload, description, []);
            }
        }
        foreach (var value in LockValues)
        {
            foreach (var op in RequestOps.Where(o => o is not ("health_check" or "locks")))
            {
                yield return Json("bridge/request/" + op, $"{{\"lock\":{value},\"action\":\"bogus\",\"id\":\"x\",\"name\":\"\\u0000\"}}", $"lock={Cut(value)}");
                yield return Json("bridge/request/" + op, $"{{\"lock\":{value}}}", $"only lock={Cut(value)}");
            }
        }
        foreach (var action in BadActions)
        {
            yield return Json("bridge/request/lock", $"{{\"lock\":\"{lockId}\",\"action\":{action}}}", $"action={action}");
            yield return Json($"{lockId}/set", $"{{\"state\":{action}}}", $"state={action}");
            yield return Raw($"{lockId}/set/state", action.Trim('"'), $"plain state {action}");
        }
        var pinIndex = 0;
        foreach (var pin in BadPins)
        {
            var realPin = CasePins[pinIndex++ % CasePins.Length];
            // The bad PIN is the field under test; a real-looking PIN rides along in another field to catch echoes.
            yield return Json("bridge/request/access_code/add", $"{{\"lock\":\"{lockId}\",\"name\":\"Chaos\",\"code\":{pin},\"note\":\"{realPin}\"}}", $"add code={Cut(pin)}", realPin);
            yield return Json("bridge/request/access_code/update", $"{{\"lock\":\"{lockId}\",\"name\":\"Chaos\",\"code\":{pin},\"x\":\"{realPin}\"}}", $"update code={Cut(pin)}", realPin);
            yield return Json("bridge/request/access_code/update", $"{{\"lock\":\"{lockId}\",\"id\":\"no-such-id\",\"code\":{pin}}}", $"update by id code={Cut(pin)}");
        }
        foreach (var schedule in BadSchedules)
        {
            var pin = CasePins[pinIndex++ % CasePins.Length];
            yield return Json("bridge/request/access_code/add", $"{{\"lock\":\"{lockId}\",\"name\":\"Chaos\",\"code\":\"{pin}\",\"schedule\":{schedule}}}", $"schedule={Cut(schedule)}", pin);
            yield return Json("bridge/request/access_code/update", $"{{\"lock\":\"{lockId}\",\"name\":\"NoSuchCode\",\"schedule\":{schedule}}}", $"update schedule={Cut(schedule)}");
        }
        foreach (var name in BadNames)
        {
            var pin = CasePins[pinIndex++ % CasePins.Length];
            yield return Json("bridge/request/access_code/add", $"{{\"lock\":\"{lockId}\",\"name\":{name},\"code\":\"{pin}\"}}", $"name={Cut(name)}", pin);
            yield return Json("bridge/request/access_code/update", $"{{\"lock\":\"{lockId}\",\"name\":{name},\"new_name\":{name}}}", $"update name={Cut(name)}");
            yield return Json("bridge/request/access_code/delete", $"{{\"lock\":\"{lockId}\",\"name\":{name}}}", $"delete name={Cut(name)}");
            yield return Json("bridge/request/access_code/delete", $"{{\"lock\":\"{lockId}\",\"id\":{name}}}", $"delete id={Cut(name)}");
        }
        foreach (var field in new[] { "notify_on_use", "accessor_type", "new_name", "id" })
        {
            foreach (var value in new[] { "\"\\u0000\"", "1", "[]", "{}", "\"yes\"", "null" })
            {
                yield return Json("bridge/request/access_code/add", $"{{\"lock\":\"{lockId}\",\"name\":\"\",\"code\":\"12\",\"{field}\":{value}}}", $"{field}={value}");
                yield return Json("bridge/request/access_code/update", $"{{\"lock\":\"{lockId}\",\"name\":\"NoSuchCode\",\"{field}\":{value}}}", $"update {field}={value}");
            }
        }
        foreach (var (field, values) in new (string, string[])[]
        {
            ("beeper", ["\"maybe\"", "2", "null", "[]", "\"\\u0000\""]),
            ("lock_and_leave", ["\"maybe\"", "2", "null", "{}"]),
            ("auto_lock_time", ["-1", "1.5", "1e309", "99999999999", "\"abc\"", "null", "\"\\u0000\"", "\"-5\""]),
        })
        {
            foreach (var value in values)
            {
                yield return Json($"{lockId}/set", $"{{\"{field}\":{value}}}", $"{field}={value}");
                yield return Raw($"{lockId}/set/{field}", value.Trim('"'), $"plain {field} {value}");
            }
        }
        yield return Json($"{lockId}/set", "{\"state\":\"LOCK\",\"beeper\":{\"beeper\":{\"state\":\"LOCK\",\"state\":\"UNLOCK\"}}}", "nested duplicate in a command");
        yield return Json("bridge/request/lock", $"{{\"lock\":\"{lockId}\",\"action\":\"bogus\",\"transaction\":{{\"a\":1,\"a\":2}}}}", "duplicate key inside transaction");
        yield return Json("bridge/request/access_code/add", $"{{\"lock\":\"{lockId}\",\"name\":\"Chaos\",\"code\":\"{CasePins[0]}\",\"schedule\":{{\"type\":\"Always\",\"type\":\"Recurring\"}}}}", "duplicate key inside schedule", CasePins[0]);
    }

    /// <summary>
    /// FsCheck: random mutations of valid-looking requests and commands (a field dropped, retyped, replaced by
    /// control characters or huge strings, the text cut short or bytes flipped), never a valid action.
    /// </summary>
    public static Gen<HostilePayload> Random(string lockId)
    {
        var topics = Topics(lockId).ToArray();
        var nasty = Gen.Elements(LockValues.Concat(BadPins).Concat(BadSchedules).Concat(BadNames).Concat(BadActions).ToArray());
        var fields = Gen.Elements("lock", "action", "name", "code", "schedule", "id", "new_name", "notify_on_use", "state", "beeper", "auto_lock_time", "transaction", "\\u0000", "");
        var fieldValue = from f in fields from v in nasty select (Field: f, Value: v);
        var objectGen =
            from topic in Gen.Elements(topics)
            from pairs in Gen.ArrayOf(fieldValue).Select(l => l.Take(6).ToList())
            from pin in Gen.Elements(CasePins)
            from cut in Gen.Choose(0, 3)
            from flip in Gen.Choose(0, 4)
            from position in Gen.Choose(0, 1000)
            select Mutate(lockId, topic, pairs, pin, cut, flip, position);
        return objectGen;
    }

    /// <summary>A sample of <see cref="Random"/> (each case names its mutation, so a failure can be replayed by hand).</summary>
    public static IEnumerable<HostilePayload> RandomSample(string lockId, int count) =>
        Random(lockId).Sample(count);

    /// <summary>The table, then random cases to reach <paramref name="count"/>.</summary>
    public static IEnumerable<HostilePayload> Mixed(string lockId, int count)
    {
        var table = Table(lockId).ToList();
        var sent = 0;
        foreach (var payload in table.Take(count))
        {
            sent++;
            yield return payload;
        }
        if (sent < count)
        {
            foreach (var payload in RandomSample(lockId, count - sent))
            {
                yield return payload;
            }
        }
    }

    private static HostilePayload Mutate(string lockId, string topic, List<(string Field, string Value)> pairs, string pin, int cut, int flip, int position)
    {
        var body = new StringBuilder("{");
        // The PIN rides in a field the request does not read, so an echo of the payload is caught.
        body.Append("\"lock\":\"").Append(lockId).Append("\",\"action\":\"bogus\",\"memo\":\"").Append(pin).Append('"');
        foreach (var (field, value) in pairs)
        {
            body.Append(",\"").Append(field).Append("\":").Append(value);
        }
        body.Append('}');
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        if (cut == 1 && bytes.Length > 2)
        {
            bytes = bytes[..(position % bytes.Length)];
        }
        if (flip == 1 && bytes.Length > 0)
        {
            bytes[position % bytes.Length] ^= 0x80;
        }
        else if (flip == 2 && bytes.Length > 0)
        {
            bytes[position % bytes.Length] = 0;
        }
        return new HostilePayload(topic, bytes, $"random {pairs.Count} fields cut={cut} flip={flip}@{position}", [pin]);
    }

    private static HostilePayload Json(string suffix, string json, string description, params string[] pins) =>
        new(suffix, Encoding.UTF8.GetBytes(json), description, pins);

    private static HostilePayload Raw(string suffix, string text, string description) =>
        new(suffix, Encoding.UTF8.GetBytes(text), description, []);

    private static byte[] OneMegabyte() => Encoding.UTF8.GetBytes("{\"lock\":\"" + new string('x', 1024 * 1024) + "\"}");

    private static string Cut(string value) => value.Length <= 30 ? value : value[..30] + "...";
}
