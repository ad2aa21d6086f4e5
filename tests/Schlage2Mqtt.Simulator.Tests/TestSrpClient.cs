using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Schlage2Mqtt.Simulator.Tests;

/// <summary>
/// The CLIENT half of Cognito SRP, written for the tests from AWS's description (not shared with the
/// server code), so a successful login proves the two halves agree.
/// </summary>
internal sealed class TestSrpClient
{
    private static readonly BigInteger N = Parse(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
        "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
        "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF");

    private static readonly BigInteger G = 2;
    private static readonly BigInteger K = Parse(HexHash("00" + ToHex(N) + "02"));

    private readonly BigInteger _a;

    public TestSrpClient(int seed)
    {
        var bytes = new byte[128];
        new Random(seed).NextBytes(bytes);
        _a = new BigInteger(bytes, isUnsigned: true, isBigEndian: true) % N;
        A = BigInteger.ModPow(G, _a, N);
    }

    public BigInteger A { get; }

    /// <summary>SRP_A as AWS's JS client sends it: minimal hex, no padding.</summary>
    public string SrpA => ToHex(A);

    public static string TimestampFor(DateTimeOffset now) =>
        now.UtcDateTime.ToString("ddd MMM d HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);

    public static string SecretHash(string secret, string username, string clientId) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username + clientId)));

    /// <summary>PASSWORD_CLAIM_SIGNATURE for a challenge.</summary>
    public string Signature(string poolName, string userIdForSrp, string password, string saltHex, string srpBHex, string secretBlock, string timestamp)
    {
        var b = Parse(srpBHex);
        var salt = Parse(saltHex);
        var u = Parse(HexHash(PadHex(A) + PadHex(b)));
        var inner = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(poolName + userIdForSrp + ":" + password)));
        var x = Parse(HexHash(PadHex(salt) + inner));
        var gx = BigInteger.ModPow(G, x, N);
        var baseValue = ((b - (K * gx)) % N + N) % N;
        var s = BigInteger.ModPow(baseValue, _a + (u * x), N);
        var prk = HMACSHA256.HashData(Convert.FromHexString(PadHex(u)), Convert.FromHexString(PadHex(s)));
        var key = HMACSHA256.HashData(prk, Encoding.UTF8.GetBytes("Caldera Derived Key\u0001"))[..16];
        var message = Encoding.UTF8.GetBytes(poolName).Concat(Encoding.UTF8.GetBytes(userIdForSrp))
            .Concat(Convert.FromBase64String(secretBlock)).Concat(Encoding.UTF8.GetBytes(timestamp)).ToArray();
        return Convert.ToBase64String(HMACSHA256.HashData(key, message));
    }

    public static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static string ToHex(BigInteger value)
    {
        var hex = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0');
        return hex.Length == 0 ? "0" : hex;
    }

    public static string PadHex(BigInteger value)
    {
        var hex = ToHex(value);
        if (hex.Length % 2 == 1)
        {
            return "0" + hex;
        }
        return hex[0] >= '8' ? "00" + hex : hex;
    }

    private static string HexHash(string hex) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(hex)));
}
