using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>Source-generated serializers for the REST surface.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(CurrentUserDocument))]
[JsonSerializable(typeof(IReadOnlyList<UserDocument>))]
[JsonSerializable(typeof(DeviceDocument))]
[JsonSerializable(typeof(IReadOnlyList<DeviceDocument>))]
[JsonSerializable(typeof(IReadOnlyList<AccessCodeDocument>))]
[JsonSerializable(typeof(IReadOnlyList<LogDocument>))]
[JsonSerializable(typeof(NotificationDocument))]
[JsonSerializable(typeof(IReadOnlyList<NotificationDocument>))]
[JsonSerializable(typeof(CommandResultDocument))]
[JsonSerializable(typeof(AsyncCommandDocument))]
[JsonSerializable(typeof(CommandStatusDocument))]
[JsonSerializable(typeof(PushDetailsDocument))]
[JsonSerializable(typeof(PushMessageDocument))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
