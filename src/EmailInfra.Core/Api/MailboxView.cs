namespace EmailInfra.Core.Api;

/// <summary>A mailbox as the API shows it (never its password or secret name).</summary>
public sealed record MailboxView(string Address, string Pool, string Domain, ServerView Smtp, ServerView Imap, string Username, string State, string? StateReason, double ThrottleFactor, bool RampHeld, bool AppendToSent, DateTimeOffset CreatedAt);
