using System.Collections.Concurrent;

namespace Schlage2Mqtt.Mqtt.Tests.Client;

/// <summary>Reconnect backoff: back within seconds of a broker's return (1 s doubling to a 15 s cap, with jitter).</summary>
public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Defaults_start_at_1_s_double_and_cap_at_15_s_with_jitter()
    {
        var options = new MqttReconnectOptions();
        Assert.Equal(TimeSpan.FromSeconds(1), options.InitialDelay);
        Assert.Equal(2.0, options.Multiplier);
        Assert.Equal(TimeSpan.FromSeconds(15), options.MaxDelay);
        Assert.True(options.Jitter is > 0 and <= 0.25);
        Assert.Equal([1, 2, 4, 8, 15, 15, 15], Enumerable.Range(1, 7).Select(a => options.BaseDelay(a).TotalSeconds));
    }

    [Fact]
    public async Task A_broker_that_keeps_refusing_is_retried_at_most_15_s_apart_plus_jitter()
    {
        await using var broker = new StrictBroker();
        var delays = new ConcurrentQueue<MqttReconnectAttempt>();
        // The override only records the computed delay (jitter included) and skips the wait, so no test time passes.
        var reconnect = new MqttReconnectOptions { DelayOverride = a => { delays.Enqueue(a); return TimeSpan.Zero; } };
        await using var client = new ReconnectingMqttClient(new MqttClientOptions { Server = broker.Url, ClientId = "backoff" }, reconnect);
        await client.StartAsync();
        for (var i = 0; i < 8; i++)
        {
            await broker.AcceptAsync();
            await broker.RefuseAsync(ConnectReasonCode.ServerUnavailable);
        }
        await broker.AcceptAndConnAckAsync(StrictLimits.None);
        var seen = delays.Take(8).ToList();
        Assert.Equal(8, seen.Count);
        Assert.InRange(seen[0].ComputedDelay.TotalSeconds, 0.8, 1.2);
        Assert.All(seen, a => Assert.InRange(a.ComputedDelay.TotalSeconds, 0.8, 15 * 1.2));
        Assert.All(seen.Skip(5), a => Assert.InRange(a.ComputedDelay.TotalSeconds, 15 * 0.8, 15 * 1.2));
    }
}
