namespace Schlage2Mqtt.Tests.Configuration;

public sealed class MaxRetryAfterConfigTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Max_retry_after_defaults_to_60_s_and_reaches_the_cloud_options()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), _fixture.Valid(ConfigFixture.MinimalAccount).Schlage.RetryAfterCap);

        var config = _fixture.Valid(ConfigFixture.MinimalAccount + "\n  max_retry_after: 2m\n");
        Assert.Equal(TimeSpan.FromMinutes(2), config.Schlage.RetryAfterCap);
    }

    [Fact]
    public void A_max_retry_after_out_of_range_names_the_key()
    {
        var error = _fixture.SingleError(ConfigFixture.MinimalAccount + "\n  max_retry_after: 0\n");

        Assert.Equal("schlage.max_retry_after", error.Path);
    }
}
