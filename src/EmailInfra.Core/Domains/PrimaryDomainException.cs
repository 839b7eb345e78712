namespace EmailInfra.Core.Domains;

/// <summary>A sending domain (or a mailbox of one) refused because it is configured as a primary business domain; a 409 in the API.</summary>
public sealed class PrimaryDomainException : Exception
{
    public PrimaryDomainException(string domain)
        : base($"{domain} is configured as a primary business domain (Domains:Primary): cold mail would put the company's own mail at risk. Register a separate cold domain, or force it.")
    {
        Domain = domain;
    }

    public PrimaryDomainException()
        : this(string.Empty)
    {
    }

    public PrimaryDomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Domain = string.Empty;
    }

    public string Domain { get; } = string.Empty;
}
