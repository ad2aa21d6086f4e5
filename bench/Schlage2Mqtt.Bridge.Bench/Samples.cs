namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Latency samples in milliseconds, summarised by nearest-rank percentiles.</summary>
internal sealed class Samples
{
    private readonly List<double> _ms = [];

    public int Count => _ms.Count;

    public void Add(TimeSpan value) => _ms.Add(value.TotalMilliseconds);

    /// <summary>The nearest-rank percentile: the smallest sample with at least <paramref name="p"/>% of the samples at or below it.</summary>
    public double Percentile(double p)
    {
        if (_ms.Count == 0)
        {
            return double.NaN;
        }
        var sorted = _ms.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public double Max => _ms.Count == 0 ? double.NaN : _ms.Max();

    public double Mean => _ms.Count == 0 ? double.NaN : _ms.Average();
}
