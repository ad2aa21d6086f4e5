using System.Globalization;
using System.Text;

namespace Schlage2Mqtt.Logging;

/// <summary>
/// Makes text from outside (lock and code names from the cloud, MQTT payloads) safe on one log line: CR, LF, tab,
/// the other C0 and C1 controls, DEL and the Unicode line/paragraph separators become escapes (<c>\n</c>,
/// <c>\u001b</c>), so a name cannot forge a log entry or drive the terminal. Backslashes are left alone: doubling
/// them would garble Windows paths and JSON in messages, and a literal <c>\n</c> cannot start a new line.
/// </summary>
public static class LogLineEscaper
{
    /// <summary>The text with every line-breaking or control character escaped.</summary>
    public static string Escape(string text)
    {
        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (IsUnsafe(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// An exception's text keeps its line structure (a stack trace needs it), but every line is indented, so
    /// nothing inside it can pass for a log entry of its own; controls are escaped within each line.
    /// </summary>
    public static string EscapeMultiline(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder(text.Length + lines.Length * 4);
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }
            sb.Append("    ").Append(Escape(lines[i]));
        }
        return sb.ToString();
    }

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsUnsafe(char c) => c < ' ' || c is >= '\u007f' and <= '\u009f' || c is '\u2028' or '\u2029';
}
