using Schlage2Mqtt.Schlage.Auth;

namespace Schlage2Mqtt.Schlage.Tests.Srp;

public class SecretHashTests
{
    [Fact]
    public void Matches_the_documented_formula()
    {
        foreach (var vector in SrpVectors.Root.GetProperty("secretHash").EnumerateArray())
        {
            Assert.Equal(vector.Str("secretHash"), CognitoSecretHash.Compute(vector.Str("username"), vector.Str("clientId"), vector.Str("clientSecret")));
        }
    }

    [Fact]
    public void No_secret_means_no_hash()
    {
        Assert.Null(CognitoSecretHash.Compute("a@b.c", "client", null));
        Assert.Null(CognitoSecretHash.Compute("a@b.c", "client", ""));
    }
}
