using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Progress lines prefixed with the time since the benchmark started, so slow phases show.</summary>
internal sealed class TimestampedWriter(TextWriter inner, Stopwatch clock) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void WriteLine(string? value) =>
        inner.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:m\\:ss}] {value}"));

    public override void WriteLine() => inner.WriteLine();

    public override void Write(char value) => inner.Write(value);
}
