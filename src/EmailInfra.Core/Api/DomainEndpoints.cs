using System.Net;
using EmailInfra.Core.Domains;
using EmailInfra.Core.Domains.Authentication;
using EmailInfra.Core.Mailboxes;
using Microsoft.Extensions.Options;

namespace EmailInfra.Core.Api;

/// <summary>Sending domains: register, read, list, update, delete; run an audit and read the audit history.</summary>
public sealed class DomainEndpoints(
    IDomainStore domains,
    IMailboxStore mailboxes,
    DomainAuditService audits,
    IAuditHistory history,
    IOptions<DomainOptions> domainOptions,
    IOptions<AuditOptions> auditOptions,
    TimeProvider time) : IApiEndpoints
{
    private const string Tag = "Domains";

    public IEnumerable<ApiRoute> Routes =>
    [
        new("ListDomains", "GET", "domains", "List sending domains", ListAsync) { Tag = Tag, ResponseBody = typeof(ApiPage<DomainView>), Query = ApiPaging.Parameters },
        new("CreateDomain", "POST", "domains", "Register a sending domain (refused for a primary business domain unless force is set)", CreateAsync)
        {
            Tag = Tag, RequestBody = typeof(DomainInput), ResponseBody = typeof(DomainView), SuccessStatus = 201,
        },
        new("GetDomain", "GET", "domains/{domain}", "Read a sending domain", GetAsync) { Tag = Tag, ResponseBody = typeof(DomainView) },
        new("UpdateDomain", "PUT", "domains/{domain}", "Change a domain's DKIM selectors or note (If-Match: its ETag)", UpdateAsync)
        {
            Tag = Tag, RequestBody = typeof(DomainUpdate), ResponseBody = typeof(DomainView), Conditional = true,
        },
        new("DeleteDomain", "DELETE", "domains/{domain}", "Delete a domain that has no mailboxes left", DeleteAsync) { Tag = Tag, SuccessStatus = 204, Conditional = true },
        new("RunAudit", "POST", "domains/{domain}/audit", "Audit the domain's DNS now (body optional: sending IPs and selectors)", AuditAsync)
        {
            Tag = Tag, RequestBody = typeof(AuditInput), ResponseBody = typeof(AuditReport),
        },
        new("ListAudits", "GET", "domains/{domain}/audits", "The domain's audit reports, newest first", AuditsAsync)
        {
            Tag = Tag, ResponseBody = typeof(IReadOnlyList<AuditReport>), Query = [new("limit", "Reports to return, 1-100 (default 10)", "integer")],
        },
    ];

    private async Task<ApiResponse> ListAsync(ApiRequest request, CancellationToken ct)
    {
        var all = await domains.ListAsync(ct).ConfigureAwait(false);
        var counts = await MailboxCountsAsync(ct).ConfigureAwait(false);
        return ApiResponse.Ok(ApiPaging.Of(all.Select(d => ApiViews.Of(d, counts.GetValueOrDefault(d.Name))), d => d.Name, request));
    }

    private async Task<ApiResponse> CreateAsync(ApiRequest request, CancellationToken ct)
    {
        var input = ApiJson.Read<DomainInput>(request);
        var name = ApiViews.DomainName("name", input.Name);
        var errors = new Dictionary<string, string[]>();
        var selectors = ApiViews.Selectors("dkimSelectors", input.DkimSelectors, errors);
        var note = ApiViews.Text("note", input.Note, 500, errors);
        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        var primary = domainOptions.Value.IsPrimary(name);
        if (primary && !input.Force)
        {
            throw new PrimaryDomainException(name);
        }

        var domain = new SendingDomain(name, time.GetUtcNow(), Retired: false) { DkimSelectors = selectors, Note = note, Forced = primary };
        if (!await domains.TryWriteAsync(domain, ct).ConfigureAwait(false))
        {
            throw ApiException.Conflict($"The domain {name} is already registered.");
        }

        var stored = await domains.GetAsync(name, ct).ConfigureAwait(false) ?? domain;
        return ApiResponse.Created(ApiViews.Of(stored, 0), "domains/" + name, ApiViews.ETag(stored.ETag));
    }

    private async Task<ApiResponse> GetAsync(ApiRequest request, CancellationToken ct)
    {
        var domain = await FindAsync(request, ct).ConfigureAwait(false);
        var counts = await MailboxCountsAsync(ct).ConfigureAwait(false);
        return ApiResponse.Ok(ApiViews.Of(domain, counts.GetValueOrDefault(domain.Name)), ApiViews.ETag(domain.ETag));
    }

    private async Task<ApiResponse> UpdateAsync(ApiRequest request, CancellationToken ct)
    {
        var domain = await FindAsync(request, ct).ConfigureAwait(false);
        var input = ApiJson.Read<DomainUpdate>(request);
        var errors = new Dictionary<string, string[]>();
        var selectors = input.DkimSelectors is null ? domain.DkimSelectors : ApiViews.Selectors("dkimSelectors", input.DkimSelectors, errors);
        var note = input.Note is null ? domain.Note : ApiViews.Text("note", input.Note, 500, errors);
        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        if (!ApiViews.Matches(request, domain.ETag))
        {
            throw ApiException.Changed("The domain " + domain.Name);
        }

        // the write is conditional on the version read here, so a concurrent change between read and write is a 409 too
        if (!await domains.TryWriteAsync(domain with { DkimSelectors = selectors, Note = note }, ct).ConfigureAwait(false))
        {
            throw ApiException.Changed("The domain " + domain.Name);
        }

        var stored = (await domains.GetAsync(domain.Name, ct).ConfigureAwait(false))!;
        var counts = await MailboxCountsAsync(ct).ConfigureAwait(false);
        return ApiResponse.Ok(ApiViews.Of(stored, counts.GetValueOrDefault(stored.Name)), ApiViews.ETag(stored.ETag));
    }

    private async Task<ApiResponse> DeleteAsync(ApiRequest request, CancellationToken ct)
    {
        var domain = await FindAsync(request, ct).ConfigureAwait(false);
        var counts = await MailboxCountsAsync(ct).ConfigureAwait(false);
        if (counts.GetValueOrDefault(domain.Name) is > 0 and var n)
        {
            throw ApiException.Conflict($"The domain {domain.Name} still has {n} mailboxes; delete or move them first (or retire the domain through its health).");
        }

        if (!await domains.TryDeleteAsync(domain.Name, ApiViews.IfMatch(request) ?? domain.ETag, ct).ConfigureAwait(false))
        {
            throw ApiException.Changed("The domain " + domain.Name);
        }

        return ApiResponse.NoContent();
    }

    private async Task<ApiResponse> AuditAsync(ApiRequest request, CancellationToken ct)
    {
        var domain = await FindAsync(request, ct).ConfigureAwait(false);
        var input = request.Body.IsEmpty ? new AuditInput() : ApiJson.Read<AuditInput>(request);
        var errors = new Dictionary<string, string[]>();
        var ips = new List<IPAddress>();
        foreach (var (text, i) in (input.Ips ?? []).Select((t, i) => (t, i)))
        {
            if (i >= 20 || !IPAddress.TryParse(text, out var ip))
            {
                errors[$"ips[{i}]"] = ["must be an IPv4 or IPv6 address (at most 20)"];
                continue;
            }

            ips.Add(ip);
        }

        var selectors = ApiViews.Selectors("selectors", input.Selectors, errors);
        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        var all = auditOptions.Value.Selectors.Concat(domain.DkimSelectors).Concat(selectors).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var report = ips.Count > 0
            ? (await audits.AuditAsync(new AuditRequest(domain.Name, ips, all), ct).ConfigureAwait(false)).Report
            : await audits.AuditDomainAsync(domain.Name, all, ct).ConfigureAwait(false);
        return ApiResponse.Ok(report);
    }

    private async Task<ApiResponse> AuditsAsync(ApiRequest request, CancellationToken ct)
    {
        var domain = await FindAsync(request, ct).ConfigureAwait(false);
        var limit = ApiPaging.Limit(request, 10, 100);

        return ApiResponse.Ok(await history.ListAsync(domain.Name, limit, ct).ConfigureAwait(false));
    }

    private async Task<SendingDomain> FindAsync(ApiRequest request, CancellationToken ct)
    {
        var name = ApiViews.DomainName("domain", request.RouteValue("domain"));
        return await domains.GetAsync(name, ct).ConfigureAwait(false) ?? throw ApiException.NotFound("The domain " + name);
    }

    private async Task<Dictionary<string, int>> MailboxCountsAsync(CancellationToken ct) =>
        (await mailboxes.ListAllAsync(ct).ConfigureAwait(false)).GroupBy(m => m.Domain, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
