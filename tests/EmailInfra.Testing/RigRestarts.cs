using System.Diagnostics;
using System.Net.Sockets;

namespace EmailInfra.Testing;

/// <summary>
/// Restarts the rig's Dovecot in place, as an outage and a recovery would (root only). Tests that use this run in a
/// collection of their own; a storage outage uses an <see cref="AzuriteProcess"/> of the test's own instead.
/// </summary>
public static class RigRestarts
{
    /// <summary>Stops the rig's Dovecot (IMAP, LMTP, auth) and starts it again.</summary>
    public static async Task RestartDovecotAsync(TimeSpan down)
    {
        var config = Path.Combine(Rig.RigDir ?? throw new InvalidOperationException("rig directory unknown"), "mail", "dovecot", "dovecot.conf");
        await RunAsync("doveadm", "-c", config, "stop");
        await Task.Delay(down);
        await RunAsync("dovecot", "-c", config);
        await WaitForPortAsync(Rig.ImapPort, TimeSpan.FromSeconds(30));
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
        }
    }

    private static async Task WaitForPortAsync(int port, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Rig.Host, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"nothing answered on {Rig.Host}:{port} within {within}");
    }
}
