namespace EmailInfra.Core.Api;

/// <summary>Changes to a mailbox; fields left out keep their value. A new password replaces the stored one; test (default true) tests the result.</summary>
public sealed record MailboxUpdate(ServerInput? Smtp = null, ServerInput? Imap = null, string? Password = null, string? Username = null, bool? AppendToSent = null, bool Test = true)
{
    public override string ToString() => "mailbox update";
}
