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
    // Options are frozen by the first GetTypeInfo, so this one instance is never changed after start. Declared
    // before the members below: static initializers run in textual order.
    private static readonly JsonSerializerOptions Options = new(ContractJson.Default.Options)
    {
        TypeInfoResolver = ContractJson.Default.WithAddedModifier(OmitWhatTheLockLacks),
    };

    /// <summary>The metadata to serialize a lock state with.</summary>
    public static JsonTypeInfo<LockStatePayload> TypeInfo { get; } = (JsonTypeInfo<LockStatePayload>)Options.GetTypeInfo(typeof(LockStatePayload));

    /// <summary>The metadata of a lock in a request's answer, its state written the same way.</summary>
    public static JsonTypeInfo<LockListing> ListingTypeInfo { get; } = (JsonTypeInfo<LockListing>)Options.GetTypeInfo(typeof(LockListing));

    /// <summary>The metadata of a list of locks in a request's answer.</summary>
    public static JsonTypeInfo<IReadOnlyList<LockListing>> ListingsTypeInfo { get; } =
        (JsonTypeInfo<IReadOnlyList<LockListing>>)Options.GetTypeInfo(typeof(IReadOnlyList<LockListing>));

    /// <summary>The state as UTF-8 JSON.</summary>
    public static byte[] ToUtf8(LockStatePayload state) => JsonSerializer.SerializeToUtf8Bytes(state, TypeInfo);

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
