using System.Numerics;

namespace Schlage2Mqtt.Schlage.Tests.Fakes;

/// <summary>An account of the fake cloud. The fake keeps only the SRP verifier, as Cognito does.</summary>
internal sealed class FakeUser
{
    public required string Email { get; init; }

    public required string UserIdForSrp { get; init; }

    public required string IdentityId { get; init; }

    public string FriendlyName { get; init; } = "Alice";

    public required BigInteger Salt { get; init; }

    public required BigInteger Verifier { get; set; }

    public bool Confirmed { get; set; } = true;

    public bool ResetRequired { get; set; }
}
