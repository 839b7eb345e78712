using EmailInfra.Core.Health;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Secrets;

namespace EmailInfra.Core.Api;

/// <summary>Mailboxes: register (with a connection test), read, list, update, delete, test, and bulk import from CSV.</summary>
public sealed class MailboxEndpoints(IMailboxStore mailboxes, MailboxOnboarding onboarding, ISecretStore secrets, MailboxCsvImport import) : IApiEndpoints
{
    private const string Tag = "Mailboxes";

    public IEnumerable<ApiRoute> Routes =>
    [
        new("ListMailboxes", "GET", "mailboxes", "List mailboxes (filter by pool, domain or state)", ListAsync)
        {
            Tag = Tag, ResponseBody = typeof(ApiPage<MailboxView>),
            Query = [.. ApiPaging.Parameters, new("pool", "Only this pool's mailboxes"), new("domain", "Only this domain's mailboxes"), new("state", "warming, healthy, throttled, paused or retired")],
        },
        new("CreateMailbox", "POST", "mailboxes", "Register a mailbox; its SMTP and IMAP are tested and each step reported (a failed test leaves it paused)", CreateAsync)
        {
            Tag = Tag, RequestBody = typeof(MailboxInput), ResponseBody = typeof(MailboxRegistered), SuccessStatus = 201,
        },
        new("ImportMailboxes", "POST", "mailboxes/import", "Register mailboxes from CSV (text/csv), each row validated, tested and reported", ImportAsync)
        {
            Tag = Tag, RequestContentType = "text/csv", ResponseBody = typeof(ImportReport), Query = [new("test", "false to skip the connection tests", "boolean")],
        },
        new("GetMailbox", "GET", "mailboxes/{address}", "Read a mailbox", GetAsync) { Tag = Tag, ResponseBody = typeof(MailboxView) },
        new("UpdateMailbox", "PUT", "mailboxes/{address}", "Change a mailbox's servers, login or password (If-Match: its ETag); tested again", UpdateAsync)
        {
            Tag = Tag, RequestBody = typeof(MailboxUpdate), ResponseBody = typeof(MailboxRegistered), Conditional = true,
        },
        new("DeleteMailbox", "DELETE", "mailboxes/{address}", "Delete a mailbox; its queued sends are recorded as failed, never sent", DeleteAsync) { Tag = Tag, SuccessStatus = 204, Conditional = true },
        new("TestMailbox", "POST", "mailboxes/{address}/test", "Test the mailbox's SMTP (connect, EHLO, STARTTLS, AUTH) and IMAP (login, INBOX, Sent, Junk)", TestAsync)
        {
            Tag = Tag, ResponseBody = typeof(ConnectionTestReport),
        },
    ];

    private async Task<ApiResponse> ListAsync(ApiRequest request, CancellationToken ct)
    {
        var pool = request.QueryValue("pool") is { } p ? ApiViews.PoolId("pool", p) : null;
        var domain = request.QueryValue("domain") is { } d ? ApiViews.DomainName("domain", d) : null;
        MailboxState? state = null;
        if (request.QueryValue("state") is { } s)
        {
            state = Enum.TryParse<MailboxState>(s, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !s.Any(char.IsDigit)
                ? parsed
                : throw new InvalidRequestException("state", "must be warming, healthy, throttled, paused or retired");
        }

        var all = pool is null ? await mailboxes.ListAllAsync(ct).ConfigureAwait(false) : await mailboxes.ListPoolAsync(pool, ct).ConfigureAwait(false);
        var chosen = all.Where(m => (domain is null || m.Domain == domain) && (state is null || m.State == state)).Select(ApiViews.Of);
        return ApiResponse.Ok(ApiPaging.Of(chosen, m => m.Address, request));
    }

    private async Task<ApiResponse> CreateAsync(ApiRequest request, CancellationToken ct)
    {
        var input = ApiJson.Read<MailboxInput>(request);
        var registration = Registration(input);
        if (await mailboxes.FindByAddressAsync(registration.Address, ct).ConfigureAwait(false) is { } existing)
        {
            throw ApiException.Conflict($"The mailbox {existing.Address} is already registered (pool {existing.PoolId}); change it with PUT.");
        }

        var (mailbox, test) = await onboarding.RegisterAsync(registration, input.Test, ct).ConfigureAwait(false);
        return ApiResponse.Created(new MailboxRegistered(ApiViews.Of(mailbox), test), "mailboxes/" + mailbox.Address, ApiViews.ETag(mailbox.ETag));
    }

    private async Task<ApiResponse> ImportAsync(ApiRequest request, CancellationToken ct)
    {
        if (request.ContentType is { } type && !type.Split(';')[0].Trim().Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, "Unsupported media type", "The body must be text/csv with a header row (see docs/api.md).");
        }

        var test = request.QueryValue("test") switch
        {
            null or "true" => true,
            "false" => false,
            _ => throw new InvalidRequestException("test", "must be true or false"),
        };
        return ApiResponse.Ok(await import.RunAsync(System.Text.Encoding.UTF8.GetString(request.Body.Span), test, ct).ConfigureAwait(false));
    }

    private async Task<ApiResponse> GetAsync(ApiRequest request, CancellationToken ct)
    {
        var mailbox = await FindAsync(request, ct).ConfigureAwait(false);
        return ApiResponse.Ok(ApiViews.Of(mailbox), ApiViews.ETag(mailbox.ETag));
    }

    private async Task<ApiResponse> UpdateAsync(ApiRequest request, CancellationToken ct)
    {
        var mailbox = await FindAsync(request, ct).ConfigureAwait(false);
        var input = ApiJson.Read<MailboxUpdate>(request);
        var errors = new Dictionary<string, string[]>();
        var smtp = input.Smtp is null ? mailbox.Smtp : ApiViews.Server("smtp", input.Smtp, errors);
        var imap = input.Imap is null ? mailbox.Imap : ApiViews.Server("imap", input.Imap, errors);
        var username = input.Username is null ? mailbox.Username : ApiViews.Text("username", input.Username, 320, errors);
        if (input.Password is { } pw && (pw.Length is 0 or > 1024))
        {
            errors["password"] = ["must be 1-1024 characters"];
        }

        if (username is { Length: 0 })
        {
            errors["username"] = ["must not be empty"];
        }

        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        if (!ApiViews.Matches(request, mailbox.ETag))
        {
            throw ApiException.Changed("The mailbox " + mailbox.Address);
        }

        var secretName = mailbox.SecretName;
        if (input.Password is { } password)
        {
            secretName = MailboxRegistry.SecretNameFor(mailbox.Address);
            await secrets.SetAsync(secretName, password, ct).ConfigureAwait(false);
        }

        var changedAccess = input.Password is not null || smtp != mailbox.Smtp || imap != mailbox.Imap || username != mailbox.Username;

        // A pause for refused credentials or a failed test is what an update repairs; a health pause is lifted by the health override only.
        var repairable = mailbox.State == MailboxState.Paused && mailbox.StateReason?.StartsWith(HealthService.ReasonPrefix, StringComparison.Ordinal) != true;
        var updated = mailbox with
        {
            Smtp = smtp,
            Imap = imap,
            Username = username!,
            SecretName = secretName,
            AppendToSent = input.AppendToSent ?? mailbox.AppendToSent,
            State = repairable && changedAccess ? MailboxState.Warming : mailbox.State,
            StateReason = repairable && changedAccess ? "updated after: " + mailbox.StateReason : mailbox.StateReason,
        };
        ConnectionTestReport? test = null;
        if (input.Test)
        {
            test = await onboarding.TestAsync(updated, ct).ConfigureAwait(false);
            if (!test.Ok && updated.IsActive)
            {
                updated = updated with { State = MailboxState.Paused, StateReason = MailboxOnboarding.TestFailedReason + test.Failure };
            }
        }

        if (!await mailboxes.TryWriteAsync(updated, ct).ConfigureAwait(false))
        {
            throw ApiException.Changed("The mailbox " + mailbox.Address);
        }

        var stored = await mailboxes.GetAsync(mailbox.PoolId, mailbox.Address, ct).ConfigureAwait(false) ?? updated;
        return ApiResponse.Ok(new MailboxRegistered(ApiViews.Of(stored), test), ApiViews.ETag(stored.ETag));
    }

    private async Task<ApiResponse> DeleteAsync(ApiRequest request, CancellationToken ct)
    {
        var mailbox = await FindAsync(request, ct).ConfigureAwait(false);
        if (!await mailboxes.TryDeleteAsync(mailbox.PoolId, mailbox.Address, ApiViews.IfMatch(request) ?? mailbox.ETag, ct).ConfigureAwait(false))
        {
            throw ApiException.Changed("The mailbox " + mailbox.Address);
        }

        // the row first: a mailbox never stays registered without its password
        await secrets.DeleteAsync(mailbox.SecretName, ct).ConfigureAwait(false);
        return ApiResponse.NoContent();
    }

    private async Task<ApiResponse> TestAsync(ApiRequest request, CancellationToken ct)
    {
        var mailbox = await FindAsync(request, ct).ConfigureAwait(false);
        return ApiResponse.Ok(await onboarding.TestAsync(mailbox, ct).ConfigureAwait(false));
    }

    private async Task<Mailbox> FindAsync(ApiRequest request, CancellationToken ct)
    {
        var address = ApiViews.Address("address", request.RouteValue("address"));
        return await mailboxes.FindByAddressAsync(address, ct).ConfigureAwait(false) ?? throw ApiException.NotFound("The mailbox " + address);
    }

    /// <summary>A registration from the API's input, every field checked (the registry checks again what it owns).</summary>
    internal static MailboxRegistration Registration(MailboxInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var address = PoolEndpoints.Check(errors, () => ApiViews.Address("address", input.Address));
        var pool = PoolEndpoints.Check(errors, () => ApiViews.PoolId("pool", input.Pool));
        var smtp = ApiViews.Server("smtp", input.Smtp, errors);
        var imap = ApiViews.Server("imap", input.Imap, errors);
        var username = ApiViews.Text("username", input.Username, 320, errors);
        if (string.IsNullOrEmpty(input.Password) || input.Password.Length > 1024)
        {
            errors["password"] = ["is required, at most 1024 characters"];
        }

        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        return new MailboxRegistration(address!, pool!, smtp, imap, username, input.Password, input.AppendToSent, input.Force);
    }
}
