using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace EmailInfra.Testing;

/// <summary>Direct IMAP access to rig mailboxes, for tests to check what really arrived where.</summary>
public static class RigMail
{
    private static readonly Lazy<string> RigCertificateHash = new(() =>
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Rig.CertificatePath);
        return certificate.GetCertHashString();
    });

    /// <summary>Waits until a message matching the query is in the folder; returns it, or null after the timeout.</summary>
    public static async Task<MimeMessage?> WaitForAsync(string user, SearchQuery query, string folder = "INBOX", TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < until)
        {
            var found = await FindAsync(user, query, folder);
            if (found.Count > 0)
            {
                return found[^1];
            }

            await Task.Delay(200);
        }

        return null;
    }

    public static async Task<IReadOnlyList<MimeMessage>> FindAsync(string user, SearchQuery query, string folder = "INBOX")
    {
        using var client = await ConnectAsync(user);
        var mailFolder = await client.GetFolderAsync(folder);
        await mailFolder.OpenAsync(FolderAccess.ReadOnly);
        var result = new List<MimeMessage>();
        foreach (var uid in await mailFolder.SearchAsync(query))
        {
            result.Add(await mailFolder.GetMessageAsync(uid));
        }

        await client.DisconnectAsync(true);
        return result;
    }

    /// <summary>Appends a raw message to a folder, as a server's delivery would place it.</summary>
    public static async Task AppendAsync(string user, MimeMessage message, string folder = "INBOX")
    {
        using var client = await ConnectAsync(user);
        var mailFolder = await client.GetFolderAsync(folder);
        await mailFolder.AppendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>
    /// Waits until Postfix's queues (incoming, active, deferred) hold no message for <paramref name="recipient"/>: from
    /// then on, everything submitted for it before the call has been delivered or bounced, so a test can assert that
    /// nothing more arrives without waiting "long enough".
    /// </summary>
    public static async Task WaitUntilDeliveredAsync(string recipient, TimeSpan? timeout = null)
    {
        var config = Path.Combine(Rig.RigDir ?? throw new InvalidOperationException("rig directory unknown"), "mail", "postfix");
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var start = new System.Diagnostics.ProcessStartInfo("postqueue", ["-c", config, "-j"]) { RedirectStandardOutput = true };
            using var list = System.Diagnostics.Process.Start(start)!;
            var output = await list.StandardOutput.ReadToEndAsync();
            await list.WaitForExitAsync();
            Assert.Equal(0, list.ExitCode);
            var pending = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
                .Any(m => m.GetProperty("recipients").EnumerateArray().Any(r => string.Equals(r.GetProperty("address").GetString(), recipient, StringComparison.OrdinalIgnoreCase)));
            if (!pending)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, $"mail for {recipient} still in Postfix's queue");
            await Task.Delay(100);
        }
    }

    /// <summary>Empties a folder of a rig mailbox: a test's precondition, since rig mailboxes outlive test runs on a developer's machine.</summary>
    public static async Task ClearAsync(string user, string folder = "INBOX")
    {
        using var client = await ConnectAsync(user);
        var mailFolder = await client.GetFolderAsync(folder);
        await mailFolder.OpenAsync(FolderAccess.ReadWrite);
        if (mailFolder.Count > 0)
        {
            await mailFolder.AddFlagsAsync(await mailFolder.SearchAsync(SearchQuery.All), MessageFlags.Deleted, true);
            await mailFolder.ExpungeAsync();
        }

        await client.DisconnectAsync(true);
    }

    /// <summary>Moves matching messages between folders, as a provider's spam filter or a user would.</summary>
    public static async Task<int> MoveAsync(string user, SearchQuery query, string from, string to)
    {
        using var client = await ConnectAsync(user);
        var source = await client.GetFolderAsync(from);
        await source.OpenAsync(FolderAccess.ReadWrite);
        var uids = await source.SearchAsync(query);
        if (uids.Count > 0)
        {
            await source.MoveToAsync(uids, await client.GetFolderAsync(to));
        }

        await client.DisconnectAsync(true);
        return uids.Count;
    }

    /// <summary>An authenticated IMAP client for a rig user, trusting exactly the rig's certificate.</summary>
    public static async Task<ImapClient> ConnectAsync(string user)
    {
        // Trust exactly the rig's self-signed certificate.
        var client = new ImapClient { ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || certificate?.GetCertHashString() == RigCertificateHash.Value };
        await client.ConnectAsync(Rig.Host, Rig.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(user, Rig.Users[user]);
        return client;
    }
}

/// <summary>Counts how often each of a set of Message-IDs appears across rig mailboxes (INBOX and Junk).</summary>
public static class RigDeliveries
{
    public static async Task<Dictionary<string, int>> CountAsync(IEnumerable<string> users, IReadOnlyCollection<string> messageIds)
    {
        var wanted = new HashSet<string>(messageIds, StringComparer.Ordinal);
        var counts = messageIds.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        foreach (var user in users)
        {
            using var client = await RigMail.ConnectAsync(user);
            foreach (var name in new[] { "INBOX", "Junk" })
            {
                var folder = await client.GetFolderAsync(name);
                await folder.OpenAsync(MailKit.FolderAccess.ReadOnly);
                if (folder.Count == 0)
                {
                    continue;
                }

                foreach (var summary in await folder.FetchAsync(0, -1, MailKit.MessageSummaryItems.Envelope))
                {
                    if (summary.Envelope?.MessageId is { } id && wanted.Contains(id))
                    {
                        counts[id]++;
                    }
                }
            }

            await client.DisconnectAsync(true);
        }

        return counts;
    }
}
