using Azure;
using Azure.Data.Tables;
using EmailInfra.Core.Webhooks;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Webhook endpoints (partition "endpoint", row = id) and deliveries (partition = endpoint id, row = event id) in Azure Tables.</summary>
public sealed class TableWebhookStore(StorageClients storage) : IWebhookStore
{
    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WebhookEndpoints, cancellationToken).ConfigureAwait(false);
        var result = new List<WebhookEndpoint>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "endpoint", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToEndpoint(row));
        }

        return result;
    }

    public async Task<WebhookEndpoint?> GetEndpointAsync(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WebhookEndpoints, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>("endpoint", id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToEndpoint(row.Value!) : null;
    }

    public async Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var table = await storage.TableAsync(TableNames.WebhookEndpoints, cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(
            new TableEntity("endpoint", endpoint.Id)
            {
                ["Url"] = endpoint.Url.ToString(),
                ["Events"] = string.Join(',', endpoint.Events),
                ["SecretName"] = endpoint.SecretName,
                ["CreatedAt"] = endpoint.CreatedAt,
                ["Description"] = endpoint.Description,
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteEndpointAsync(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WebhookEndpoints, cancellationToken).ConfigureAwait(false);
        var response = await table.DeleteEntityAsync("endpoint", id, ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<bool> TryAddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var table = await storage.TableAsync(TableNames.WebhookDeliveries, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToRow(delivery), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<WebhookDelivery?> GetDeliveryAsync(string endpointId, string eventId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WebhookDeliveries, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(endpointId, eventId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToDelivery(row.Value!) : null;
    }

    public async Task<WebhookDelivery?> TryReplaceDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var table = await storage.TableAsync(TableNames.WebhookDeliveries, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(ToRow(delivery), new ETag(delivery.ETag ?? throw new InvalidOperationException("A delivery is replaced as read.")), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return delivery with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, int take, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.WebhookDeliveries, cancellationToken).ConfigureAwait(false);
        var result = new List<WebhookDelivery>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == endpointId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToDelivery(row));
        }

        return result.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.EventId, StringComparer.Ordinal).Take(take).ToList();
    }

    private static TableEntity ToRow(WebhookDelivery d) => new(d.EndpointId, d.EventId)
    {
        ["Kind"] = d.Kind,
        ["Payload"] = d.Payload,
        ["State"] = d.State.ToString(),
        ["Attempts"] = d.Attempts,
        ["LastStatus"] = d.LastStatus,
        ["LastError"] = d.LastError,
        ["CreatedAt"] = d.CreatedAt,
        ["DeliveredAt"] = d.DeliveredAt,
        ["ClaimedUntil"] = d.ClaimedUntil,
    };

    private static WebhookDelivery ToDelivery(TableEntity row) => new()
    {
        EndpointId = row.PartitionKey,
        EventId = row.RowKey,
        Kind = row.GetString("Kind") ?? string.Empty,
        Payload = row.GetString("Payload") ?? string.Empty,
        State = Enum.TryParse<WebhookDeliveryState>(row.GetString("State"), out var state) ? state : WebhookDeliveryState.Pending,
        Attempts = row.GetInt32("Attempts") ?? 0,
        LastStatus = row.GetInt32("LastStatus"),
        LastError = row.GetString("LastError"),
        CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? default,
        DeliveredAt = row.GetDateTimeOffset("DeliveredAt"),
        ClaimedUntil = row.GetDateTimeOffset("ClaimedUntil"),
        ETag = row.ETag.ToString(),
    };

    private static WebhookEndpoint ToEndpoint(TableEntity row) => new(
        row.RowKey,
        new Uri(row.GetString("Url")),
        (row.GetString("Events") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
        row.GetString("SecretName"),
        row.GetDateTimeOffset("CreatedAt") ?? default,
        row.GetString("Description"));
}
