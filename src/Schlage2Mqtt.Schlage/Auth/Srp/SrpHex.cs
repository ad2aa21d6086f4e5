using System.Globalization;
using System.Numerics;

namespace Schlage2Mqtt.Schlage.Auth.Srp;

/// <summary>
/// Hex conversions exactly as the AWS reference client performs them. Cognito hashes the
/// hex form of big integers, so a single differing nibble breaks the login.
/// </summary>
internal static class SrpHex
{
    /// <summary>Parses an unsigned big-endian hex string (no sign, leading zeros allowed).</summary>
    public static BigInteger Parse(string hex)
    {
        ArgumentException.ThrowIfNullOrEmpty(hex);
        // The leading zero keeps BigInteger from reading a high first nibble as a sign bit.
        return BigInteger.Parse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>Lower-case hex without leading zeros, as JavaScript's <c>toString(16)</c> writes it.</summary>
    public static string ToHex(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "SRP values are never negative.");
        }
        if (value.IsZero)
        {
            return "0";
        }
        var hex = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true));
        return hex[0] == '0' ? hex[1..] : hex;
    }

    /// <summary>
    /// AWS <c>padHex</c> for non-negative values: an odd-length string gets a leading "0", and a
    /// string whose first nibble has the high bit set gets a leading "00", so the bytes read back
    /// as a positive two's-complement number.
    /// </summary>
    public static string Pad(BigInteger value)
    {
        var hex = ToHex(value);
        if (hex.Length % 2 != 0)
        {
            hex = "0" + hex;
        }
        return hex[0] is >= '8' and <= '9' or >= 'a' and <= 'f' ? "00" + hex : hex;
    }

    /// <summary>The bytes of <see cref="Pad"/>.</summary>
    public static byte[] PadBytes(BigInteger value) => Convert.FromHexString(Pad(value));
}
