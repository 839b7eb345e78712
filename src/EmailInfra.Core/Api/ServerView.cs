namespace EmailInfra.Core.Api;

/// <summary>A mail server as the API shows it.</summary>
public sealed record ServerView(string Host, int Port, string Tls);
