namespace EmailInfra.Core.Api;

/// <summary>A mailbox to register. The password is stored in the secret store and never returned; test (default true) tests SMTP and IMAP.</summary>
public sealed record MailboxInput(string Address, string Pool, ServerInput Smtp, ServerInput Imap, string Password, string? Username = null, bool AppendToSent = false, bool Force = false, bool Test = true)
{
    // the generated ToString would print the password
    public override string ToString() => $"{Address} in pool {Pool}";
}
