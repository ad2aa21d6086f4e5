using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Schlage2Mqtt.Chaos;

/// <summary>
/// Counts secrets in text the bridge wrote (log lines, MQTT messages): the demo password, the API key, JWT-looking
/// tokens (<c>eyJ</c>...) and every PIN the suite used. A PIN counts only as a whole number (not inside a longer run of
/// digits). Examples are kept with the secret masked, so the report itself leaks nothing.
/// </summary>
public sealed partial class SecretScanner
{
    private readonly ConcurrentDictionary<string, byte> _pins = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _examples = new();
    private readonly string[] _fixed;
    private long _hits;
    private long _pinHits;
    private long _scanned;

    /// <param name="secrets">Fixed secrets (password, API key).</param>
    public SecretScanner(params string[] secrets)
    {
        _fixed = secrets;
    }

    /// <summary>Secrets found (password, key, token).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>PINs found.</summary>
    public long PinHits => Interlocked.Read(ref _pinHits);

    /// <summary>Texts scanned.</summary>
    public long Scanned => Interlocked.Read(ref _scanned);

    /// <summary>Up to 10 masked examples.</summary>
    public IReadOnlyCollection<string> Examples => _examples;

    /// <summary>Registers a PIN the suite sends.</summary>
    public void AddPin(string pin) => _pins.TryAdd(pin, 0);

    /// <summary>Scans one text from <paramref name="source"/>.</summary>
    public void Scan(string source, string text)
    {
        Interlocked.Increment(ref _scanned);
        foreach (var secret in _fixed)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                Found(ref _hits, source, text, secret);
            }
        }
        if (Jwt().Match(text) is { Success: true } jwt)
        {
            Found(ref _hits, source, text, jwt.Value);
        }
        if (_pins.IsEmpty)
        {
            return;
        }
        foreach (Match number in Digits().Matches(text))
        {
            if (_pins.ContainsKey(number.Value))
            {
                Found(ref _pinHits, source, text, number.Value);
            }
        }
    }

    private void Found(ref long counter, string source, string text, string secret)
    {
        Interlocked.Increment(ref counter);
        if (_examples.Count < 10)
        {
            var masked = text.Replace(secret, "<" + secret.Length + " chars>", StringComparison.Ordinal);
            _examples.Enqueue($"{source}: {(masked.Length > 200 ? masked[..200] + "..." : masked)}");
        }
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]{8,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<!\d)\d{4,8}(?!\d)")]
    private static partial Regex Digits();
}
