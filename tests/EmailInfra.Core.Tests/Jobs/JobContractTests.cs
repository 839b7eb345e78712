using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Tests.Jobs;

public class JobContractTests
{
    [Fact]
    public void SendJob_RoundTrip_KeepsTheLedgerKey()
    {
        var key = new LedgerKey("alice@alpha.test", new DateOnly(2026, 11, 28), "warmup-1");
        var text = JobSerializer.Serialize(SendJob.For(key));
        Assert.Equal(key, SendJob.Parse(text).Key);
        Assert.Contains("\"v\":1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SendJob_IsSmall_CarriesIdsNotContent()
    {
        var text = JobSerializer.Serialize(SendJob.For(new LedgerKey("alice@alpha.test", new DateOnly(2026, 11, 28), "warmup-1")));
        Assert.True(text.Length < 200, text);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"v\":2,\"mailbox\":\"a@b.test\",\"day\":\"20261128\",\"sendId\":\"x\"}")]
    [InlineData("{\"v\":1,\"mailbox\":\"a@b.test\",\"day\":\"2026-11-28\",\"sendId\":\"x\"}")]
    [InlineData("{\"v\":1,\"mailbox\":\"\",\"day\":\"20261128\",\"sendId\":\"x\"}")]
    [InlineData("null")]
    public void SendJob_Malformed_ThrowsMalformedJob(string text) =>
        Assert.Throws<MalformedJobException>(() => SendJob.Parse(text));

    [Fact]
    public void PollJob_MissingPool_ThrowsMalformedJob() =>
        Assert.Throws<MalformedJobException>(() => PollJob.Parse("{\"v\":1,\"mailbox\":\"a@b.test\"}"));

    [Fact]
    public void PoisonOf_Queue_FollowsTheFunctionsConvention() =>
        Assert.Equal("send-jobs-poison", QueueNames.PoisonOf(QueueNames.SendJobs));
}
