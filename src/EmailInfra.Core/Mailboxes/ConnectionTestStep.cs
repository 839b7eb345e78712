namespace EmailInfra.Core.Mailboxes;

/// <summary>One step of a mailbox's connection test: protocol ("smtp", "imap"), step ("connect", "ehlo", "starttls", "auth", "login", "inbox", "sent", "junk"), outcome and what was seen.</summary>
public sealed record ConnectionTestStep(string Protocol, string Step, bool Ok, string Detail);
