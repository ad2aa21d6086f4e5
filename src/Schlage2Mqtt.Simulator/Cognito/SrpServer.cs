using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Schlage2Mqtt.Simulator.Cognito;

/// <summary>The server half of Cognito's SRP-6a variant, byte-compatible with AWS's client helpers.</summary>
internal static class SrpServer
{
    private static readonly byte[] HkdfInfo = Encoding.UTF8.GetBytes("Caldera Derived Key\u0001");

    /// <summary>x = H(PAD(salt) | H(poolName + userIdForSrp + ":" + password)).</summary>
    public static BigInteger ComputeX(string poolName, string userIdForSrp, string password, BigInteger salt)
    {
        var inner = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{poolName}{userIdForSrp}:{password}")));
        return SrpHex.Parse(SrpHex.HexHash(SrpHex.PadHex(salt) + inner));
    }

    public static BigInteger ComputeVerifier(BigInteger x) => BigInteger.ModPow(SrpGroup.G, x, SrpGroup.N);

    /// <summary>B = (k*v + g^b) mod N.</summary>
    public static BigInteger ComputeB(BigInteger verifier, BigInteger b) =>
        (SrpGroup.K * verifier + BigInteger.ModPow(SrpGroup.G, b, SrpGroup.N)) % SrpGroup.N;

    /// <summary>u = H(PAD(A) | PAD(B)).</summary>
    public static BigInteger ComputeU(BigInteger a, BigInteger b) =>
        SrpHex.Parse(SrpHex.HexHash(SrpHex.PadHex(a) + SrpHex.PadHex(b)));

    /// <summary>S = (A * v^u)^b mod N.</summary>
    public static BigInteger ComputeS(BigInteger bigA, BigInteger verifier, BigInteger u, BigInteger b) =>
        BigInteger.ModPow(bigA * BigInteger.ModPow(verifier, u, SrpGroup.N) % SrpGroup.N, b, SrpGroup.N);

    /// <summary>HKDF-SHA256 (one block) of PAD(S) salted with PAD(u), info "Caldera Derived Key", 16 bytes.</summary>
    public static byte[] DeriveKey(BigInteger s, BigInteger u)
    {
        var prk = HMACSHA256.HashData(SrpHex.PadBytes(u), SrpHex.PadBytes(s));
        return HMACSHA256.HashData(prk, HkdfInfo)[..16];
    }

    /// <summary>Base64(HMAC-SHA256(key, poolName + userIdForSrp + secretBlock + timestamp)).</summary>
    public static string ComputeSignature(byte[] key, string poolName, string userIdForSrp, byte[] secretBlock, string timestamp)
    {
        var message = new List<byte>();
        message.AddRange(Encoding.UTF8.GetBytes(poolName));
        message.AddRange(Encoding.UTF8.GetBytes(userIdForSrp));
        message.AddRange(secretBlock);
        message.AddRange(Encoding.UTF8.GetBytes(timestamp));
        return Convert.ToBase64String(HMACSHA256.HashData(key, message.ToArray()));
    }

    /// <summary>Base64(HMAC-SHA256(clientSecret, username + clientId)).</summary>
    public static string SecretHash(string clientSecret, string username, string clientId) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(username + clientId)));
}
