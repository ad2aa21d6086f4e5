using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Push;

/// <summary>The neutral lifecycle settings of <see cref="PushChannelBase"/>, as this provider's push options state them.</summary>
internal static class PushOptionsExtensions
{
    public static PushChannelOptions ToChannelOptions(this PushOptions options) => new()
    {
        ReconnectDelay = options.ReconnectDelay,
        MaxReconnectDelay = options.MaxReconnectDelay,
        Jitter = options.Jitter,
        StableConnectionTime = options.StableConnectionTime,
        Eviction = new PushEvictionOptions
        {
            Connections = options.EvictionConnections,
            Window = options.EvictionWindow,
            BackoffMin = options.EvictedBackoffMin,
            BackoffMax = options.EvictedBackoffMax,
        },
    };
}
