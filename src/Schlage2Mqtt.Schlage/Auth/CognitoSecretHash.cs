using System.Security.Cryptography;
using System.Text;

namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>SECRET_HASH = Base64(HMAC-SHA256(key: client secret, message: username + client id)).</summary>
internal static class CognitoSecretHash
{
    /// <summary>Computes the hash, or null when no client secret is configured (then none is sent).</summary>
    public static string? Compute(string username, string clientId, string? clientSecret)
    {
        if (string.IsNullOrEmpty(clientSecret))
        {
            return null;
        }
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(username + clientId));
        return Convert.ToBase64String(mac);
    }
}
