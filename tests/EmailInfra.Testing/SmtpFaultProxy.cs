using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EmailInfra.Testing;

/// <summary>Where <see cref="SmtpFaultProxy"/> breaks a session.</summary>
public enum SmtpFault
{
    /// <summary>Passes everything through.</summary>
    None,

    /// <summary>Holds the client's end of data (the final ".") back from the server for a while, as a slow link would: the server has not taken the message yet.</summary>
    HoldEndOfData,

    /// <summary>Passes the end of data to the server, then drops the connection before its reply reaches the client: the server took the message, the client can't know.</summary>
    DropReplyToData,
}

/// <summary>
/// A plaintext TCP proxy in front of a real SMTP server (the rig's Postfix) that breaks the first
/// <c>faultySessions</c> sessions at one point of the DATA exchange. It hides CHUNKING from the EHLO reply so the client
/// ends its data with "." (BDAT has no such end to watch for).
/// </summary>
public sealed class SmtpFaultProxy : IAsyncDisposable
{
    private static readonly byte[] EndOfData = "\r\n.\r\n"u8.ToArray();
    private readonly TcpListener listener;
    private readonly int upstreamPort;
    private readonly SmtpFault fault;
    private readonly TimeSpan hold;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private int faultySessions;
    private int sessions;

    public SmtpFaultProxy(int upstreamPort, SmtpFault fault, TimeSpan hold = default, int faultySessions = 1)
    {
        this.upstreamPort = upstreamPort;
        this.fault = fault;
        this.hold = hold;
        this.faultySessions = faultySessions;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Sessions accepted so far.</summary>
    public int Sessions => Volatile.Read(ref sessions);

    /// <summary>Completes when a faulty session's client has sent its end of data (a signal to act on, instead of a sleep).</summary>
    public TaskCompletionSource EndOfDataSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a faulty session was broken (the held data dropped, or the reply withheld).</summary>
    public TaskCompletionSource FaultDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether a held end of data ever reached the server.</summary>
    public bool HeldDataForwarded { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            Interlocked.Increment(ref sessions);
            var faulty = Interlocked.Decrement(ref faultySessions) >= 0 && fault != SmtpFault.None;
            _ = Task.Run(() => RelayAsync(client, faulty));
        }
    }

    private async Task RelayAsync(TcpClient client, bool faulty)
    {
        using var _ = client;
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort);
        var downstreamStream = client.GetStream();
        var upstreamStream = upstream.GetStream();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var dataEnded = false;

        async Task FromServerAsync()
        {
            var buffer = new byte[16384];
            while (true)
            {
                var n = await upstreamStream.ReadAsync(buffer, session.Token);
                if (n == 0)
                {
                    break;
                }

                if (faulty && fault == SmtpFault.DropReplyToData && Volatile.Read(ref dataEnded))
                {
                    // the server's reply to the end of data never reaches the client
                    FaultDone.TrySetResult();
                    break;
                }

                var text = Encoding.ASCII.GetString(buffer, 0, n).Replace("CHUNKING", "XCHUNKIN", StringComparison.Ordinal);
                await downstreamStream.WriteAsync(Encoding.ASCII.GetBytes(text), session.Token);
            }
        }

        async Task FromClientAsync()
        {
            var buffer = new byte[16384];
            var tail = Array.Empty<byte>();
            var sawData = false;
            while (true)
            {
                var n = await downstreamStream.ReadAsync(buffer, session.Token);
                if (n == 0)
                {
                    break;
                }

                var chunk = buffer[..n];
                if (!sawData)
                {
                    sawData = Encoding.ASCII.GetString(chunk).Contains("DATA\r\n", StringComparison.OrdinalIgnoreCase);
                }

                var joined = tail.Concat(chunk).ToArray();
                var end = sawData && faulty ? IndexOf(joined, EndOfData) : -1;
                if (end >= 0)
                {
                    EndOfDataSeen.TrySetResult();
                    if (fault == SmtpFault.HoldEndOfData)
                    {
                        // everything but the final ".\r\n" goes on now; the rest after the hold, if the client is still there
                        var keep = joined.Length - (end + 2);
                        await upstreamStream.WriteAsync(chunk.AsMemory(0, Math.Max(0, n - keep)), session.Token);
                        if (await ClosedWithinAsync(client.Client, hold, session.Token))
                        {
                            FaultDone.TrySetResult();
                            break;
                        }

                        HeldDataForwarded = true;
                        await upstreamStream.WriteAsync(chunk.AsMemory(Math.Max(0, n - keep)), session.Token);
                        tail = [];
                        faulty = false;
                        continue;
                    }

                    Volatile.Write(ref dataEnded, true);
                }

                await upstreamStream.WriteAsync(chunk, session.Token);
                tail = joined.Length > 4 ? joined[^4..] : joined;
            }
        }

        try
        {
            await Task.WhenAny(FromServerAsync(), FromClientAsync());
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // one side went away
        }
        finally
        {
            await session.CancelAsync();
        }
    }

    /// <summary>Whether the peer closes the socket within the time; nothing is read from it meanwhile.</summary>
    private static async Task<bool> ClosedWithinAsync(Socket socket, TimeSpan time, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + time;
        while (DateTime.UtcNow < until)
        {
            // readable with nothing to read: the peer has closed (or reset) the connection
            if (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0)
            {
                return true;
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
