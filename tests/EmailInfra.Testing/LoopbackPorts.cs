using System.Net;
using System.Net.Sockets;

namespace EmailInfra.Testing;

/// <summary>Loopback ports for tests: one the OS just handed out and nothing listens on (refused until someone binds it).</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
