using System.Text.Json;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Provider;

namespace Schlage2Mqtt.Schlage.Push;

/// <summary>
/// Turns a message of the consumer cloud's push channel (<c>{"reported": &lt;device document&gt;}</c> on
/// <c>thincloud/users/&lt;uid&gt;/devices/&lt;deviceId&gt;</c>) into a <see cref="PushedUpdate"/> with the same mapper as
/// polling, and drops duplicates: a message whose mapped document (its <c>lastUpdated</c> included) equals the last one
/// of the same device.
/// <para>
/// The name and model a device reports are not the ones the app shows (the app's name lives in the cloud's record), so
/// they are replaced by those of the last polled document of the lock, and are null when the lock has not been polled
/// yet; the auto-lock values follow the polled model too.
/// </para>
/// </summary>
internal sealed class ConsumerCloudUpdateReader(CloudLockMapper mapper, Func<string, SchlageDevice?> polledDevice, Action<SchlageDevice>? seen = null)
{
    private readonly Dictionary<string, CloudLock> _last = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>The update, or null with <paramref name="problem"/> set (unreadable) or null (a duplicate).</summary>
    public PushedUpdate? Read(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now, out string? problem)
    {
        problem = null;
        SchlageDevice? device;
        try
        {
            device = JsonSerializer.Deserialize(payload, SchlageJsonContext.Default.PushEnvelope)?.Reported;
        }
        catch (JsonException e)
        {
            // The path says where, never the payload itself.
            problem = $"not the expected JSON (at {e.Path ?? "$"})";
            return null;
        }
        if (device is null)
        {
            problem = "no \"reported\" document";
            return null;
        }
        var topicDeviceId = DeviceIdOf(topic);
        if (string.IsNullOrEmpty(device.DeviceId))
        {
            if (topicDeviceId is null)
            {
                problem = "neither the document nor the topic names the device";
                return null;
            }
            device = device with { DeviceId = topicDeviceId };
        }
        var polled = polledDevice(device.DeviceId!);
        device = device with { Name = polled?.Name, ModelName = polled?.ModelName };
        // Pushed documents carry the newest CAT too (a Sense's changes with every document).
        seen?.Invoke(device);
        if (mapper.ToLock(device, now) is not { } mapped)
        {
            problem = "the document has no deviceId";
            return null;
        }
        var fingerprint = mapped with { FetchedAt = default };
        lock (_gate)
        {
            if (_last.TryGetValue(mapped.DeviceId, out var last) && last == fingerprint)
            {
                return null;
            }
            _last[mapped.DeviceId] = fingerprint;
        }
        return new PushedUpdate(mapped.DeviceId, mapped, null, null, mapped.UpdatedAt);
    }

    private static string? DeviceIdOf(string topic)
    {
        const string marker = "/devices/";
        var at = topic.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var id = topic[(at + marker.Length)..];
        return id.Length == 0 || id.Contains('/', StringComparison.Ordinal) ? null : id;
    }
}
