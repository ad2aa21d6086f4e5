using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Simulator.Subscribers;

/// <summary>A websocket subscriber as seed 004 answers it: <c>{subscriberID, scopes, clientID, userID}</c>.</summary>
internal sealed record SubscriberDocument(
    [property: JsonPropertyName("subscriberID")] string SubscriberId,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string> Scopes,
    [property: JsonPropertyName("clientID")] string ClientId,
    [property: JsonPropertyName("userID")] string UserId);

/// <summary>The body of <c>POST /websocket/subscribers</c>.</summary>
internal sealed record SubscriberRequest([property: JsonPropertyName("scopes")] IReadOnlyList<string>? Scopes);

/// <summary><c>{"message": ...}</c>: seed 004's answer to a DELETE, and Socket.IO's connect_error payload.</summary>
internal sealed record SubscriberMessage([property: JsonPropertyName("message")] string Message);

/// <summary>A <c>data</c> event: <c>{lockID, lockAction, doorState}</c>.</summary>
internal sealed record SubscriberEvent(
    [property: JsonPropertyName("lockID")] string LockId,
    [property: JsonPropertyName("lockAction")] string LockAction,
    [property: JsonPropertyName("doorState")] string DoorState);

/// <summary>The Engine.IO v4 open packet's payload.</summary>
internal sealed record EngineIoOpen(
    [property: JsonPropertyName("sid")] string Sid,
    [property: JsonPropertyName("upgrades")] IReadOnlyList<string> Upgrades,
    [property: JsonPropertyName("pingInterval")] long PingInterval,
    [property: JsonPropertyName("pingTimeout")] long PingTimeout,
    [property: JsonPropertyName("maxPayload")] long MaxPayload);

/// <summary>The Socket.IO v5 connect acknowledgement's payload (<c>40{"sid": ...}</c>).</summary>
internal sealed record SocketIoConnected([property: JsonPropertyName("sid")] string Sid);

/// <summary>Engine.IO's answer to a handshake it refuses over HTTP (<c>{"code": 0, "message": "Transport unknown"}</c>).</summary>
internal sealed record EngineIoError([property: JsonPropertyName("code")] int Code, [property: JsonPropertyName("message")] string Message);

/// <summary>Source-generated serializers for the subscriber API and its socket (wire names as seed 004 spells them; admin camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SubscriberDocument))]
[JsonSerializable(typeof(SubscriberRequest))]
[JsonSerializable(typeof(SubscriberMessage))]
[JsonSerializable(typeof(SubscriberEvent))]
[JsonSerializable(typeof(EngineIoOpen))]
[JsonSerializable(typeof(SocketIoConnected))]
[JsonSerializable(typeof(EngineIoError))]
[JsonSerializable(typeof(IReadOnlyList<SimulatedSubscriber>))]
[JsonSerializable(typeof(string))]
internal sealed partial class SubscriberJsonContext : JsonSerializerContext;
