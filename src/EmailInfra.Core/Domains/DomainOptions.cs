namespace EmailInfra.Core.Domains;

/// <summary>Settings of the "Domains" section.</summary>
public sealed class DomainOptions
{
    public const string Section = "Domains";

    /// <summary>
    /// The company's primary business domains: never registered as sending domains unless an operator forces it, since cold
    /// mail that hurts a domain's reputation would hurt the company's own mail with it.
    /// </summary>
    public IList<string> Primary { get; } = [];

    public bool IsPrimary(string domain) =>
        Primary.Any(p => string.Equals(p.Trim().TrimEnd('.'), domain, StringComparison.OrdinalIgnoreCase));
}
