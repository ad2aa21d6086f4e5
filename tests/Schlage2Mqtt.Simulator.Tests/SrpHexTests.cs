using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Simulator.Cognito;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class SrpHexTests
{
    [Theory]
    [InlineData("f", "0f")]
    [InlineData("7f", "7f")]
    [InlineData("80", "0080")]
    [InlineData("abc", "0abc")]
    [InlineData("1234", "1234")]
    [InlineData("ffff", "00ffff")]
    public void PadHex_follows_the_aws_convention(string hex, string padded)
    {
        Assert.Equal(padded, SrpHex.PadHex(SrpHex.Parse(hex)));
    }

    [Fact]
    public void Hex_parsing_never_reads_a_high_nibble_as_negative()
    {
        Assert.Equal(new BigInteger(255), SrpHex.Parse("ff"));
        Assert.Equal("ff", SrpHex.ToHex(new BigInteger(255)));
    }

    [Fact]
    public void PadHex_is_even_length_positive_two_complement_and_round_trips()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            var padded = SrpHex.PadHex(value);
            var signed = new BigInteger(Convert.FromHexString(padded), isUnsigned: false, isBigEndian: true);
            return padded.Length % 2 == 0 && signed == value && SrpHex.Parse(padded) == value;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void K_is_the_hash_of_padded_N_and_padded_g()
    {
        var expected = TestSrpClient.Parse(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            Convert.FromHexString("00" + TestSrpClient.ToHex(SrpGroup.N) + "02"))));
        Assert.Equal(expected, SrpGroup.K);
    }
}
