using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Webhooks;
using EmailInfra.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EmailInfra.Cli.Tests.Api;

/// <summary>Webhooks end to end: registered through the API, published by the engine, delivered to a real HTTP listener on loopback.</summary>
public class WebhookDeliveryTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-secret";

    [Fact(Timeout = 120_000)]
    public async Task Deliveries_AreSigned_RetriedAfterA500_NeverTwiceForOneEvent_OnlyTheKindsSubscribed()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 1);
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:PlaintextAllowedHosts:0"] = "127.0.0.1",
            ["Webhooks:RetryBaseDelay"] = "00:00:00.200",
        });
        var mailbox = Rig.HealthMailboxes[3];
        await api.Rig.RegisterRigMailboxAsync(mailbox, "p1");

        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/webhooks", new { url = "http://example.test/hook", events = new[] { "bounce" }, secret = Secret }), 400);
        await ApiServer.ProblemAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/webhooks", new { url = receiver.Url, events = new[] { "bounce", "gossip" }, secret = "short" }), 400);
        var created = await api.SendJsonAsync(HttpMethod.Post, "/api/webhooks", new { url = receiver.Url, events = new[] { "bounce", "health" }, secret = Secret, description = "crm" });
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, createdText);
        Assert.DoesNotContain(Secret, createdText, StringComparison.Ordinal);
        var id = JsonNode.Parse(createdText)!["id"]!.GetValue<string>();

        // the same bounce published twice (a poll repeated after a crash), a complaint nobody subscribed to, and a health override
        var publisher = api.Rig.Get<WebhookPublisher>();
        var bounce = WebhookEvent.For(WebhookEventKinds.Bounce, "msg-1|dave@beta.test", DateTimeOffset.UtcNow, new Dictionary<string, object?> { ["recipient"] = "dave@beta.test", ["status"] = "5.1.1" });
        Assert.Equal(1, await publisher.PublishAsync(bounce, default));
        Assert.Equal(0, await publisher.PublishAsync(bounce, default));
        Assert.Equal(0, await publisher.PublishAsync(WebhookEvent.For(WebhookEventKinds.Complaint, "msg-2", DateTimeOffset.UtcNow, new Dictionary<string, object?>()), default));
        Assert.Equal(HttpStatusCode.OK, (await api.SendJsonAsync(HttpMethod.Post, $"/api/health/mailbox/{mailbox}/override", new { level = "paused", note = "test" })).StatusCode);

        // the queue consumer: every job once, as the host runs them (a retry is a new job, due after its back-off)
        var dispatcher = api.Rig.Get<WebhookDispatcher>();
        var queue = await api.Rig.Get<Infrastructure.Storage.StorageClients>().QueueAsync(QueueNames.WebhookJobs, default);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && receiver.Accepted.Count < 2)
        {
            foreach (var message in (await queue.ReceiveMessagesAsync(10)).Value)
            {
                await dispatcher.HandleAsync(message.MessageText, default);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }

            await Task.Delay(100);
        }

        Assert.Equal(2, receiver.Accepted.Count);
        Assert.Equal(3, receiver.All.Count); // one refused with 500, then both delivered
        foreach (var delivery in receiver.All)
        {
            Assert.True(WebhookSignature.Verify(Secret, delivery.Signature, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), "signature must verify");
            Assert.False(WebhookSignature.Verify("another-secret-another-secret-xx", delivery.Signature, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            Assert.False(WebhookSignature.Verify(Secret, delivery.Signature, delivery.Body, DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(5)), "an old delivery replayed later is refused");
        }

        var kinds = receiver.Accepted.Select(d => JsonNode.Parse(d.Body)!["type"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["bounce", "health"], kinds);
        Assert.Single(receiver.Accepted, d => d.EventId == bounce.Id);
        var health = JsonNode.Parse(receiver.Accepted.Single(d => d.EventId != bounce.Id).Body)!;
        Assert.Equal("override", health["data"]!["kind"]!.GetValue<string>());
        Assert.Equal($"mailbox:{mailbox}", health["data"]!["scope"]!.GetValue<string>());

        // a redelivered job of a delivered event posts nothing
        await dispatcher.HandleAsync(new WebhookJob(WebhookJob.Version, id, bounce.Id), default);
        Assert.Equal(3, receiver.All.Count);

        var deliveries = await ApiServer.JsonAsync(await api.Client.GetAsync($"/api/webhooks/{id}/deliveries"));
        Assert.All(deliveries.AsArray(), d => Assert.Equal("delivered", d!["state"]!.GetValue<string>()));
        Assert.Equal(3, deliveries.AsArray().Sum(d => d!["attempts"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.Accepted, (await api.Client.PostAsync($"/api/webhooks/{id}/ping", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        await ApiServer.ProblemAsync(await api.Client.GetAsync($"/api/webhooks/{id}"), 404);
    }

    [Fact(Timeout = 60_000)]
    public async Task EndpointThatNeverAnswers2xx_IsRetriedWithBackOff_ThenRecordedAsFailed()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: int.MaxValue);
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:PlaintextAllowedHosts:0"] = "127.0.0.1",
            ["Webhooks:RetryBaseDelay"] = "00:00:00.100",
            ["Webhooks:MaxAttempts"] = "3",
        });
        var created = await ApiServer.JsonAsync(await api.SendJsonAsync(HttpMethod.Post, "/api/webhooks", new { url = receiver.Url, events = new[] { "reply" }, secret = Secret }));
        var id = created["id"]!.GetValue<string>();
        var reply = WebhookEvent.For(WebhookEventKinds.Reply, "m|r", DateTimeOffset.UtcNow, new Dictionary<string, object?> { ["recipient"] = "dave@beta.test" });
        await api.Rig.Get<WebhookPublisher>().PublishAsync(reply, default);
        var dispatcher = api.Rig.Get<WebhookDispatcher>();
        var queue = await api.Rig.Get<Infrastructure.Storage.StorageClients>().QueueAsync(QueueNames.WebhookJobs, default);
        var store = api.Rig.Get<IWebhookStore>();
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until && (await store.GetDeliveryAsync(id, reply.Id, default))!.State == WebhookDeliveryState.Pending)
        {
            foreach (var message in (await queue.ReceiveMessagesAsync(10)).Value)
            {
                await dispatcher.HandleAsync(message.MessageText, default);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }

            await Task.Delay(50);
        }

        var delivery = (await store.GetDeliveryAsync(id, reply.Id, default))!;
        Assert.Equal(WebhookDeliveryState.Failed, delivery.State);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(500, delivery.LastStatus);
        Assert.Equal(3, receiver.All.Count);
        Assert.Empty((await queue.ReceiveMessagesAsync(10)).Value); // given up: nothing queued any more
    }

    /// <summary>A real HTTP listener on a free loopback port: answers 500 to the first <c>failFirst</c> requests, then 200.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private int seen;

        private Receiver(WebApplication app, int failFirst)
        {
            this.app = app;
            app.Run(async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                var delivery = new Delivery(context.Request.Headers[WebhookSignature.Header].ToString(), context.Request.Headers["X-EmailInfra-Event-Id"].ToString(), buffer.ToArray());
                All.Add(delivery);
                var ok = Interlocked.Increment(ref seen) > failFirst;
                if (ok)
                {
                    Accepted.Add(delivery);
                }

                context.Response.StatusCode = ok ? 200 : 500;
            });
        }

        public ConcurrentBag<Delivery> All { get; } = [];

        public ConcurrentBag<Delivery> Accepted { get; } = [];

        public string Url => app.Urls.First() + "/hook";

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var receiver = new Receiver(builder.Build(), failFirst);
            await receiver.app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }

    private sealed record Delivery(string Signature, string EventId, byte[] Body);
}
