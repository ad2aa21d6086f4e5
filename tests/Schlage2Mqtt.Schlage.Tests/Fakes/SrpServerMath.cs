using System.Numerics;
using Schlage2Mqtt.Schlage.Auth.Srp;

namespace Schlage2Mqtt.Schlage.Tests.Fakes;

/// <summary>The server side of Cognito SRP, for the fake cloud: B = k*v + g^b, S = (A * v^u)^b.</summary>
internal static class SrpServerMath
{
    public static BigInteger Verifier(BigInteger salt, string poolName, string userIdForSrp, string password) =>
        BigInteger.ModPow(SrpMath.G, SrpMath.ComputeX(salt, poolName, userIdForSrp, password), SrpMath.N);

    public static BigInteger ComputeB(BigInteger verifier, BigInteger smallB) =>
        ((SrpMath.K * verifier) + BigInteger.ModPow(SrpMath.G, smallB, SrpMath.N)) % SrpMath.N;

    public static BigInteger ComputeS(BigInteger largeA, BigInteger verifier, BigInteger u, BigInteger smallB) =>
        BigInteger.ModPow(largeA * BigInteger.ModPow(verifier, u, SrpMath.N) % SrpMath.N, smallB, SrpMath.N);
}
