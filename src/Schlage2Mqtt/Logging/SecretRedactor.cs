using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Schlage2Mqtt.Logging;

/// <summary>
/// Scrubs secrets from text bound for a log: every value registered with <see cref="Add"/> (passwords, api keys,
/// pasted tokens from the configuration) and anything shaped like a secret (JWT/JWE tokens, bearer headers,
/// password/token/api-key fields, PIN fields, AWS presigned-URL signatures), whoever forgot to keep it out.
/// </summary>
public sealed partial class SecretRedactor
{
    /// <summary>What a redacted secret is replaced with.</summary>
    public const string Mask = "***";

    private ImmutableArray<string> _secrets = [];

    /// <summary>Registers a value that must never be written. Values shorter than 4 characters are ignored.</summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 4)
        {
            return;
        }
        ImmutableInterlocked.Update(ref _secrets, (list, s) => list.Contains(s) ? list : list.Add(s)
            .Sort((a, b) => b.Length.CompareTo(a.Length)), secret);
    }

    /// <summary>Returns <paramref name="text"/> with every secret replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        text = Token().Replace(text, Mask);
        text = Bearer().Replace(text, "Bearer " + Mask);
        text = NamedField().Replace(text, m => m.Groups["pre"].Value + Mask + m.Groups["post"].Value);
        text = PinField().Replace(text, m => m.Groups["pre"].Value + Mask + m.Groups["post"].Value);
        text = AwsSignature().Replace(text, m => m.Groups["pre"].Value + Mask);
        return text;
    }

    // JWT (3 parts) and JWE (5 parts) tokens always start with a base64url '{"' header.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,4}")]
    private static partial Regex Token();

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9._~+/=-]+", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();

    // "password": "x", password=x, api_key: x, X-Api-Key: x, refresh_token ... (JSON, query strings, YAML-ish).
    [GeneratedRegex("""(?<pre>["']?\b(?:password|passwd|secret|client_secret|token|access_token|refresh_token|id_token|accesstoken|refreshtoken|idtoken|api_key|apikey|x-api-key|secret_hash|srp_a|password_claim_signature)\b["']?\s*[:=]\s*["']?)(?<value>[^"'\s,;&}]+)(?<post>["']?)""", RegexOptions.IgnoreCase)]
    private static partial Regex NamedField();

    // PIN-bearing fields: a code of 4-8 digits under a code/pin/accessCode key.
    [GeneratedRegex("""(?<pre>["']?\b(?:pin|code|access_code|accesscode)\b["']?\s*[:=]\s*["']?)(?<value>[0-9]{4,8})(?<post>["']?)(?![0-9])""", RegexOptions.IgnoreCase)]
    private static partial Regex PinField();

    [GeneratedRegex(@"(?<pre>X-Amz-(?:Signature|Security-Token|Credential)=)[^&\s""]+", RegexOptions.IgnoreCase)]
    private static partial Regex AwsSignature();
}
