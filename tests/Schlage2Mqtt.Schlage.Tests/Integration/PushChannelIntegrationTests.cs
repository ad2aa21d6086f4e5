using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Schlage.Push;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// The consumer cloud's push channel (reference section 8) against the simulator and a private mosquitto: the real
/// <see cref="AwsIotPushChannel"/> fetches <c>users/wss</c>, connects over the WebSocket URL it answers and receives what
/// the simulator publishes. Waits on the manual clock are skipped by moving it exactly to the announced attempt.
/// </summary>
public sealed class PushChannelIntegrationTests : IClassFixture<PushFixture>, IDisposable
{
    /// <summary>Guards against a hang only; never a timing assertion.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly PushFixture _fixture;

    public PushChannelIntegrationTests(PushFixture fixture)
    {
        _fixture = fixture;
        fixture.Reset();
        Client = new SimulatorClient(fixture);
    }

    private SimulatorClient Client { get; }

    private string OwnerIdentityId => _fixture.Owner.IdentityId;

    private static Func<SchlageCloudOptions, SchlageCloudOptions> WithPush(Func<PushOptions, PushOptions>? tweak = null) =>
        o => o with { Push = tweak?.Invoke(new PushOptions()) ?? new PushOptions() };

    private async Task<(SchlageLockAccount Account, AwsIotPushChannel Channel, Updates Updates)> ReadyAsync(Func<PushOptions, PushOptions>? tweak = null)
    {
        var account = await Client.ReadyAccountAsync(WithPush(tweak));
        var channel = Assert.IsType<AwsIotPushChannel>(account.Push);
        return (account, channel, new Updates(channel));
    }

    private long PushDetailsCalls => Client.Calls.Count(ApiEndpoint.GetPushDetails);

    [Fact]
    public async Task An_update_arrives_and_maps_like_a_polled_document()
    {
        var (account, channel, updates) = await ReadyAsync();
        await using var _ = channel;
        await channel.StartAsync(default);
        await WaitUntilAsync(() => channel.State == PushState.Connected);

        _fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);
        var unlocked = await updates.NextAsync(u => u.DeviceId == SimulatorFixture.EncodeId && u.Document?.State == LockState.Unlocked);
        var polled = (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!;

        Assert.Equal(polled with { FetchedAt = default }, unlocked.Document! with { FetchedAt = default });
        Assert.Equal(polled.UpdatedAt, unlocked.CloudTimestamp);
        Assert.NotNull(unlocked.CloudTimestamp);
        Assert.Equal("Front", unlocked.Document!.Name);
        Assert.Equal(new ChangedBy(ChangeMethod.Thumbturn, null), unlocked.Document.ChangedBy);

        _fixture.Admin.SetBatteryLevel(SimulatorFixture.EncodeId, 15);
        var battery = await updates.NextAsync(u => u.DeviceId == SimulatorFixture.EncodeId && u.Document?.BatteryLevel == 15);
        Assert.True(battery.Document!.BatteryLow);

        _fixture.Admin.SetDoorState(SimulatorFixture.EncodePlusId, 1);
        var door = await updates.NextAsync(u => u.DeviceId == SimulatorFixture.EncodePlusId);
        Assert.Equal(DoorState.Open, door.Document!.Door);
        Assert.True(door.CloudTimestamp > unlocked.CloudTimestamp || door.CloudTimestamp == unlocked.CloudTimestamp);
        AssertNoSecretsLogged();
    }

    [Fact]
    public async Task The_name_and_model_the_device_reports_are_replaced_by_the_polled_ones()
    {
        var (_, channel, updates) = await ReadyAsync();
        await using var _ = channel;
        await channel.StartAsync(default);
        await WaitUntilAsync(() => channel.State == PushState.Connected);
        await using var publisher = await PublisherAsync();

        await publisher.PublishAsync(Message(SimulatorFixture.EncodeId, lockState: 0, battery: 77, name: "BE489 device name", model: "firmware-model"));
        var update = await updates.NextAsync(u => u.DeviceId == SimulatorFixture.EncodeId);

        Assert.Equal("Front", update.Document!.Name);
        Assert.Equal("BE489WB CEN 619", update.Document.ModelName);
        Assert.Equal(77, update.Document.BatteryLevel);
        Assert.Equal(LockState.Unlocked, update.Document.State);
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture), update.CloudTimestamp);
    }

    [Fact]
    public async Task Retained_and_duplicate_deliveries_are_dropped()
    {
        var (_, channel, updates) = await ReadyAsync();
        await using var _ = channel;
        await using var publisher = await PublisherAsync();
        var topic = $"thincloud/users/{OwnerIdentityId}/devices/{SimulatorFixture.EncodeId}";
        // A state retained at the broker is a replay of the past, delivered on subscribe with the retain flag.
        await publisher.PublishAsync(Message(SimulatorFixture.EncodeId, lockState: 2, battery: 5) with { Retain = true });
        try
        {
            await channel.StartAsync(default);
            await WaitUntilAsync(() => channel.State == PushState.Connected);
            var document = Message(SimulatorFixture.EncodeId, lockState: 0, battery: 60);
            await publisher.PublishAsync(document);
            await publisher.PublishAsync(document);
            await publisher.PublishAsync(Message(SimulatorFixture.EncodeId, lockState: 1, battery: 59, updated: "2026-01-02T03:04:06Z"));

            // One subscription delivers in order: once the last one is in, every earlier one was handled.
            var seen = await updates.UntilAsync(u => u.Document?.BatteryLevel == 59);
            Assert.Equal([60, 59], seen.Select(u => u.Document!.BatteryLevel));
            Assert.Equal(2, channel.DroppedMessages);
        }
        finally
        {
            await publisher.PublishAsync(new MqttMessage(topic, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, Retain: true));
        }
    }

    [Fact]
    public async Task Every_reconnect_fetches_fresh_details()
    {
        var (_, channel, _) = await ReadyAsync();
        await using var _ = channel;
        await channel.StartAsync(default);
        await WaitUntilAsync(() => channel.State == PushState.Connected);
        Assert.Equal(1, PushDetailsCalls);

        _fixture.Admin.DropPush(SimulatorFixture.Email);
        await WaitUntilAsync(() => channel.State != PushState.Connected);
        await SkipWaitAsync(channel);
        await WaitUntilAsync(() => channel.State == PushState.Connected);

        Assert.Equal(2, PushDetailsCalls);
        Assert.Equal(2, channel.DetailsFetched);
    }

    [Fact]
    public async Task The_spurious_400_is_retried()
    {
        var (_, channel, _) = await ReadyAsync();
        await using var _ = channel;
        _fixture.Admin.FailPushDetails(count: 2);
        var before = Client.Calls.LastSequence;

        await channel.StartAsync(default);
        var skipped = await SkipUntilAsync(channel, PushState.Connected);

        Assert.Equal(2, skipped);
        Assert.Equal(["GetPushDetails:400", "GetPushDetails:400", "GetPushDetails:200"], Client.ApiCallsSince(before));
    }

    [Fact]
    public async Task More_400s_than_retries_fail_the_attempt_and_the_next_attempt_fetches_again()
    {
        var (_, channel, _) = await ReadyAsync(p => p with { DetailsRetries = 1 });
        await using var _ = channel;
        _fixture.Admin.FailPushDetails(count: 2);
        var before = Client.Calls.LastSequence;

        await channel.StartAsync(default);
        await SkipWaitAsync(channel);
        await WaitUntilAsync(() => channel.State == PushState.Disconnected);
        Assert.Contains("HTTP 400", channel.StateDetail, StringComparison.Ordinal);
        await SkipUntilAsync(channel, PushState.Connected);

        Assert.Equal(["GetPushDetails:400", "GetPushDetails:400", "GetPushDetails:200"], Client.ApiCallsSince(before));
    }

    [Fact]
    public async Task A_401_renews_the_tokens_through_the_token_source_and_asks_again()
    {
        var (_, channel, _) = await ReadyAsync();
        await using var _ = channel;
        _fixture.Admin.ExpireAccessTokens(SimulatorFixture.Email);
        var before = Client.Calls.LastSequence;

        await channel.StartAsync(default);
        await WaitUntilAsync(() => channel.State == PushState.Connected);

        Assert.Equal(["GetPushDetails:401", "GetPushDetails:200"], Client.ApiCallsSince(before));
        Assert.Contains(Client.Calls.RecordsAfter(before), r => r.Operation == CognitoOperations.Refresh && r.StatusCode == 200);
    }

    [Fact]
    public async Task A_404_makes_the_channel_unsupported_said_once_and_it_stops_asking()
    {
        var (_, channel, _) = await ReadyAsync();
        await using var _ = channel;
        _fixture.Admin.SetPushEnabled(SimulatorFixture.Email, enabled: false);

        await channel.StartAsync(default);
        await WaitUntilAsync(() => channel.State == PushState.Unsupported);
        Client.Time.Advance(TimeSpan.FromHours(6));
        await channel.StopAsync(default);
        await channel.StartAsync(default);
        await WaitUntilAsync(() => PushDetailsCalls == 2 && channel.State == PushState.Unsupported);
        Client.Time.Advance(TimeSpan.FromHours(6));

        Assert.Equal(PushState.Unsupported, channel.State);
        Assert.Null(channel.NextAttemptAt);
        Assert.Equal(2, PushDetailsCalls);
        Assert.Single(Client.Logs.Lines, l => l.Text.Contains("offers no push channel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eviction_by_the_phone_app_backs_off_long_says_so_once_and_recovers_when_the_connection_holds()
    {
        var (_, channel, _) = await ReadyAsync();
        await using var _ = channel;
        var options = new PushOptions();
        await channel.StartAsync(default);
        await WaitUntilAsync(() => channel.State == PushState.Connected);

        _fixture.Admin.EvictPush(SimulatorFixture.Email, persistent: true);
        var skipped = 0;
        while (channel.State != PushState.Evicted)
        {
            Assert.True(++skipped < 20, "The channel never noticed it was evicted.");
            await WaitUntilAsync(() => channel.State == PushState.Evicted || channel.NextAttemptAt is not null);
            if (channel.State != PushState.Evicted)
            {
                await SkipWaitAsync(channel);
            }
        }
        await WaitUntilAsync(() => channel.NextAttemptAt is not null);
        var wait = channel.NextAttemptAt!.Value - Client.Time.GetUtcNow();
        var fetched = PushDetailsCalls;

        Assert.InRange(wait, options.EvictedBackoffMin, options.EvictedBackoffMax);
        Assert.Equal(options.EvictionConnections, fetched);
        Assert.Single(Client.Logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("push channel evicted", StringComparison.Ordinal));
        Assert.Contains("Schlage Home app", channel.StateDetail, StringComparison.Ordinal);

        // The app gives up; the next attempt (after the long wait) connects, and the channel trusts it once it holds.
        _fixture.Admin.StopEviction(SimulatorFixture.Email);
        await SkipWaitAsync(channel);
        await WaitUntilAsync(() => channel.StateDetail?.Contains("connected again", StringComparison.Ordinal) == true);
        Assert.Equal(PushState.Evicted, channel.State);
        Client.Time.Advance(options.StableConnectionTime);
        await WaitUntilAsync(() => channel.State == PushState.Connected);
        Assert.Equal(fetched + 1, PushDetailsCalls);
        AssertNoSecretsLogged();
    }

    [Fact]
    public async Task StopAsync_is_prompt_while_connected_and_while_waiting_on_the_clock()
    {
        var (_, channel, _) = await ReadyAsync();
        await channel.StartAsync(default);
        await WaitUntilAsync(() => channel.State == PushState.Connected);
        await channel.StopAsync(default).WaitAsync(Guard);
        Assert.Equal(PushState.Disabled, channel.State);

        // Stopping while it waits on the clock (users/wss keeps failing) returns without the clock moving.
        _fixture.Admin.FailPushDetails(count: null);
        await channel.StartAsync(default);
        await WaitUntilAsync(() => channel.NextAttemptAt is not null);
        await channel.StopAsync(default).WaitAsync(Guard);

        Assert.Equal(PushState.Disabled, channel.State);
        Assert.Null(channel.NextAttemptAt);
        var calls = PushDetailsCalls;
        Client.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(calls, PushDetailsCalls);
    }

    public void Dispose() => Client.Dispose();

    private void AssertNoSecretsLogged()
    {
        var text = string.Join('\n', Client.Logs.Lines.Select(l => l.Text));
        Assert.DoesNotContain("X-Amz-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
    }

    /// <summary>Moves the manual clock to the channel's next attempt once its timer is armed; returns how far.</summary>
    private async Task<TimeSpan> SkipWaitAsync(AwsIotPushChannel channel)
    {
        DateTimeOffset at = default;
        await WaitUntilAsync(() => channel.NextAttemptAt is { } next && Client.Clock.HasTimerDueAt(at = next));
        var by = at - Client.Time.GetUtcNow();
        Client.Time.Advance(by);
        return by;
    }

    /// <summary>Skips every wait until the channel reaches <paramref name="state"/>; returns how many waits.</summary>
    private async Task<int> SkipUntilAsync(AwsIotPushChannel channel, PushState state)
    {
        var skipped = 0;
        while (true)
        {
            await WaitUntilAsync(() => channel.State == state || channel.NextAttemptAt is { } next && Client.Clock.HasTimerDueAt(next));
            if (channel.State == state)
            {
                return skipped;
            }
            Assert.True(++skipped < 50, $"The channel never reached {state}.");
            await SkipWaitAsync(channel);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition never held.");
            // Polling a condition, not sleeping for ordering.
            await Task.Delay(5);
        }
    }

    private MqttMessage Message(string deviceId, int lockState, int battery, string name = "Front", string model = "BE489WB CEN 619",
        string updated = "2026-01-02T03:04:05Z")
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            reported = new
            {
                deviceId,
                devicetypeId = "be489wifi",
                name,
                modelName = model,
                connected = true,
                lastUpdated = updated,
                attributes = new { lockState, batteryLevel = battery },
            },
        });
        return new MqttMessage($"thincloud/users/{OwnerIdentityId}/devices/{deviceId}", Encoding.UTF8.GetBytes(json), MqttQualityOfService.AtLeastOnce);
    }

    private async Task<ReconnectingMqttClient> PublisherAsync()
    {
        var client = new ReconnectingMqttClient(new MqttClientOptions
        {
            Server = _fixture.Broker.TcpUrl,
            ClientId = "push-test-publisher-" + Guid.NewGuid().ToString("N")[..8],
            ProtocolVersion = MqttProtocolVersion.V311,
        });
        await client.StartAsync();
        return client;
    }

    /// <summary>The channel's updates, in order.</summary>
    private sealed class Updates
    {
        private readonly Channel<PushedUpdate> _updates = Channel.CreateUnbounded<PushedUpdate>();

        public Updates(IPushChannel channel)
        {
            channel.UpdateReceived = (update, ct) => _updates.Writer.WriteAsync(update, ct);
        }

        public async Task<PushedUpdate> NextAsync(Func<PushedUpdate, bool> match) => (await UntilAsync(match))[^1];

        public async Task<List<PushedUpdate>> UntilAsync(Func<PushedUpdate, bool> match)
        {
            using var guard = new CancellationTokenSource(Guard);
            var seen = new List<PushedUpdate>();
            while (true)
            {
                var update = await _updates.Reader.ReadAsync(guard.Token);
                seen.Add(update);
                if (match(update))
                {
                    return seen;
                }
            }
        }
    }
}
