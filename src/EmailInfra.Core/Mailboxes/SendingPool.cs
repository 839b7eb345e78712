namespace EmailInfra.Core.Mailboxes;

/// <summary>Mailboxes that share a sending path (server, tenant or IP pool), and so share reputation and limits.</summary>
public sealed record SendingPool(string Id, string Description, string TimeZoneId, DateTimeOffset CreatedAt)
{
    /// <summary>The pool's time zone; sending days and windows are reckoned in it.</summary>
    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The stored row's version as read (null before it is stored).</summary>
    public string? ETag { get; init; }
}
