using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>Source-generated (de)serialization of the REST documents: camelCase, tolerant reading.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(SchlageUser))]
[JsonSerializable(typeof(List<SchlageUser>))]
[JsonSerializable(typeof(SchlageDevice))]
[JsonSerializable(typeof(List<SchlageDevice>))]
[JsonSerializable(typeof(List<SchlageLogEntry>))]
[JsonSerializable(typeof(List<SchlageAccessCode>))]
[JsonSerializable(typeof(SchlageAccessCode))]
[JsonSerializable(typeof(List<JsonObject>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(SchlageNotification))]
[JsonSerializable(typeof(List<SchlageNotification>))]
[JsonSerializable(typeof(AttributesUpdateRequest))]
[JsonSerializable(typeof(ChangeLockStateCommand))]
[JsonSerializable(typeof(AccessCodeCommand))]
[JsonSerializable(typeof(CommandAnswer))]
[JsonSerializable(typeof(CloudErrorBody))]
[JsonSerializable(typeof(SchlagePushDetails))]
[JsonSerializable(typeof(PushEnvelope))]
[JsonSerializable(typeof(SubscriberDocument))]
[JsonSerializable(typeof(SubscriberRequest))]
internal sealed partial class SchlageJsonContext : JsonSerializerContext;
