namespace Schlage2Mqtt.Bridge.Tests.Options;

public sealed class BridgeOptionsValidatorTests
{
    private static List<(string Key, string Message)> Problems(BridgeOptions options)
    {
        var problems = new List<(string, string)>();
        BridgeOptionsValidator.Check(options, (key, message) => problems.Add((key, message)));
        return problems;
    }

    [Fact]
    public void The_records_defaults_are_valid()
    {
        Assert.Empty(Problems(new BridgeOptions()));
        Assert.True(new BridgeOptionsValidator().Validate(null, new BridgeOptions()).Succeeded);
    }

    public static TheoryData<BridgeOptions, string, string> Cases => new()
    {
        // options, key, message fragment
        { new BridgeOptions { BaseTopic = "a/#" }, "mqtt.base_topic", "'a/#' is not a valid topic" },
        { new BridgeOptions { DiscoveryPrefix = "/ha" }, "homeassistant.discovery_prefix", "leading/trailing '/'" },
        { new BridgeOptions { HomeAssistantStatusTopic = "" }, "homeassistant.status_topic", "is not a valid topic" },
        { new BridgeOptions { PollInterval = TimeSpan.FromSeconds(10) }, "schlage.poll_interval", "'10s' is below the minimum of 15s (polling the cloud faster risks a block)" },
        { new BridgeOptions { PollInterval = TimeSpan.FromMinutes(61), PushPollInterval = TimeSpan.FromHours(1) }, "schlage.poll_interval", "'61m' is above the maximum of 1h" },
        { new BridgeOptions { PushPollInterval = TimeSpan.FromSeconds(30) }, "schlage.push.poll_interval", "is 30s, shorter than schlage.poll_interval (60s)" },
        { new BridgeOptions { PushPollInterval = TimeSpan.FromHours(2) }, "schlage.push.poll_interval", "'2h' is above the maximum of 1h" },
        { new BridgeOptions { Locks = [new LockOverride("Front", "Front-Door", false)] }, "locks[\"Front\"].alias", "'Front-Door' is not a valid topic id" },
        { new BridgeOptions { Locks = [new LockOverride("Front", "bridge", false)] }, "locks[\"Front\"].alias", "is reserved for the bridge" },
        { new BridgeOptions { Locks = [new LockOverride("A", "door", false), new LockOverride("B", "door", true)] }, "locks[\"B\"].alias", "'door' is already used by another lock" },
        { new BridgeOptions { AccessCodeResponseTimeout = TimeSpan.FromMilliseconds(500) }, "access_codes.response_timeout", "'500ms' is below the minimum of 1s" },
        { new BridgeOptions { AccessCodeConfirmTimeout = TimeSpan.FromHours(2) }, "access_codes.confirm_timeout", "'2h' is above the maximum of 1h" },
        { new BridgeOptions { StartupHoldTime = TimeSpan.FromMinutes(11) }, "commands.startup_hold", "'11m' is above the maximum of 10m" },
        { new BridgeOptions { StartupHoldCapacity = -1 }, "commands.startup_queue", "'-1' is not allowed; use a whole number from 0 to 100000" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_problem_names_its_full_key_once(BridgeOptions options, string key, string fragment)
    {
        var (actualKey, message) = Assert.Single(Problems(options));

        Assert.Equal(key, actualKey);
        Assert.Contains(fragment, message, StringComparison.Ordinal);
    }

    [Fact]
    public void As_an_options_validator_each_failure_reads_key_then_message()
    {
        var result = new BridgeOptionsValidator().Validate(null, new BridgeOptions { StartupHoldCapacity = 100_001 });

        Assert.True(result.Failed);
        Assert.Equal(["commands.startup_queue: '100001' is not allowed; use a whole number from 0 to 100000"], result.Failures);
    }

    [Fact]
    public void Limits_themselves_are_allowed()
    {
        var edges = new BridgeOptions
        {
            PollInterval = TimeSpan.FromSeconds(15),
            PushPollInterval = TimeSpan.FromHours(1),
            AccessCodeResponseTimeout = TimeSpan.FromSeconds(1),
            AccessCodeConfirmTimeout = TimeSpan.FromHours(1),
            StartupHoldTime = TimeSpan.Zero,
            StartupHoldCapacity = 100_000,
            Locks = [new LockOverride("A", new string('a', 64), false)],
        };

        Assert.Empty(Problems(edges));
    }
}
