using System.Diagnostics.CodeAnalysis;

namespace EmailInfra.Core.Health;

/// <summary>A mailbox, domain or pool as health sees it; <see cref="Key"/> ("mailbox:a@b.test", "domain:b.test", "pool:p1") keys its state and its events.</summary>
public sealed record HealthScope(ScopeKind Kind, string Id)
{
    public string Key => Kind.ToString().ToLowerInvariant() + ":" + Id;

    public static HealthScope Mailbox(string address) => new(ScopeKind.Mailbox, address.Trim().ToLowerInvariant());

    public static HealthScope Domain(string name) => new(ScopeKind.Domain, name.Trim().TrimEnd('.').ToLowerInvariant());

    public static HealthScope Pool(string id) => new(ScopeKind.Pool, id.Trim());

    public static bool TryParse(string? key, [NotNullWhen(true)] out HealthScope? scope)
    {
        scope = null;
        var colon = key?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || colon == key!.Length - 1 || !Enum.TryParse<ScopeKind>(key[..colon], ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            return false;
        }

        var id = key[(colon + 1)..];
        scope = kind switch
        {
            ScopeKind.Mailbox => Mailbox(id),
            ScopeKind.Domain => Domain(id),
            _ => Pool(id),
        };
        return true;
    }

    public override string ToString() => Key;
}
