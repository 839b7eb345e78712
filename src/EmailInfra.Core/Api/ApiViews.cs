using EmailInfra.Core.Domains;
using EmailInfra.Core.Health;
using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Core.Api;

/// <summary>What the API shows of stored things, and how it reads the values clients send (names, servers, time zones).</summary>
public static class ApiViews
{
    public static MailboxView Of(Mailbox m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Address, m.PoolId, m.Domain, Of(m.Smtp), Of(m.Imap), m.Username, Name(m.State), m.StateReason, m.ThrottleFactor, m.RampHeld, m.AppendToSent, m.CreatedAt);
    }

    public static ServerView Of(MailServerEndpoint e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Host, e.Port, e.Tls.ToString().ToLowerInvariant());
    }

    public static PoolView Of(SendingPool p, int mailboxes)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Description, p.TimeZoneId, p.CreatedAt, mailboxes);
    }

    public static DomainView Of(SendingDomain d, int mailboxes)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Name, d.RegisteredAt, d.Retired, d.Forced, d.DkimSelectors, d.Note, mailboxes);
    }

    public static HealthView Of(HealthRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Scope.Key, HealthService.Name(r.Level), r.Since, r.Findings, r.ThrottleFactor, r.ProviderThrottles, r.Override, r.EvaluatedAt);
    }

    public static string Name(MailboxState state) => state.ToString().ToLowerInvariant();

    /// <summary>
    /// The ETag header value for a stored version: the storage's version, base64url-encoded in a strong tag, so a client
    /// sends back exactly what it got (storage versions are weak tags with quotes inside, which HTTP clients rewrite).
    /// </summary>
    public static string? ETag(string? version) =>
        version is null ? null : "\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(version)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";

    /// <summary>The stored version an If-Match header names; null for none or "*"; a tag this API never gave names no version (it never matches).</summary>
    public static string? IfMatch(ApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.IfMatch?.Trim();
        if (string.IsNullOrEmpty(value) || value == "*")
        {
            return null;
        }

        var tag = (value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value).Trim('"').Replace('-', '+').Replace('_', '/');
        tag += new string('=', (4 - (tag.Length % 4)) % 4);
        var bytes = new byte[tag.Length];
        return tag.Length <= 400 && Convert.TryFromBase64String(tag, bytes, out var written)
            ? System.Text.Encoding.UTF8.GetString(bytes, 0, written)
            : "W/\"not-a-version-of-this-api\"";
    }

    /// <summary>Whether the stored version is the one If-Match named (always, when none was sent).</summary>
    public static bool Matches(ApiRequest request, string? stored)
    {
        var wanted = IfMatch(request);
        return wanted is null || string.Equals(wanted, stored, StringComparison.Ordinal);
    }

    public static string DomainName(string field, string? value)
    {
        var name = value?.Trim().TrimEnd('.').ToLowerInvariant();
        return name is not null && IsDnsName(name) && name.Contains('.', StringComparison.Ordinal) && name.Length <= 253
            ? name
            : throw new InvalidRequestException(field, "must be a domain name such as cold-example.com");
    }

    public static string Address(string field, string? value) =>
        EmailAddress.Normalize(value) ?? throw new InvalidRequestException(field, "must be a plain address such as name@example.com");

    public static string PoolId(string field, string? value) =>
        PoolIds.IsValid(value) ? value! : throw new InvalidRequestException(field, "must be 1-63 characters: lower-case letters, digits and '-'");

    public static string TimeZone(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "UTC";
        }

        try
        {
            return value.Length <= 64 && TimeZoneInfo.FindSystemTimeZoneById(value.Trim()) is not null ? value.Trim() : throw new TimeZoneNotFoundException();
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidRequestException(field, "must be a time zone id such as Europe/Berlin or UTC");
        }
    }

    /// <summary>Letters, digits and hyphens in labels of 1-63 that neither start nor end with a hyphen (RFC 1123 2.1; IDNs as A-labels).</summary>
    public static bool IsDnsName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 0 && name.Split('.').All(l =>
            l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    /// <summary>A server as the client gave it, checked: a host name or IP, a port, and a TLS mode (default by port).</summary>
    public static MailServerEndpoint Server(string field, ServerInput? input, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (input is null)
        {
            errors[field] = ["is required"];
            return new MailServerEndpoint("invalid", 0, TlsMode.StartTls);
        }

        var host = input.Host?.Trim() ?? string.Empty;
        if (host.Length is 0 or > 253 || Uri.CheckHostName(host) is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            errors[field + ".host"] = ["must be a host name or IP address"];
        }

        if (input.Port is < 1 or > 65535)
        {
            errors[field + ".port"] = ["must be between 1 and 65535"];
        }

        TlsMode tls;
        switch (input.Tls?.Trim().ToLowerInvariant())
        {
            case null or "":
                tls = input.Port is 465 or 993 ? TlsMode.Implicit : TlsMode.StartTls;
                break;
            case "implicit":
                tls = TlsMode.Implicit;
                break;
            case "starttls":
                tls = TlsMode.StartTls;
                break;
            case "none":
                tls = TlsMode.None;
                break;
            default:
                errors[field + ".tls"] = ["must be implicit, starttls or none"];
                tls = TlsMode.StartTls;
                break;
        }

        return new MailServerEndpoint(host, input.Port, tls);
    }

    /// <summary>Refuses text with control characters (header injection) or beyond a length, naming the field.</summary>
    public static string? Text(string field, string? value, int max, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null)
        {
            return null;
        }

        if (value.Length > max || value.Any(char.IsControl))
        {
            errors[field] = [$"must be at most {max} characters, without control characters"];
        }

        return value.Trim();
    }

    /// <summary>DKIM selectors: each a DNS label or dotted labels (RFC 6376 3.1), at most 10.</summary>
    public static IReadOnlyList<string> Selectors(string field, IReadOnlyList<string>? values, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var result = (values ?? []).Select(v => v?.Trim().ToLowerInvariant() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        if (result.Count > 10 || result.Any(s => s.Length is 0 or > 63 || !IsDnsName(s)))
        {
            errors[field] = ["must be at most 10 DKIM selectors, each like s1 or 2024.mail"];
        }

        return result;
    }
}
