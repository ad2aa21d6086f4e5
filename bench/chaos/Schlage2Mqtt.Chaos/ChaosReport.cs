using System.Globalization;
using System.Text;

namespace Schlage2Mqtt.Chaos;

/// <summary>The figures of one run, one row per section; a goal column says what the row should read.</summary>
public sealed class ChaosReport
{
    private readonly List<(string Section, string Figures, string Goal, bool Met)> _rows = [];

    /// <summary>Notes printed under the table (how a figure was measured, first failures).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Rows so far.</summary>
    public IReadOnlyList<(string Section, string Figures, string Goal, bool Met)> Rows => _rows;

    /// <summary>Adds a row.</summary>
    public void Add(string section, string figures, string goal, bool met)
    {
        lock (_rows)
        {
            _rows.Add((section, figures, goal, met));
        }
    }

    /// <summary>True when every row met its goal.</summary>
    public bool AllMet => _rows.All(r => r.Met);

    /// <summary>The table as Markdown.</summary>
    public string Render(ChaosOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"schlage2mqtt chaos suite ({(options.Quick ? "quick" : "full")} mode, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)");
        text.AppendLine();
        text.AppendLine("| section | figures | goal | met |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (section, figures, goal, met) in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {section} | {figures} | {goal} | {(met ? "yes" : "**NO**")} |");
        }
        if (Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in Notes)
            {
                text.AppendLine("- " + note);
            }
        }
        return text.ToString();
    }
}
