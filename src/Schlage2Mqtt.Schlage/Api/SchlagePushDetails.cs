namespace Schlage2Mqtt.Schlage.Api;

/// <summary>
/// The answer of <c>GET users/wss</c>: how to reach the account's AWS IoT push channel. <see cref="WssUri"/> is a
/// presigned, time-limited URL whose query carries credentials (<c>X-Amz-Signature</c>, <c>X-Amz-Credential</c>,
/// <c>X-Amz-Security-Token</c>): it is never logged, and <see cref="ToString"/> shows only its scheme, host and path.
/// </summary>
public sealed record SchlagePushDetails
{
    /// <summary>The MQTT client id to connect with (the phone app uses the same one).</summary>
    public string? ClientId { get; init; }

    /// <summary>The presigned MQTT-over-WebSocket URL (<c>wss://...-ats.iot.&lt;region&gt;.amazonaws.com/mqtt?X-Amz-...</c>).</summary>
    public string? WssUri { get; init; }

    /// <summary>Topic filters to subscribe to, like <c>thincloud/users/&lt;userId&gt;/devices/#</c>.</summary>
    public IReadOnlyList<string>? Topics { get; init; }

    /// <summary>The URL without its query (safe to log).</summary>
    public string SafeUri => Uri.TryCreate(WssUri, UriKind.Absolute, out var uri)
        ? $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}"
        : "(not a URL)";

    /// <inheritdoc />
    public override string ToString() =>
        $"SchlagePushDetails {{ ClientId = {ClientId}, WssUri = {SafeUri}?***, Topics = [{string.Join(", ", Topics ?? [])}] }}";
}
