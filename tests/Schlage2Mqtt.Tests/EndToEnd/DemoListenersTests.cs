using System.Globalization;
using System.Net;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>Everything the demo starts (bridge, simulated cloud, private mosquitto) listens on loopback only.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class DemoListenersTests
{
    [Fact]
    public async Task No_socket_the_demo_or_its_mosquitto_listens_on_is_beyond_loopback()
    {
        var port = FreePort.Next();
        await using var demo = DaemonProcess.Start(null, "demo", "--port", port.ToString(CultureInfo.InvariantCulture), "--latency", "100ms");
        await demo.WaitForOutputAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(90));

        var listening = LoopbackListeners.Of(LoopbackListeners.ProcessTree(demo.Id));

        // Not vacuous: the private mosquitto's TCP and websocket listeners and the simulated cloud are among them.
        Assert.Contains(listening, s => s.Port == port);
        Assert.True(listening.Count >= 3, string.Join(", ", listening));
        Assert.All(listening, s => Assert.True(IPAddress.IsLoopback(s.Address), $"{s.Address}:{s.Port} is not loopback (all: {string.Join(", ", listening)})"));
    }
}
