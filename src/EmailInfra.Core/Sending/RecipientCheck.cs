using System.Collections.Concurrent;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;

namespace EmailInfra.Core.Sending;

/// <summary>The verdict on one recipient address before anything is sent to it.</summary>
public sealed record RecipientVerdict(string Address, bool Valid, string? Reason, string? Provider)
{
    public static RecipientVerdict Invalid(string address, string reason) => new(address, false, reason, null);
}

/// <summary>
/// List hygiene and provider routing: syntax (RFC 5321/5322), a domain that takes mail (MX, or A/AAAA fallback; a null MX
/// refuses), not suppressed. No SMTP probing of recipients: it costs reputation. DNS answers are cached for a while.
/// </summary>
public sealed class RecipientCheck(IMailRouteResolver resolver, ISuppressionList suppressions, SendingLimits limits, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, (MailRoute Route, DateTimeOffset Until)> routes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks an address; throws <see cref="TimeoutException"/> when DNS does not answer (the caller retries later).</summary>
    public async Task<RecipientVerdict> CheckAsync(string address, bool checkSuppression, CancellationToken cancellationToken)
    {
        var syntax = SyntaxProblem(address);
        if (syntax is not null)
        {
            return RecipientVerdict.Invalid(address, syntax);
        }

        var normalized = address.Trim().ToLowerInvariant();
        var domain = EmailAddress.DomainOf(normalized);
        var route = await RouteAsync(domain, cancellationToken).ConfigureAwait(false);
        if (!route.Exists)
        {
            return RecipientVerdict.Invalid(normalized, $"domain {domain} does not exist");
        }

        if (route.NullMx)
        {
            return RecipientVerdict.Invalid(normalized, $"domain {domain} accepts no mail (null MX)");
        }

        if (!route.AcceptsMail)
        {
            return RecipientVerdict.Invalid(normalized, $"domain {domain} has no MX and no address");
        }

        if (checkSuppression && await suppressions.IsSuppressedAsync(normalized, cancellationToken).ConfigureAwait(false))
        {
            return RecipientVerdict.Invalid(normalized, "suppressed");
        }

        return new RecipientVerdict(normalized, true, null, limits.ProviderOf(route.MxHosts.Count > 0 ? route.MxHosts : [domain]));
    }

    /// <summary>What is wrong with the address's syntax, or null. Follows RFC 5321 limits and the dot-atom form of RFC 5322.</summary>
    public static string? SyntaxProblem(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return "empty";
        }

        var a = address.Trim();
        if (a.Length > 254)
        {
            return "longer than 254 characters";
        }

        var at = a.LastIndexOf('@');
        if (at <= 0 || at == a.Length - 1)
        {
            return "not local@domain";
        }

        var local = a[..at];
        var domain = a[(at + 1)..];
        if (local.Length > 64)
        {
            return "local part longer than 64 characters";
        }

        if (local.StartsWith('"'))
        {
            if (local.Length < 2 || !local.EndsWith('"') || local[1..^1].Any(c => c is '"' or '\\' or '\r' or '\n' || c > 126 || c < 32))
            {
                return "badly quoted local part";
            }
        }
        else if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal)
            || local.Any(c => !(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal))))
        {
            return "invalid characters or dots in the local part";
        }

        if (domain.Length > 253 || !domain.Contains('.', StringComparison.Ordinal))
        {
            return "domain is not a fully qualified name";
        }

        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-') || label.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            {
                return $"invalid domain label '{label}'";
            }
        }

        if (domain.Split('.')[^1].All(char.IsAsciiDigit))
        {
            return "domain is an address literal or numeric";
        }

        return null;
    }

    private async Task<MailRoute> RouteAsync(string domain, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (routes.TryGetValue(domain, out var cached) && cached.Until > now)
        {
            return cached.Route;
        }

        var route = await resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        routes[domain] = (route, now + CacheFor);
        return route;
    }
}
