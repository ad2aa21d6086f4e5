using System.Net;
using System.Net.Sockets;

namespace Schlage2Mqtt.TestSupport;

/// <summary>Finds free loopback TCP ports for private broker and server processes.</summary>
public static class FreePort
{
    /// <summary>Returns a port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
