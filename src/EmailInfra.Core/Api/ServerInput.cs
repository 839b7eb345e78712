namespace EmailInfra.Core.Api;

/// <summary>A mail server: host, port, and tls (implicit, starttls or none; default implicit on 465 and 993, else starttls).</summary>
public sealed record ServerInput(string Host, int Port, string? Tls = null);
