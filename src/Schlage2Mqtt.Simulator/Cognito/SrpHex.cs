using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Schlage2Mqtt.Simulator.Cognito;

/// <summary>
/// Hex conventions of AWS's SRP helpers (amazon-cognito-identity-js, pycognito). Clients hash
/// the "padHex" form of every big number, so the server must produce byte-identical input.
/// </summary>
internal static class SrpHex
{
    /// <summary>Parses unsigned hex of any length (odd lengths and high first nibbles included).</summary>
    public static BigInteger Parse(string hex)
    {
        ArgumentException.ThrowIfNullOrEmpty(hex);
        // A leading 0 stops .NET reading a high first nibble as a two's-complement sign.
        return BigInteger.Parse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    public static bool TryParse(string? hex, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (string.IsNullOrEmpty(hex) || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }
        value = Parse(hex);
        return true;
    }

    /// <summary>Minimal lower-case hex of a non-negative number (what BigInteger.toString(16) gives in JS).</summary>
    public static string ToHex(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "SRP values are non-negative.");
        }
        if (value.IsZero)
        {
            return "0";
        }
        var hex = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true));
        return hex.TrimStart('0');
    }

    /// <summary>
    /// AWS padHex: even length by a leading 0; if the first nibble is 8 or more, a leading 00
    /// so the number never reads as negative.
    /// </summary>
    public static string PadHex(BigInteger value) => PadHex(ToHex(value));

    public static string PadHex(string hex)
    {
        if (hex.Length % 2 == 1)
        {
            return "0" + hex;
        }
        return "89abcdefABCDEF".Contains(hex[0], StringComparison.Ordinal) ? "00" + hex : hex;
    }

    public static byte[] PadBytes(BigInteger value) => Convert.FromHexString(PadHex(value));

    /// <summary>SHA-256 of the bytes a hex string spells, as a lower-case 64-char hex string.</summary>
    public static string HexHash(string hex) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(hex)));
}
