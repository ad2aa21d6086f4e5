using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>What <c>schlage2mqtt login</c> reports.</summary>
/// <param name="Failure">Why the login failed; null when it succeeded.</param>
/// <param name="Locks">Locks the account sees (empty when listing failed).</param>
/// <param name="LocksFailure">Why listing the locks failed, after a successful login.</param>
public sealed record LoginResult(AuthFailure? Failure, IReadOnlyList<CloudLock> Locks, CloudFailure? LocksFailure)
{
    /// <summary>True when the login succeeded (and the refresh token was stored).</summary>
    public bool Succeeded => Failure is null;
}
