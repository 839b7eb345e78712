using EmailInfra.Core.Inbox;
using EmailInfra.Core.Mailboxes;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace EmailInfra.Infrastructure.Mail;

/// <summary>Reads mailboxes over IMAP with MailKit; finds the junk folder by SPECIAL-USE or by the providers' usual names.</summary>
public sealed class MailKitMailboxReader(MailConnection connection) : IMailboxReader
{
    /// <summary>For diagnostics: a protocol logger for each new session (for example to count IMAP commands). Never logs passwords: MailKit masks them.</summary>
    public Func<IProtocolLogger>? ProtocolLog { get; set; }

    public async Task<IInboxSession> OpenAsync(Mailbox mailbox, MailboxCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!connection.IsAllowed(mailbox.Imap))
        {
            throw new MailboxUnreachableException($"TLS is required for {mailbox.Imap.Host}; plaintext is allowed only for listed test hosts");
        }

        var client = ProtocolLog is { } log ? new ImapClient(log()) : new ImapClient();
        try
        {
            await connection.ConnectAsync(client, mailbox.Imap, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(credentials.Username, credentials.Password, cancellationToken).ConfigureAwait(false);
            return new Session(client);
        }
        catch (AuthenticationException ex)
        {
            client.Dispose();
            throw new MailboxUnreachableException($"{mailbox.Imap.Host} refused the credentials: {ex.Message}", credentialsRefused: true, ex);
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
        {
            client.Dispose();
            throw new MailboxUnreachableException($"{mailbox.Imap}: {ex.Message}", credentialsRefused: false, ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Failures of the connection rather than of a command about one message: transport errors, a protocol stream that
    /// no longer parses, TLS, a timeout (MailKit's command timeout, or the connect timeout's own cancellation).
    /// </summary>
    internal static bool IsConnectionFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        IOException or System.Net.Sockets.SocketException or TimeoutException or ImapProtocolException or ServiceNotConnectedException
            or ServiceNotAuthenticatedException or SslHandshakeException => true,
        _ => false,
    };

    /// <summary>Runs one command of a session, reporting a broken connection as <see cref="MailboxUnreachableException"/>.</summary>
    private static async Task<T> OnConnectionAsync<T>(Func<Task<T>> command, CancellationToken cancellationToken)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
        {
            throw new MailboxUnreachableException("IMAP session broke: " + ex.Message, credentialsRefused: false, ex);
        }
    }

    private sealed class Session(ImapClient client) : IInboxSession
    {
        private IMailFolder? open;

        public Task<IReadOnlyList<FolderSnapshot>> StatusAsync(CancellationToken cancellationToken) =>
            OnConnectionAsync(() => ReadStatusAsync(cancellationToken), cancellationToken);

        public Task<FolderSnapshot?> OpenFolderAsync(FolderRole role, CancellationToken cancellationToken) =>
            OnConnectionAsync(() => SelectRoleAsync(role, cancellationToken), cancellationToken);

        public Task<IReadOnlyList<InboundHeaders>> FetchHeadersAfterAsync(uint afterUid, int limit, CancellationToken cancellationToken) =>
            OnConnectionAsync(() => ReadHeadersAfterAsync(afterUid, limit, cancellationToken), cancellationToken);

        public Task<MimeMessage> FetchMessageAsync(uint uid, CancellationToken cancellationToken) =>
            OnConnectionAsync(() => (open ?? throw new InvalidOperationException("No folder is open.")).GetMessageAsync(new UniqueId(uid), cancellationToken), cancellationToken);

        private async Task<IReadOnlyList<FolderSnapshot>> ReadStatusAsync(CancellationToken cancellationToken)
        {
            const StatusItems items = StatusItems.UidNext | StatusItems.UidValidity | StatusItems.HighestModSeq;
            var folders = new List<(FolderRole Role, IMailFolder Folder)> { (FolderRole.Inbox, client.Inbox) };
            if (await FolderOfAsync(FolderRole.Junk, cancellationToken).ConfigureAwait(false) is { } junk)
            {
                folders.Add((FolderRole.Junk, junk));
            }

            if ((client.Capabilities & ImapCapabilities.ListStatus) != 0 && client.PersonalNamespaces.Count > 0)
            {
                // one command: LIST ... RETURN (STATUS (...)) updates every folder object MailKit holds
                await client.GetFoldersAsync(client.PersonalNamespaces[0], items, subscribedOnly: false, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (var (_, folder) in folders)
                {
                    await folder.StatusAsync(items, cancellationToken).ConfigureAwait(false);
                }
            }

            return folders.Select(f => new FolderSnapshot(f.Role, f.Folder.FullName, f.Folder.UidValidity, f.Folder.UidNext?.Id ?? 0, f.Folder.HighestModSeq)).ToList();
        }

        private async Task<FolderSnapshot?> SelectRoleAsync(FolderRole role, CancellationToken cancellationToken)
        {
            var folder = await FolderOfAsync(role, cancellationToken).ConfigureAwait(false);
            if (folder is null)
            {
                return null;
            }

            await SelectAsync(folder, cancellationToken).ConfigureAwait(false);
            return new FolderSnapshot(role, folder.FullName, folder.UidValidity, folder.UidNext?.Id ?? 0, folder.HighestModSeq);
        }

        private async Task<IReadOnlyList<InboundHeaders>> ReadHeadersAfterAsync(uint afterUid, int limit, CancellationToken cancellationToken)
        {
            var folder = open ?? throw new InvalidOperationException("No folder is open.");
            if (folder.Count == 0)
            {
                return [];
            }

            var range = new UniqueIdRange(new UniqueId(afterUid + 1), UniqueId.MaxValue);
            var uids = (await folder.SearchAsync(SearchQuery.Uids(range), cancellationToken).ConfigureAwait(false))
                .Where(u => u.Id > afterUid).OrderBy(u => u.Id).Take(limit).ToList();
            if (uids.Count == 0)
            {
                return [];
            }

            // the structure comes in the same round trip: it tells a message that returns another one attached
            var summaries = await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Headers | MessageSummaryItems.BodyStructure | MessageSummaryItems.Size, cancellationToken).ConfigureAwait(false);
            return summaries.Where(s => s.Headers is not null).OrderBy(s => s.UniqueId.Id)
                .Select(s => new InboundHeaders(s.UniqueId.Id, s.Headers!, CarriesMessage(s.Body), s.Size)).ToList();
        }

        private static bool CarriesMessage(BodyPart? part) => part switch
        {
            BodyPartMessage => true,
            BodyPartMultipart multipart => multipart.BodyParts.Any(CarriesMessage),
            BodyPartBasic basic => basic.ContentType.IsMimeType("text", "rfc822-headers"),
            _ => false,
        };

        public async Task<bool> ContainsMessageIdAsync(FolderRole role, string messageId, CancellationToken cancellationToken)
        {
            var folder = await FolderOfAsync(role, cancellationToken).ConfigureAwait(false);
            if (folder is null)
            {
                return false;
            }

            await SelectAsync(folder, cancellationToken).ConfigureAwait(false);
            var found = await folder.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken).ConfigureAwait(false);
            return found.Count > 0;
        }

        public async Task EngageAsync(uint uid, bool flag, CancellationToken cancellationToken)
        {
            var folder = open ?? throw new InvalidOperationException("No folder is open.");
            var id = new UniqueId(uid);
            var flags = MessageFlags.Seen | (flag ? MessageFlags.Flagged : MessageFlags.None);
            var fromJunk = folder != client.Inbox;
            var keywords = new HashSet<string>(StringComparer.Ordinal);
            if (fromJunk && folder.AcceptsKeywords())
            {
                keywords.Add("$NotJunk");
            }

            await folder.StoreAsync(id, new StoreFlagsRequest(StoreAction.Add, flags, keywords) { Silent = true }, cancellationToken).ConfigureAwait(false);
            if (fromJunk)
            {
                if (folder.PermanentKeywords.Contains("$Junk") || folder.AcceptsKeywords())
                {
                    await folder.StoreAsync(id, new StoreFlagsRequest(StoreAction.Remove, MessageFlags.None, ["$Junk", "Junk"]) { Silent = true }, cancellationToken).ConfigureAwait(false);
                }

                // MOVE where offered; MailKit falls back to COPY + \Deleted + EXPUNGE
                await folder.MoveToAsync(id, client.Inbox, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task AppendToSentAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            var sent = await FolderOfAsync(FolderRole.Sent, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The mailbox has no Sent folder.");
            await sent.AppendAsync(new AppendRequest(message, MessageFlags.Seen), cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(true).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or ImapProtocolException or ImapCommandException)
            {
                // the session is over either way
            }
            finally
            {
                client.Dispose();
            }
        }

        /// <summary>Opens a folder read-only (IMAP has one selected folder per session: the previous one is closed).</summary>
        private async Task SelectAsync(IMailFolder folder, CancellationToken cancellationToken)
        {
            if (open is not null && open != folder && open.IsOpen)
            {
                await open.CloseAsync(false, cancellationToken).ConfigureAwait(false);
            }

            // read-write: engagement sets flags and moves mail; bodies are still fetched with PEEK, which sets no flag
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
            open = folder;
        }

        private async Task<IMailFolder?> FolderOfAsync(FolderRole role, CancellationToken cancellationToken) => role switch
        {
            FolderRole.Inbox => client.Inbox,
            FolderRole.Junk => await ImapFolders.FindAsync(client, SpecialFolder.Junk, cancellationToken).ConfigureAwait(false),
            _ => await ImapFolders.FindAsync(client, SpecialFolder.Sent, cancellationToken).ConfigureAwait(false),
        };
    }
}

/// <summary>Keyword support of an open IMAP folder.</summary>
internal static class MailFolderKeywords
{
    /// <summary>Whether the folder keeps arbitrary keywords (PERMANENTFLAGS includes \*).</summary>
    public static bool AcceptsKeywords(this IMailFolder folder) => (folder.PermanentFlags & MessageFlags.UserDefined) != 0;
}
