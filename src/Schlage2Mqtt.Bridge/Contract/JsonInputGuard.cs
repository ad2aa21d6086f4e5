using System.Text;
using System.Text.Json;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// Checks a JSON command or request before any field is read: every key appears once per object (with
/// <c>{"state":"LOCK","state":"UNLOCK"}</c> it is unclear which one the sender meant, and a parser silently takes the
/// last), and every key and string is valid Unicode (a lone surrogate escape such as <c>"\ud800"</c> is legal JSON
/// but cannot become a .NET string, so reading it would throw deep inside a handler).
/// </summary>
public static class JsonInputGuard
{
    /// <summary>The first problem in <paramref name="utf8Json"/> (already known to parse), or null.</summary>
    public static BridgeError? Check(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        // One key set per open object; arrays push null so the stack mirrors the nesting.
        var keys = new Stack<HashSet<string>?>();
        var path = new Stack<string>();
        string? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        path.Push(pendingKey ?? (path.Count == 0 ? "" : "[]"));
                        pendingKey = null;
                        keys.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        path.Push(pendingKey ?? "[]");
                        pendingKey = null;
                        keys.Push(null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        keys.Pop();
                        path.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        if (!TryGetString(ref reader, out var name))
                        {
                            return Invalid(Path(path, null), "has a key that is not valid Unicode (a lone surrogate escape such as \\ud800)", "Send keys and text as valid UTF-8 or complete surrogate pairs.");
                        }
                        if (keys.Peek() is { } seen && !seen.Add(name))
                        {
                            return Invalid(Path(path, name), "appears more than once", "Send each key once: with a duplicate key it is unclear which value is meant.");
                        }
                        pendingKey = name;
                        break;
                    case JsonTokenType.String:
                        if (!TryGetString(ref reader, out _))
                        {
                            return Invalid(Path(path, pendingKey), "is not valid Unicode text (a lone surrogate escape such as \\ud800)", "Send text as valid UTF-8 or complete surrogate pairs.");
                        }
                        pendingKey = null;
                        break;
                    default:
                        pendingKey = null;
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return BridgeErrors.InvalidJson(ex.Message);
        }
        return null;
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    private static BridgeError Invalid(string field, string problem, string hint) =>
        BridgeErrors.InvalidRequest(field.Length == 0 ? "payload" : field, problem, hint);

    // Dotted from the root, e.g. schedule.type; keys are attacker-chosen, so each is made printable and short.
    private static string Path(Stack<string> path, string? key)
    {
        var builder = new StringBuilder();
        foreach (var part in path.Reverse().Append(key ?? ""))
        {
            if (part.Length == 0)
            {
                continue;
            }
            if (builder.Length > 0 && part != "[]")
            {
                builder.Append('.');
            }
            builder.Append(InputText.Shorten(part, 40));
            if (builder.Length > 120)
            {
                return builder.ToString(0, 120) + "...";
            }
        }
        return builder.ToString();
    }
}
