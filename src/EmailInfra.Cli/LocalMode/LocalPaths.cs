using System.Net.Sockets;

namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// Where local mode finds what a clone of the repository provides (Azurite in tools/, the mail rig in .rig/ and scripts/):
/// above the working folder or the app's, since a built or installed emailinfra runs from anywhere. And whether a loopback
/// port answers, to tell a running service from a missing one.
/// </summary>
public static class LocalPaths
{
    /// <summary>The first <paramref name="relative"/> path that exists in a start folder or any folder above it.</summary>
    public static string? FindAbove(IEnumerable<string> starts, string relative)
    {
        ArgumentNullException.ThrowIfNull(starts);
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary><see cref="FindAbove(IEnumerable{string}, string)"/> from the working folder, then the app's.</summary>
    public static string? FindAbove(string relative) => FindAbove([Environment.CurrentDirectory, AppContext.BaseDirectory], relative);

    /// <summary>Whether something accepts a TCP connection on 127.0.0.1:<paramref name="port"/> within half a second.</summary>
    public static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(500));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
