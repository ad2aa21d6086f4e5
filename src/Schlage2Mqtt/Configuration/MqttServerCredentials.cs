using System.Text.RegularExpressions;

namespace Schlage2Mqtt.Configuration;

/// <summary>
/// Broker credentials written into <c>mqtt.server</c> (<c>mqtt://user:password@host</c>): taken out of the URL
/// (percent-decoded) so the bridge uses them, and masked wherever the URL is shown, since the URL is printed by
/// <c>check-config</c>, the start-up log and error messages.
/// </summary>
internal static partial class MqttServerCredentials
{
    /// <summary>The URL without its userinfo, and the user and password it carried (null when absent).</summary>
    public static (string Url, string? User, string? Password) Split(string url)
    {
        var match = UserInfo().Match(url);
        if (!match.Success)
        {
            return (url, null, null);
        }
        var info = match.Groups["info"].Value;
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? info : info[..colon]);
        var password = colon < 0 ? null : Uri.UnescapeDataString(info[(colon + 1)..]);
        return (match.Groups["scheme"].Value + url[match.Length..], user.Length == 0 ? null : user, password);
    }

    /// <summary>The URL as it may be shown: a password in it becomes <c>***</c> (the user name stays, to diagnose).</summary>
    public static string Redact(string url)
    {
        var match = UserInfo().Match(url);
        if (!match.Success)
        {
            return url;
        }
        var info = match.Groups["info"].Value;
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        var shown = colon < 0 ? info : info[..colon] + ":***";
        return match.Groups["scheme"].Value + shown + "@" + url[match.Length..];
    }

    // The last '@' before the host ends the userinfo: an unescaped '@' in a password must not leak its tail.
    [GeneratedRegex("^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?<info>[^/?#]*)@")]
    private static partial Regex UserInfo();
}
