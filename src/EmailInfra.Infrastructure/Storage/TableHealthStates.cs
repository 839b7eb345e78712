using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using EmailInfra.Core.Health;
using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Health records (partition = scope kind, row = scope id); findings and overrides as JSON columns, saved by ETag.</summary>
public sealed class TableHealthStates(StorageClients storage) : IHealthStates
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<HealthRecord?> GetAsync(HealthScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var table = await storage.TableAsync(TableNames.HealthStates, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(scope.Kind.ToString(), TableKey.Escape(scope.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? Read(scope, row.Value!) : null;
    }

    public async Task<IReadOnlyList<HealthRecord>> ListAsync(ScopeKind kind, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.HealthStates, cancellationToken).ConfigureAwait(false);
        var list = new List<HealthRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {kind.ToString()}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(new HealthScope(kind, row.GetString("Id")), row));
        }

        return list;
    }

    public async Task<HealthRecord?> TrySaveAsync(HealthRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await storage.TableAsync(TableNames.HealthStates, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(record.Scope.Kind.ToString(), TableKey.Escape(record.Scope.Id))
        {
            ["Id"] = record.Scope.Id,
            ["Level"] = record.Level.ToString(),
            ["Since"] = record.Since,
            ["Findings"] = JsonSerializer.Serialize(record.Findings, Json),
            ["ThrottleFactor"] = record.ThrottleFactor,
            ["ProviderThrottles"] = JsonSerializer.Serialize(record.ProviderThrottles, Json),
            ["Override"] = record.Override is null ? null : JsonSerializer.Serialize(record.Override, Json),
            ["EvidenceSince"] = record.EvidenceSince,
            ["ResumeState"] = record.ResumeState?.ToString(),
            ["EvaluatedAt"] = record.EvaluatedAt,
        };
        try
        {
            var response = record.ETag is null
                ? await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(row, new ETag(record.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return record with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    private static HealthRecord Read(HealthScope scope, TableEntity row) => new(scope)
    {
        Level = Enum.TryParse<HealthLevel>(row.GetString("Level"), out var level) ? level : HealthLevel.Clear,
        Since = row.GetDateTimeOffset("Since") ?? default,
        Findings = JsonSerializer.Deserialize<List<HealthFinding>>(row.GetString("Findings") ?? "[]", Json) ?? [],
        ThrottleFactor = row.GetDouble("ThrottleFactor") ?? 1.0,
        ProviderThrottles = JsonSerializer.Deserialize<Dictionary<string, double>>(row.GetString("ProviderThrottles") ?? "{}", Json) ?? [],
        Override = row.GetString("Override") is { } o ? JsonSerializer.Deserialize<HealthOverride>(o, Json) : null,
        EvidenceSince = row.GetDateTimeOffset("EvidenceSince"),
        ResumeState = Enum.TryParse<MailboxState>(row.GetString("ResumeState"), out var resume) ? resume : null,
        EvaluatedAt = row.GetDateTimeOffset("EvaluatedAt"),
        ETag = row.ETag.ToString(),
    };
}
