using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;

namespace Schlage2Mqtt.Schlage.Tests;

public class OptionsValidationTests
{
    private static readonly SchlageAccountOptions Good = new() { Key = "home", Username = "a@b.c", Password = "pw" };

    [Fact]
    public void Defaults_are_the_reference_values_and_valid()
    {
        var options = new SchlageCloudOptions { Accounts = [Good] };

        Assert.Empty(options.Validate());
        Assert.Equal("https://api.allegion.yonomi.cloud/v1", options.ApiBaseUrl.OriginalString);
        Assert.Equal("us-west-2_2zhrVs9d4", options.Cognito.UserPoolId);
        Assert.Equal("2zhrVs9d4", options.Cognito.PoolName);
        Assert.Equal("https://cognito-idp.us-west-2.amazonaws.com/", options.Cognito.EffectiveEndpoint.AbsoluteUri);
        Assert.Equal(30, options.MaxCallsPerMinute);
        Assert.Equal(TokenType.Access, options.Cognito.TokenType);
    }

    [Fact]
    public void Every_error_names_its_field()
    {
        var options = new SchlageCloudOptions
        {
            ApiBaseUrl = new Uri("ftp://x/"),
            ApiKey = " ",
            RequestTimeout = TimeSpan.Zero,
            MaxCallsPerMinute = 0,
            Cognito = new CognitoOptions { Region = "mars", UserPoolId = "nopool", ClientId = "", Endpoint = new Uri("file:///tmp"), RefreshLeeway = TimeSpan.FromHours(2) },
            Accounts =
            [
                new SchlageAccountOptions { Key = "a", Password = "pw" },
                new SchlageAccountOptions { Key = "a", Username = "not-an-email" },
                new SchlageAccountOptions { Key = "" },
            ],
        };

        var fields = options.Validate().Select(e => e.Field).ToList();

        Assert.Equal(
            [
                "api_base_url", "api_key", "request_timeout", "max_calls_per_minute", "cognito.region", "cognito.user_pool_id",
                "cognito.client_id", "cognito.endpoint", "cognito.refresh_leeway", "accounts[0].password",
                "accounts[1].name", "accounts[1].username", "accounts[2].name", "accounts[2].username",
            ],
            fields);
        Assert.All(options.Validate(), e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Theory]
    [InlineData("us-east-12", "us-east-12_Abc123", true)]
    [InlineData("us-west-2", "us-west-2_2zhrVs9d4", true)]
    [InlineData("us-east", "us-east_Abc123", false)]
    [InlineData("mars", "mars_1", false)]
    public void A_region_and_its_pool_id_are_judged_by_one_rule(string region, string pool, bool valid)
    {
        var options = new SchlageCloudOptions { Cognito = new CognitoOptions { Region = region, UserPoolId = pool }, Accounts = [Good] };

        var fields = options.Validate().Select(e => e.Field).ToList();

        Assert.Equal(valid ? [] : ["cognito.region", "cognito.user_pool_id"], fields);
    }

    [Fact]
    public void A_key_prefix_leads_every_key_and_every_key_a_message_names()
    {
        var options = new SchlageCloudOptions { Push = new PushOptions { Mode = PushMode.Subscribers }, Accounts = [Good with { Username = null }] };
        var errors = new List<(string Key, string Message)>();

        new SchlageOptionsValidator("schlage.").Check(options, (key, message) => errors.Add((key, message)));

        Assert.Equal(["schlage.push.mode", "schlage.accounts[0].password"], errors.Select(e => e.Key));
        Assert.Contains("schlage.push.subscriber_api_url is not set", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("schlage.accounts[0].username is not", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void As_an_options_validator_it_fails_with_key_and_message_or_succeeds()
    {
        var validator = new SchlageOptionsValidator();

        var failed = validator.Validate(null, new SchlageCloudOptions { RequestTimeout = TimeSpan.FromMinutes(6), Accounts = [Good] });

        Assert.True(failed.Failed);
        Assert.Equal(["request_timeout: '6m' is above the maximum of 5m"], failed.Failures);
        Assert.True(validator.Validate(null, new SchlageCloudOptions { Accounts = [Good] }).Succeeded);
    }

    [Fact]
    public void Secrets_are_redacted_from_ToString()
    {
        var options = new SchlageCloudOptions { Accounts = [Good with { AccessToken = "tok-123", RefreshToken = "ref-456" }] };

        var text = options.ToString();

        Assert.DoesNotContain(SchlageCloudOptions.DefaultApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(options.Cognito.ClientSecret!, text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ref-456", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", Good.ToString().Replace("Password", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_provider_refuses_invalid_options_listing_every_error()
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var error = Assert.Throws<ArgumentException>(() => new SchlageLockCloudProvider(
            new SchlageCloudOptions { MaxCallsPerMinute = 0, Accounts = [Good with { Username = "x" }] },
            new Schlage2Mqtt.Cloud.InMemoryRefreshTokenStore(), http, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

        Assert.Contains("max_calls_per_minute", error.Message, StringComparison.Ordinal);
        Assert.Contains("accounts[0].username", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_HttpClient_timeout_shorter_than_the_request_timeout_is_refused()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var error = Assert.Throws<ArgumentException>(() => new SchlageLockCloudProvider(
            new SchlageCloudOptions { Accounts = [Good] }, new Schlage2Mqtt.Cloud.InMemoryRefreshTokenStore(), http,
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

        Assert.Contains("InfiniteTimeSpan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DI_registration_resolves_the_provider_with_the_given_options()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSchlageCloud(new SchlageCloudOptions { Accounts = [new SchlageAccountOptions { Key = "home", Username = "a@b.c", Password = "pw" }] });
        using var provider = services.BuildServiceProvider();

        var cloud = provider.GetRequiredService<ILockCloudProvider>();
        Assert.Equal("schlage", cloud.Name);
        Assert.Equal("home", Assert.Single(cloud.Accounts).Key);
        Assert.NotNull(provider.GetRequiredService<SchlageLogin>());
        Assert.Equal("a@b.c", provider.GetRequiredService<IOptions<SchlageCloudOptions>>().Value.Accounts[0].Username);
    }

    [Fact]
    public void DI_registration_refuses_invalid_options_naming_the_field()
    {
        var services = new ServiceCollection().AddLogging();
        var ex = Assert.Throws<OptionsValidationException>(() => services.AddSchlageCloud(new SchlageCloudOptions { ApiKey = "" }));
        Assert.Contains("api_key", ex.Message, StringComparison.Ordinal);
    }
}
