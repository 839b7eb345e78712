using Azure;
using Azure.Data.Tables;
using EmailInfra.Core.Sending;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>The send ledger (partition = mailbox + day, row = send id) and the Message-ID index (partition = hash of the id).</summary>
public sealed class TableSendLedger(StorageClients storage) : ISendLedger
{
    public async Task<bool> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.SendLedger, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToRow(entry), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = await storage.TableAsync(TableNames.SendLedger, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(key.Mailbox, key.Day), TableKey.Escape(key.SendId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromRow(row.Value!) with { ReadAt = row.GetRawResponse().Headers.Date } : null;
    }

    public async Task<LedgerEntry?> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await storage.TableAsync(TableNames.SendLedger, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(
                ToRow(entry), entry.ETag is null ? ETag.All : new ETag(entry.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            // The row's new timestamp is not in the reply (its Date is cut to the second and could end a lease early): a lease is
            // judged on a row read back, never on this copy.
            return entry with { ETag = response.Headers.ETag?.ToString(), StoredAt = null, ReadAt = null };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<LedgerEntry>> ListDayAsync(string mailbox, DateOnly day, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.SendLedger, cancellationToken).ConfigureAwait(false);
        var partition = Partition(mailbox, day);
        var result = new List<LedgerEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromRow(row));
        }

        return result;
    }

    public async Task<IReadOnlyList<LedgerEntry>> ListUnfinishedAsync(DateOnly fromDay, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.SendLedger, cancellationToken).ConfigureAwait(false);
        var from = TableKey.Day(fromDay);
        var filter = TableClient.CreateQueryFilter($"Day ge {from} and (State eq {nameof(SendState.Planned)} or State eq {nameof(SendState.Deferred)} or State eq {nameof(SendState.Sending)} or SentCopy eq {nameof(SentCopyState.Pending)})");
        var result = new List<LedgerEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromRow(row));
        }

        return result;
    }

    public async Task IndexMessageIdAsync(string messageId, LedgerKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = await storage.TableAsync(TableNames.MessageIndex, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(TableKey.Hash(messageId), string.Empty)
            {
                ["MessageId"] = messageId,
                ["Mailbox"] = key.Mailbox,
                ["Day"] = TableKey.Day(key.Day),
                ["SendId"] = key.SendId,
            },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<LedgerEntry?> FindByMessageIdAsync(string messageId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.MessageIndex, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Hash(messageId), string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || !string.Equals(row.Value!.GetString("MessageId"), messageId, StringComparison.Ordinal))
        {
            return null;
        }

        var key = new LedgerKey(row.Value.GetString("Mailbox"), DateOnly.ParseExact(row.Value.GetString("Day"), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), row.Value.GetString("SendId"));
        return await GetAsync(key, cancellationToken).ConfigureAwait(false);
    }

    internal static string Partition(string mailbox, DateOnly day) => $"{TableKey.Escape(mailbox)}|{TableKey.Day(day)}";

    private static TableEntity ToRow(LedgerEntry e) => new(Partition(e.Key.Mailbox, e.Key.Day), TableKey.Escape(e.Key.SendId))
    {
        ["Mailbox"] = e.Key.Mailbox,
        ["Day"] = TableKey.Day(e.Key.Day),
        ["SendId"] = e.Key.SendId,
        ["PoolId"] = e.PoolId,
        ["Kind"] = e.Kind.ToString(),
        ["Recipient"] = e.Recipient,
        ["Subject"] = e.Subject,
        ["ScheduledAt"] = e.ScheduledAt,
        ["State"] = e.State.ToString(),
        ["MessageId"] = e.MessageId,
        ["InReplyTo"] = e.InReplyTo,
        ["SmtpReply"] = Truncate(e.SmtpReply),
        ["BounceStatus"] = e.BounceStatus,
        ["BounceDiagnostic"] = Truncate(e.BounceDiagnostic),
        ["Attempts"] = e.Attempts,
        ["Reason"] = Truncate(e.Reason),
        ["Provider"] = e.Provider,
        ["ReplyAfterSeconds"] = e.ReplyAfter is { } after ? (long)after.TotalSeconds : null,
        ["TextBody"] = e.Content?.TextBody,
        ["HtmlBody"] = e.Content?.HtmlBody,
        ["UnsubscribeUrl"] = e.Content?.UnsubscribeUrl,
        ["Refusals"] = e.Refusals,
        ["ClaimToken"] = e.ClaimToken,
        ["ClaimedAt"] = e.ClaimedAt,
        ["MaybeDelivered"] = e.MaybeDelivered,
        ["SentCopy"] = e.SentCopy.ToString(),
        ["SentCopyTries"] = e.SentCopyTries,
        ["DueAt"] = e.DueAt,
        ["UpdatedAt"] = e.UpdatedAt,
    };

    private static LedgerEntry FromRow(TableEntity row) => new()
    {
        Key = new LedgerKey(row.GetString("Mailbox"), DateOnly.ParseExact(row.GetString("Day"), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), row.GetString("SendId")),
        PoolId = row.GetString("PoolId"),
        Kind = Enum.Parse<SendKind>(row.GetString("Kind")),
        Recipient = row.GetString("Recipient"),
        Subject = row.GetString("Subject") ?? string.Empty,
        ScheduledAt = row.GetDateTimeOffset("ScheduledAt") ?? default,
        State = Enum.Parse<SendState>(row.GetString("State")),
        MessageId = row.GetString("MessageId"),
        InReplyTo = row.GetString("InReplyTo"),
        SmtpReply = row.GetString("SmtpReply"),
        BounceStatus = row.GetString("BounceStatus"),
        BounceDiagnostic = row.GetString("BounceDiagnostic"),
        Attempts = row.GetInt32("Attempts") ?? 0,
        Reason = row.GetString("Reason"),
        Provider = row.GetString("Provider"),
        ReplyAfter = row.GetInt64("ReplyAfterSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        Content = row.GetString("TextBody") is { } text ? new OutboundContent(text, row.GetString("HtmlBody"), row.GetString("UnsubscribeUrl")) : null,
        Refusals = row.GetInt32("Refusals") ?? 0,
        ClaimToken = row.GetString("ClaimToken"),
        ClaimedAt = row.GetDateTimeOffset("ClaimedAt"),
        MaybeDelivered = row.GetBoolean("MaybeDelivered") ?? false,
        SentCopy = Enum.TryParse<SentCopyState>(row.GetString("SentCopy"), out var copy) ? copy : SentCopyState.NotNeeded,
        SentCopyTries = row.GetInt32("SentCopyTries") ?? 0,
        DueAt = row.GetDateTimeOffset("DueAt"),
        UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default,
        StoredAt = row.Timestamp,
        ETag = row.ETag.ToString(),
    };

    // A string property holds at most 64 KiB; server replies are far shorter, but a hostile server decides their length.
    private static string? Truncate(string? value) => value is { Length: > 4000 } ? value[..4000] : value;
}
