using System.Numerics;
using Schlage2Mqtt.Schlage.Auth.Srp;

namespace Schlage2Mqtt.Schlage.Tests.Srp;

/// <summary>Every SRP step against amazon-cognito-identity-js, byte for byte.</summary>
public class SrpVectorTests
{
    public static TheoryData<string> Cases => SrpVectors.CaseNames();

    [Fact]
    public void Vectors_cover_every_padHex_shape_of_A_u_S_and_salt()
    {
        var shapes = SrpVectors.Cases
            .SelectMany(c => c.GetProperty("shapes").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetString()}"))
            .ToHashSet();
        foreach (var value in new[] { "A", "u", "S", "salt" })
        {
            foreach (var shape in new[] { "odd", "msb", "plain" })
            {
                Assert.Contains($"{value}:{shape}", shapes);
            }
        }
    }

    [Fact]
    public void Group_constants_match_the_reference_client()
    {
        Assert.Equal(SrpVectors.Root.Str("N"), SrpHex.ToHex(SrpMath.N));
        Assert.Equal(SrpVectors.Root.Str("g"), SrpHex.ToHex(SrpMath.G));
        Assert.Equal(SrpVectors.Root.Str("k"), SrpHex.ToHex(SrpMath.K));
    }

    [Fact]
    public void PadHex_matches_the_reference_client()
    {
        foreach (var vector in SrpVectors.Root.GetProperty("padHex").EnumerateArray())
        {
            Assert.Equal(vector.Str("padded"), SrpHex.Pad(SrpHex.Parse(vector.Str("value"))));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Large_A_is_sent_as_plain_hex(string name)
    {
        var c = SrpVectors.Case(name);
        var a = SrpHex.Parse(c.GetProperty("inputs").Str("smallA"));
        var session = new SrpClientSession(a);
        Assert.Equal(c.GetProperty("expected").Str("srpA"), session.SrpA);
        Assert.Equal(c.GetProperty("expected").Str("paddedA"), SrpHex.Pad(session.LargeA));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void U_matches(string name)
    {
        var c = SrpVectors.Case(name);
        var (inputs, expected) = (c.GetProperty("inputs"), c.GetProperty("expected"));
        var u = SrpMath.ComputeU(SrpMath.ComputeA(SrpHex.Parse(inputs.Str("smallA"))), SrpHex.Parse(inputs.Str("B")));
        Assert.Equal(expected.Str("u"), SrpHex.ToHex(u));
        Assert.Equal(expected.Str("paddedU"), SrpHex.Pad(u));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void X_matches(string name)
    {
        var inputs = SrpVectors.Case(name).GetProperty("inputs");
        var x = SrpMath.ComputeX(SrpHex.Parse(inputs.Str("salt")), inputs.Str("poolName"), inputs.Str("userIdForSrp"), inputs.Str("password"));
        Assert.Equal(SrpVectors.Case(name).GetProperty("expected").Str("x"), SrpHex.ToHex(x));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void S_and_the_HKDF_key_match(string name)
    {
        var c = SrpVectors.Case(name);
        var (inputs, expected) = (c.GetProperty("inputs"), c.GetProperty("expected"));
        var smallA = SrpHex.Parse(inputs.Str("smallA"));
        var b = SrpHex.Parse(inputs.Str("B"));
        var u = SrpMath.ComputeU(SrpMath.ComputeA(smallA), b);
        var x = SrpMath.ComputeX(SrpHex.Parse(inputs.Str("salt")), inputs.Str("poolName"), inputs.Str("userIdForSrp"), inputs.Str("password"));
        var s = SrpMath.ComputeS(b, x, smallA, u);
        Assert.Equal(expected.Str("S"), SrpHex.ToHex(s));
        Assert.Equal(expected.Str("paddedS"), SrpHex.Pad(s));
        Assert.Equal(expected.Str("hkdf"), Convert.ToHexStringLower(SrpMath.DeriveKey(s, u)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Timestamp_and_signature_match(string name)
    {
        var c = SrpVectors.Case(name);
        var (inputs, expected) = (c.GetProperty("inputs"), c.GetProperty("expected"));
        var timestamp = CognitoTimestamp.Format(DateTimeOffset.FromUnixTimeMilliseconds(inputs.GetProperty("epochMs").GetInt64()));
        Assert.Equal(expected.Str("timestamp"), timestamp);

        var session = new SrpClientSession(SrpHex.Parse(inputs.Str("smallA")));
        var signature = session.ComputeSignature(
            inputs.Str("poolName"), inputs.Str("userIdForSrp"), inputs.Str("password"), inputs.Str("salt"), inputs.Str("B"),
            inputs.Str("secretBlock"), timestamp);
        Assert.Equal(expected.Str("signature"), signature);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_wrong_password_gives_a_different_signature(string name)
    {
        var inputs = SrpVectors.Case(name).GetProperty("inputs");
        var session = new SrpClientSession(SrpHex.Parse(inputs.Str("smallA")));
        var signature = session.ComputeSignature(
            inputs.Str("poolName"), inputs.Str("userIdForSrp"), inputs.Str("password") + "x", inputs.Str("salt"), inputs.Str("B"),
            inputs.Str("secretBlock"), "Mon Nov 2 09:05:07 UTC 2026");
        Assert.NotEqual(SrpVectors.Case(name).GetProperty("expected").Str("signature"), signature);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Server_side_agrees_on_S_with_the_vector_verifier(string name)
    {
        // Checks the fake cloud's SRP server math against the same vectors the client is held to.
        var c = SrpVectors.Case(name);
        var (inputs, server) = (c.GetProperty("inputs"), c.GetProperty("server"));
        var verifier = SrpHex.Parse(server.Str("verifier"));
        var x = SrpMath.ComputeX(SrpHex.Parse(inputs.Str("salt")), inputs.Str("poolName"), inputs.Str("userIdForSrp"), inputs.Str("password"));
        Assert.Equal(verifier, BigInteger.ModPow(SrpMath.G, x, SrpMath.N));

        var smallB = SrpHex.Parse(server.Str("smallB"));
        var largeA = SrpMath.ComputeA(SrpHex.Parse(inputs.Str("smallA")));
        var u = SrpMath.ComputeU(largeA, SrpHex.Parse(inputs.Str("B")));
        var serverS = Fakes.SrpServerMath.ComputeS(largeA, verifier, u, smallB);
        Assert.Equal(c.GetProperty("expected").Str("paddedS"), SrpHex.Pad(serverS));
    }

    [Fact]
    public void Degenerate_B_is_refused()
    {
        var session = new SrpClientSession(12345);
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            session.ComputeSignature("pool", "user", "pw", "01", SrpHex.ToHex(SrpMath.N), "AAAA", "Mon Nov 2 09:05:07 UTC 2026"));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            session.ComputeSignature("pool", "user", "pw", "01", "0", "AAAA", "Mon Nov 2 09:05:07 UTC 2026"));
    }
}
