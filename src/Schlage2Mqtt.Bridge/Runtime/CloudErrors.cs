using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>Translates a typed cloud failure into the contract's error with its hint.</summary>
internal static class CloudErrors
{
    public static BridgeError ToBridgeError(CloudFailure failure, string what) => failure.Kind switch
    {
        CloudFailureKind.LockOffline => BridgeErrors.LockOffline(failure.CloudMessage),
        CloudFailureKind.Unauthorized or CloudFailureKind.ReauthRequired => BridgeErrors.Unauthorized(failure.Message),
        CloudFailureKind.Throttled => BridgeErrors.Throttled(failure.RetryAfter),
        CloudFailureKind.OutcomeUnknown => BridgeErrors.OutcomeUnknown(what),
        CloudFailureKind.Invalid => new BridgeError("invalid_value", failure.Message, "Use a value the lock's model offers (see the Home Assistant select)."),
        CloudFailureKind.NotFound => new BridgeError("unknown_lock", "The Schlage cloud no longer knows this lock.", "It may have been removed from the account; the next poll updates the lock list."),
        _ => BridgeErrors.CloudError(failure.CloudMessage ?? failure.Message),
    };
}
