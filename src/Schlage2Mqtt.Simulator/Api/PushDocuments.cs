namespace Schlage2Mqtt.Simulator.Api;

/// <summary>
/// What <c>GET users/wss</c> answers (reference section 8): the MQTT client id, the presigned MQTT-over-WebSocket URL
/// and the topic filters of the account.
/// </summary>
internal sealed record PushDetailsDocument(string ClientId, string WssUri, IReadOnlyList<string> Topics);

/// <summary>A push message: <c>{"reported": &lt;device document&gt;}</c>, the document exactly as <c>GET devices</c> answers it.</summary>
internal sealed record PushMessageDocument(DeviceDocument Reported);
