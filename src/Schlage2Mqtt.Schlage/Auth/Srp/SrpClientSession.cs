using System.Numerics;
using System.Security.Cryptography;

namespace Schlage2Mqtt.Schlage.Auth.Srp;

/// <summary>
/// One SRP login attempt: holds the private value a, announces A, then answers the
/// PASSWORD_VERIFIER challenge. A fresh instance per login; never reused.
/// </summary>
internal sealed class SrpClientSession
{
    private readonly BigInteger _smallA;

    /// <summary>Starts a session with a fresh random 1024-bit private value.</summary>
    public SrpClientSession()
        : this(new BigInteger(RandomNumberGenerator.GetBytes(128), isUnsigned: true, isBigEndian: true))
    {
    }

    /// <summary>Starts a session with a fixed private value (tests and reference vectors only).</summary>
    public SrpClientSession(BigInteger smallA)
    {
        _smallA = smallA;
        LargeA = SrpMath.ComputeA(smallA);
    }

    /// <summary>The public value A.</summary>
    public BigInteger LargeA { get; }

    /// <summary>SRP_A as InitiateAuth sends it: plain lower-case hex, as the AWS client writes it.</summary>
    public string SrpA => SrpHex.ToHex(LargeA);

    /// <summary>Computes PASSWORD_CLAIM_SIGNATURE for a challenge.</summary>
    /// <exception cref="CryptographicException">The server sent a degenerate B (or u came out zero).</exception>
    public string ComputeSignature(
        string poolName, string userIdForSrp, string password, string saltHex, string serverBHex, string secretBlockBase64, string timestamp)
    {
        var largeB = SrpHex.Parse(serverBHex);
        if ((largeB % SrpMath.N).IsZero)
        {
            throw new CryptographicException("SRP: the server's B is zero mod N.");
        }
        var u = SrpMath.ComputeU(LargeA, largeB);
        if (u.IsZero)
        {
            throw new CryptographicException("SRP: u is zero.");
        }
        var x = SrpMath.ComputeX(SrpHex.Parse(saltHex), poolName, userIdForSrp, password);
        var s = SrpMath.ComputeS(largeB, x, _smallA, u);
        var key = SrpMath.DeriveKey(s, u);
        return SrpMath.Sign(key, poolName, userIdForSrp, Convert.FromBase64String(secretBlockBase64), timestamp);
    }

    /// <inheritdoc />
    public override string ToString() => "SrpClientSession";
}
