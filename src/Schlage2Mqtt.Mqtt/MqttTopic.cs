using System.Text;

namespace Schlage2Mqtt.Mqtt;

/// <summary>Topic name and topic filter rules of MQTT 3.1.1 section 4.7 and MQTT 5 section 4.7, and filter matching.</summary>
public static class MqttTopic
{
    private const int MaxUtf8Length = 65535;

    /// <summary>Returns <see langword="null"/> when <paramref name="topic"/> is a valid topic name, else why not.</summary>
    public static string? CheckTopicName(string? topic)
    {
        var common = CheckString(topic, "topic name");
        if (common is not null)
        {
            return common;
        }
        return topic!.AsSpan().IndexOfAny('+', '#') >= 0
            ? $"topic name '{topic}' must not contain the wildcards '+' or '#'"
            : null;
    }

    /// <summary>Returns <see langword="null"/> when <paramref name="filter"/> is a valid topic filter, else why not.</summary>
    public static string? CheckTopicFilter(string? filter)
    {
        var common = CheckString(filter, "topic filter");
        if (common is not null)
        {
            return common;
        }
        var span = filter!.AsSpan();
        if (span.StartsWith("$share/", StringComparison.Ordinal))
        {
            var rest = span["$share/".Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0 || rest[..slash].IndexOfAny('+', '#') >= 0 || slash == rest.Length - 1)
            {
                return $"shared subscription '{filter}' must be '$share/<name>/<filter>' with a non-empty name without wildcards";
            }
            span = rest[(slash + 1)..];
        }
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            var levelStart = i == 0 || span[i - 1] == '/';
            var levelEnd = i == span.Length - 1 || span[i + 1] == '/';
            if (c == '+' && !(levelStart && levelEnd))
            {
                return $"topic filter '{filter}': '+' must occupy a whole level";
            }
            if (c == '#' && !(levelStart && i == span.Length - 1))
            {
                return $"topic filter '{filter}': '#' must be the last character and occupy a whole level";
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="topic"/> is a valid topic name.</summary>
    public static bool IsValidTopicName(string? topic) => CheckTopicName(topic) is null;

    /// <summary>True when <paramref name="filter"/> is a valid topic filter.</summary>
    public static bool IsValidTopicFilter(string? filter) => CheckTopicFilter(filter) is null;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="paramName"/> when the topic name is invalid.</summary>
    public static void ValidateTopicName(string? topic, string paramName = "topic")
    {
        var error = CheckTopicName(topic);
        if (error is not null)
        {
            throw new ArgumentException(error, paramName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="paramName"/> when the topic filter is invalid.</summary>
    public static void ValidateTopicFilter(string? filter, string paramName = "topicFilter")
    {
        var error = CheckTopicFilter(filter);
        if (error is not null)
        {
            throw new ArgumentException(error, paramName);
        }
    }

    /// <summary>
    /// True when the (valid) <paramref name="filter"/> matches the (valid) topic name <paramref name="topic"/>.
    /// Topics starting with <c>$</c> are not matched by filters starting with a wildcard; a shared subscription
    /// filter matches like the filter inside it.
    /// </summary>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);
        var f = filter.AsSpan();
        var t = topic.AsSpan();
        if (f.StartsWith("$share/", StringComparison.Ordinal))
        {
            var rest = f["$share/".Length..];
            var slash = rest.IndexOf('/');
            if (slash < 0)
            {
                return false;
            }
            f = rest[(slash + 1)..];
        }
        if (t.Length > 0 && t[0] == '$' && f.Length > 0 && (f[0] == '+' || f[0] == '#'))
        {
            return false;
        }
        while (true)
        {
            var fSlash = f.IndexOf('/');
            var fLevel = fSlash < 0 ? f : f[..fSlash];
            if (fLevel is "#")
            {
                return true;
            }
            var tSlash = t.IndexOf('/');
            var tLevel = tSlash < 0 ? t : t[..tSlash];
            if (!(fLevel is "+") && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }
            if (fSlash < 0 || tSlash < 0)
            {
                // "a/#" also matches "a": the parent level.
                return fSlash < 0 && tSlash < 0 || (tSlash < 0 && f[(fSlash + 1)..] is "#");
            }
            f = f[(fSlash + 1)..];
            t = t[(tSlash + 1)..];
        }
    }

    internal static string? CheckString(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{what} must not be empty";
        }
        return CheckUtf8(value, what);
    }

    /// <summary>MQTT UTF-8 string rules: well-formed (no lone surrogates), no U+0000, at most 65535 bytes.</summary>
    internal static string? CheckUtf8(string value, string what)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return $"{what} must not contain U+0000";
        }
        if (!IsWellFormed(value))
        {
            return $"{what} is not well-formed UTF-16 (lone surrogate)";
        }
        if (value.Length > MaxUtf8Length / 3 && Encoding.UTF8.GetByteCount(value) > MaxUtf8Length)
        {
            return $"{what} is longer than 65535 UTF-8 bytes";
        }
        return null;
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}
