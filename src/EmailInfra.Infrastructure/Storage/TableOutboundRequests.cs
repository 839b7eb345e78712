using Azure;
using Azure.Data.Tables;
using EmailInfra.Core.Sending;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Outbound requests awaiting or holding a mailbox (partition = pool, row = request id).</summary>
public sealed class TableOutboundRequests(StorageClients storage) : IOutboundRequests
{
    public async Task<bool> TryAddAsync(OutboundRequest request, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.OutboundRequests, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToRow(request), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<OutboundRequest?> GetAsync(string poolId, string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.OutboundRequests, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(poolId, TableKey.Escape(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromRow(row.Value!) : null;
    }

    public async Task<OutboundRequest?> TryReplaceAsync(OutboundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var table = await storage.TableAsync(TableNames.OutboundRequests, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(ToRow(request), request.ETag is null ? ETag.All : new ETag(request.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return request with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    private static TableEntity ToRow(OutboundRequest r) => new(r.PoolId, TableKey.Escape(r.Id))
    {
        ["Id"] = r.Id,
        ["Mailbox"] = r.Mailbox,
        ["Recipient"] = r.Recipient,
        ["Subject"] = r.Subject,
        ["TextBody"] = r.Content.TextBody,
        ["HtmlBody"] = r.Content.HtmlBody,
        ["UnsubscribeUrl"] = r.Content.UnsubscribeUrl,
        ["NotBefore"] = r.NotBefore,
        ["State"] = r.State.ToString(),
        ["AssignedMailbox"] = r.AssignedMailbox,
        ["AssignedDay"] = r.AssignedDay is { } d ? TableKey.Day(d) : null,
        ["Reason"] = r.Reason,
    };

    private static OutboundRequest FromRow(TableEntity row) => new()
    {
        Id = row.GetString("Id"),
        PoolId = row.PartitionKey,
        Mailbox = row.GetString("Mailbox"),
        Recipient = row.GetString("Recipient"),
        Subject = row.GetString("Subject"),
        Content = new OutboundContent(row.GetString("TextBody"), row.GetString("HtmlBody"), row.GetString("UnsubscribeUrl")),
        NotBefore = row.GetDateTimeOffset("NotBefore") ?? default,
        State = Enum.Parse<OutboundState>(row.GetString("State")),
        AssignedMailbox = row.GetString("AssignedMailbox"),
        AssignedDay = row.GetString("AssignedDay") is { } day ? DateOnly.ParseExact(day, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) : null,
        Reason = row.GetString("Reason"),
        ETag = row.ETag.ToString(),
    };
}
