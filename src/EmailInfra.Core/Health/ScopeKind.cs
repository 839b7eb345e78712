namespace EmailInfra.Core.Health;

/// <summary>What a health rule judges: one mailbox, a sending domain (all its mailboxes), or a sending pool (a shared sending path).</summary>
public enum ScopeKind
{
    Mailbox,
    Domain,
    Pool,
}
