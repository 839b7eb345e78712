using EmailInfra.Core.Health;
using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Core.Api;

/// <summary>
/// A mailbox in the fleet overview. <see cref="Day"/> is the pool's current sending day; <see cref="SentToday"/> counts every
/// send of it (warm-up and outbound) against <see cref="CapToday"/>, the mailbox's daily cap after its throttle;
/// <see cref="WarmupPlanned"/> is null on a day with no warm-up. <see cref="LastPollAt"/> is when IMAP was last met.
/// </summary>
public sealed record MailboxSummary(
    string Address,
    string Pool,
    string Domain,
    MailboxState State,
    string? StateReason,
    HealthLevel? Health,
    DateOnly Day,
    long SentToday,
    int CapToday,
    int? WarmupPlanned,
    DateTimeOffset? LastPollAt,
    ConnectionStatus? Imap,
    ConnectionStatus? Smtp,
    string? ConnectionError);
