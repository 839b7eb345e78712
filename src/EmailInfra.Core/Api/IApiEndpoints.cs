namespace EmailInfra.Core.Api;

/// <summary>One area's admin API routes (domains, mailboxes, warm-up, ...), registered in DI and gathered by <see cref="AdminApi"/>.</summary>
public interface IApiEndpoints
{
    IEnumerable<ApiRoute> Routes { get; }
}
