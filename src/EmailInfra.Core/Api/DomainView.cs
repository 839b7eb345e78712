namespace EmailInfra.Core.Api;

/// <summary>A sending domain as the API shows it.</summary>
public sealed record DomainView(string Name, DateTimeOffset RegisteredAt, bool Retired, bool Forced, IReadOnlyList<string> DkimSelectors, string? Note, int Mailboxes);
