namespace EmailInfra.Core.Api;

/// <summary>A registered or updated mailbox with its connection test (null when not tested).</summary>
public sealed record MailboxRegistered(MailboxView Mailbox, Mailboxes.ConnectionTestReport? Test);
