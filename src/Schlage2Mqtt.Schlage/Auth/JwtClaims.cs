using System.Buffers.Text;
using System.Text.Json;

namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>
/// Reads the two claims a pasted token is useful for: its expiry and Cognito's internal username.
/// Signatures are not checked: the cloud does that, and this only decides when to renew.
/// </summary>
internal static class JwtClaims
{
    public static (DateTimeOffset? ExpiresAt, string? Username) Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, null);
        }
        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            DateTimeOffset? expiresAt = root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
            string? username = null;
            foreach (var claim in (ReadOnlySpan<string>)["username", "cognito:username"])
            {
                if (root.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    username = value.GetString();
                    break;
                }
            }
            return (expiresAt, username);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException)
        {
            return (null, null);
        }
    }
}
