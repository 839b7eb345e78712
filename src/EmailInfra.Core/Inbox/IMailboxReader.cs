using EmailInfra.Core.Mailboxes;
using MimeKit;

namespace EmailInfra.Core.Inbox;

/// <summary>The folders a poll reads.</summary>
public enum FolderRole
{
    Inbox,
    Junk,
    Sent,
}

/// <summary>A folder as the server reports it when opened.</summary>
public sealed record FolderSnapshot(FolderRole Role, string Name, uint UidValidity, uint UidNext, ulong HighestModSeq);

/// <summary>
/// A message's UID and header block, fetched before deciding whether its body is needed, and whether its structure
/// carries another message (an attached message/rfc822 or text/rfc822-headers part: a notice about that message may
/// come under a plain sender and subject), and its size in octets as the server reports it (RFC822.SIZE), null if unknown.
/// </summary>
public sealed record InboundHeaders(uint Uid, HeaderList Headers, bool CarriesMessage = false, uint? Size = null);

/// <summary>Opens an authenticated read session on a mailbox (adapter over MailKit IMAP).</summary>
/// <remarks>
/// A server that cannot be reached, refuses the login, or drops the session surfaces as
/// <see cref="MailboxUnreachableException"/>; any other exception is about the command (a NO for one UID, a message that
/// does not parse).
/// </remarks>
public interface IMailboxReader
{
    Task<IInboxSession> OpenAsync(Mailbox mailbox, MailboxCredentials credentials, CancellationToken cancellationToken);
}

/// <summary>One logged-in IMAP session; one folder open at a time.</summary>
public interface IInboxSession : IAsyncDisposable
{
    /// <summary>UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ of INBOX and the junk folder without selecting them: one LIST-STATUS where the server offers it.</summary>
    Task<IReadOnlyList<FolderSnapshot>> StatusAsync(CancellationToken cancellationToken);

    /// <summary>Opens the folder with that role; null when the mailbox has none (some servers have no junk folder).</summary>
    Task<FolderSnapshot?> OpenFolderAsync(FolderRole role, CancellationToken cancellationToken);

    /// <summary>Headers of the open folder's messages with a UID above <paramref name="afterUid"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<InboundHeaders>> FetchHeadersAfterAsync(uint afterUid, int limit, CancellationToken cancellationToken);

    Task<MimeMessage> FetchMessageAsync(uint uid, CancellationToken cancellationToken);

    /// <summary>Whether the folder with that role holds a message with this Message-ID (bare, without angle brackets).</summary>
    Task<bool> ContainsMessageIdAsync(FolderRole role, string messageId, CancellationToken cancellationToken);

    /// <summary>Engages with a message of the open folder as a reader would: marks it read (and flagged when asked); from the junk folder it is also marked not-junk and moved to INBOX.</summary>
    Task EngageAsync(uint uid, bool flag, CancellationToken cancellationToken);

    /// <summary>Appends a copy of a sent message to the Sent folder, marked as read.</summary>
    Task AppendToSentAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Where the poller stands in one folder of one mailbox.</summary>
public sealed record FolderSyncState(string Mailbox, FolderRole Role, string FolderName, uint UidValidity, uint LastUid, ulong HighestModSeq, DateTimeOffset UpdatedAt);

/// <summary>Persistence of per-folder sync state.</summary>
public interface ISyncStateStore
{
    Task<FolderSyncState?> GetAsync(string mailbox, FolderRole role, CancellationToken cancellationToken);

    Task SaveAsync(FolderSyncState state, CancellationToken cancellationToken);
}
