using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// Writes <see cref="LockStatePayload"/> as the contract has it: the source-generated metadata of
/// <see cref="ContractJson"/>, with each capability field (its <see cref="LockEntityCatalogue"/> row) written only
/// when the payload's lock has the feature. A lock without a beeper has no <c>beeper</c> key at all, where a lock
/// with one that did not report it has <c>"beeper": null</c>.
/// </summary>
public static class LockStateJson
{
    /// <summary>The metadata to serialize a lock state with.</summary>
    public static JsonTypeInfo<LockStatePayload> TypeInfo { get; } = Build();

    /// <summary>The state as UTF-8 JSON.</summary>
    public static byte[] ToUtf8(LockStatePayload state) => JsonSerializer.SerializeToUtf8Bytes(state, TypeInfo);

    private static JsonTypeInfo<LockStatePayload> Build()
    {
        // Options are frozen by the first GetTypeInfo, so this one instance is never changed after start.
        var options = new JsonSerializerOptions(ContractJson.Default.Options)
        {
            TypeInfoResolver = ContractJson.Default.WithAddedModifier(OmitWhatTheLockLacks),
        };
        return (JsonTypeInfo<LockStatePayload>)options.GetTypeInfo(typeof(LockStatePayload));
    }

    private static void OmitWhatTheLockLacks(JsonTypeInfo info)
    {
        if (info.Type != typeof(LockStatePayload))
        {
            return;
        }
        foreach (var property in info.Properties)
        {
            if (LockEntityCatalogue.ByStateField(property.Name) is { StateNeeds: not LockFeatures.None } entity)
            {
                property.ShouldSerialize = (payload, _) => entity.StateFieldOfferedTo(((LockStatePayload)payload).Features);
            }
        }
    }
}
