using System.Globalization;

namespace Schlage2Mqtt.Simulator.Internal;

/// <summary>
/// One seeded <see cref="Random"/> stream, safe to share between request threads.
/// Each subsystem owns its own stream (derived from the simulator seed) so that, say,
/// an extra login does not shift the ids the device world hands out.
/// </summary>
internal sealed class SeededRandom
{
    private readonly Lock _gate = new();
    private readonly Random _random;

    public SeededRandom(int seed, int stream)
    {
        // Mixing the stream number in keeps streams independent yet reproducible.
        _random = new Random(unchecked(seed * 397 ^ (stream * 7919 + 17)));
    }

    public byte[] NextBytes(int count)
    {
        var bytes = new byte[count];
        lock (_gate) { _random.NextBytes(bytes); }
        return bytes;
    }

    public int Next(int minInclusive, int maxExclusive)
    {
        lock (_gate) { return _random.Next(minInclusive, maxExclusive); }
    }

    public double NextDouble()
    {
        lock (_gate) { return _random.NextDouble(); }
    }

    /// <summary>A version-4-shaped UUID string, lower case, from the seeded stream.</summary>
    public string NextUuid()
    {
        var b = NextBytes(16);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return string.Create(CultureInfo.InvariantCulture, $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}");
    }

    public string NextHex(int bytes) => Convert.ToHexStringLower(NextBytes(bytes));
}
