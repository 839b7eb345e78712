using System.Net.Mail;

namespace EmailInfra.Core.Mailboxes;

/// <summary>Normalisation and basic validation of mailbox addresses.</summary>
public static class EmailAddress
{
    /// <summary>Lower-cases and trims an address; returns null if it is not a single plain addr-spec.</summary>
    public static string? Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var trimmed = address.Trim();

        // RFC 5321 4.5.3.1.1: a local part is at most 64 octets; servers refuse longer ones, so they are not addresses we can use
        if (trimmed.Length > 254 || trimmed.LastIndexOf('@') > 64 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';'))
        {
            return null;
        }

        try
        {
            var parsed = new MailAddress(trimmed);
            if (!string.Equals(parsed.Address, trimmed, StringComparison.Ordinal) || !parsed.Host.Contains('.', StringComparison.Ordinal))
            {
                return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>The domain part of an address, lower case.</summary>
    public static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? string.Empty : address[(at + 1)..].ToLowerInvariant();
    }
}
