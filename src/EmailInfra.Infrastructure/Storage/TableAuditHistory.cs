using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using EmailInfra.Core.Domains.Authentication;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Audit reports (partition = domain, row = inverted ticks, so the newest comes first) and health events (partition = scope).</summary>
public sealed class TableAuditHistory(StorageClients storage) : IAuditHistory, IHealthEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(AuditReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = await storage.TableAsync(TableNames.AuditReports, cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.Serialize(report.Findings, Json);
        await table.UpsertEntityAsync(
            new TableEntity(TableKey.Escape(report.Domain), Inverted(report.At))
            {
                ["Domain"] = report.Domain,
                ["At"] = report.At,
                ["Worst"] = report.Worst.ToString(),
                ["Findings"] = json.Length > 30_000 ? JsonSerializer.Serialize(report.Findings.Select(f => f with { Evidence = [] }), Json) : json,
            },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<AuditReport>> ListAsync(string domain, int take, CancellationToken cancellationToken) =>
        NewestAsync(TableNames.AuditReports, domain, take, row => new AuditReport(
            row.GetString("Domain"), row.GetDateTimeOffset("At") ?? default, JsonSerializer.Deserialize<List<AuditFinding>>(row.GetString("Findings"), Json) ?? []), cancellationToken);

    public async Task RecordAsync(HealthEvent healthEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(healthEvent);
        var table = await storage.TableAsync(TableNames.HealthEvents, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            // the event's content in the key: two events of one instant (a pool throttled towards two providers) are two rows,
            // and the same event recorded again (a retried evaluation) is one
            new TableEntity(TableKey.Escape(healthEvent.Scope), Inverted(healthEvent.At) + "-" + healthEvent.Kind + "-" + TableKey.Hash($"{healthEvent.Rule}|{healthEvent.To}|{healthEvent.Evidence}")[..12])
            {
                ["Scope"] = healthEvent.Scope,
                ["At"] = healthEvent.At,
                ["Kind"] = healthEvent.Kind,
                ["Evidence"] = healthEvent.Evidence.Length > 30_000 ? healthEvent.Evidence[..30_000] : healthEvent.Evidence,
                ["Rule"] = healthEvent.Rule,
                ["From"] = healthEvent.From,
                ["To"] = healthEvent.To,
                ["Actor"] = healthEvent.Actor,
            },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<HealthEvent>> ListEventsAsync(string scope, int take, CancellationToken cancellationToken) =>
        NewestAsync(TableNames.HealthEvents, scope, take, row => new HealthEvent(
            row.GetString("Scope"), row.GetDateTimeOffset("At") ?? default, row.GetString("Kind"), row.GetString("Evidence"))
        {
            Rule = row.GetString("Rule"),
            From = row.GetString("From"),
            To = row.GetString("To"),
            Actor = row.GetString("Actor") ?? "rules",
        }, cancellationToken);

    /// <summary>The first rows of a partition, which the inverted-ticks row keys make the newest.</summary>
    private async Task<IReadOnlyList<T>> NewestAsync<T>(string tableName, string partition, int take, Func<TableEntity, T> read, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(tableName, cancellationToken).ConfigureAwait(false);
        var list = new List<T>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(partition)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(read(row));
            if (list.Count >= take)
            {
                break;
            }
        }

        return list;
    }

    private static string Inverted(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
