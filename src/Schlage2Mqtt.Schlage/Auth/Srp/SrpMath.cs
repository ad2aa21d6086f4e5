using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Schlage2Mqtt.Schlage.Auth.Srp;

/// <summary>
/// The client side of Cognito's SRP-6a variant (3072-bit group, SHA-256, HKDF "Caldera Derived Key").
/// Every step is a separate method so each one can be checked against the reference vectors.
/// </summary>
internal static class SrpMath
{
    /// <summary>RFC 3526 / RFC 5054 3072-bit group prime.</summary>
    public static readonly BigInteger N = SrpHex.Parse(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
        "29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
        "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
        "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
        "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
        "DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
        "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
        "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
        "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
        "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
        "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF");

    /// <summary>Generator.</summary>
    public static readonly BigInteger G = 2;

    /// <summary>Multiplier k = H(PAD(N) | PAD(g)).</summary>
    public static readonly BigInteger K = HashToInteger([.. SrpHex.PadBytes(N), .. SrpHex.PadBytes(G)]);

    private static readonly byte[] HkdfInfo = Encoding.UTF8.GetBytes("Caldera Derived Key");

    /// <summary>A = g^a mod N.</summary>
    public static BigInteger ComputeA(BigInteger smallA)
    {
        var a = BigInteger.ModPow(G, smallA, N);
        if (a.IsZero)
        {
            throw new CryptographicException("SRP: A mod N is zero.");
        }
        return a;
    }

    /// <summary>u = H(PAD(A) | PAD(B)).</summary>
    public static BigInteger ComputeU(BigInteger largeA, BigInteger largeB) =>
        HashToInteger([.. SrpHex.PadBytes(largeA), .. SrpHex.PadBytes(largeB)]);

    /// <summary>x = H(PAD(salt) | H(poolName | userId | ":" | password)).</summary>
    public static BigInteger ComputeX(BigInteger salt, string poolName, string userIdForSrp, string password)
    {
        var inner = SHA256.HashData(Encoding.UTF8.GetBytes(poolName + userIdForSrp + ":" + password));
        return HashToInteger([.. SrpHex.PadBytes(salt), .. inner]);
    }

    /// <summary>S = (B - k * g^x) ^ (a + u * x) mod N.</summary>
    public static BigInteger ComputeS(BigInteger largeB, BigInteger x, BigInteger smallA, BigInteger u)
    {
        var baseValue = (largeB - (K * BigInteger.ModPow(G, x, N))) % N;
        if (baseValue.Sign < 0)
        {
            baseValue += N;
        }
        return BigInteger.ModPow(baseValue, smallA + (u * x), N);
    }

    /// <summary>The 16-byte password authentication key: HKDF-SHA256(ikm = PAD(S), salt = PAD(u)).</summary>
    public static byte[] DeriveKey(BigInteger s, BigInteger u) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, SrpHex.PadBytes(s), 16, SrpHex.PadBytes(u), HkdfInfo);

    /// <summary>Base64(HMAC-SHA256(key, poolName | userId | secretBlock | timestamp)).</summary>
    public static string Sign(byte[] key, string poolName, string userIdForSrp, byte[] secretBlock, string timestamp)
    {
        byte[] message =
        [
            .. Encoding.UTF8.GetBytes(poolName),
            .. Encoding.UTF8.GetBytes(userIdForSrp),
            .. secretBlock,
            .. Encoding.UTF8.GetBytes(timestamp),
        ];
        return Convert.ToBase64String(HMACSHA256.HashData(key, message));
    }

    private static BigInteger HashToInteger(byte[] data) =>
        new(SHA256.HashData(data), isUnsigned: true, isBigEndian: true);
}
