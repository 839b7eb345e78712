using EmailInfra.Core.Inbox;

namespace EmailInfra.Core.Tests.Inbox;

/// <summary>Runs alone: it counts what the whole process leaves to the finalizer.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class FinalizerCounting;

[Collection(typeof(FinalizerCounting))]
public class ClassificationRowFinalizerTests
{
    // A notice whose delivery-status fields arrive as text: the classifier builds a report of its own from them.
    private const string NoticeWithFieldsInText = """
        From: MAILER-DAEMON@relay.test
        To: alice@alpha.test
        Subject: Undelivered Mail Returned to Sender

        Your message could not be delivered.

        Reporting-MTA: dns; relay.test

        Final-Recipient: rfc822; gone@remote.test
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 <gone@remote.test>: Recipient address rejected: User unknown

        """;

    // MimeKit's entities have finalizers: a message left undisposed survives a collection with all it holds and waits
    // for the finalizer thread (classifying the bounce corpus spent about half its time in the GC that way).
    [Fact]
    public void ClassifyingMessages_LeavesNoMimeEntityToTheFinalizer()
    {
        static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));
        var messages = new[] { Bytes(ReportClassificationTests.Arf), Bytes(NoticeWithFieldsInText) };
        const int Rounds = 40;

        // what the classifier reads (so the test fails for the right reason if it stops reading these messages)
        Assert.Equal("feedback", Assert.Single(ClassificationRow.For("arf.eml", new MemoryStream(messages[0]))).Reason);
        Assert.Equal(("gone@remote.test", "5.1.1"), ClassificationRow.For("fields.eml", new MemoryStream(messages[1])).Select(r => (r.Recipient, r.Status)).Single());

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        for (var i = 0; i < Rounds; i++)
        {
            foreach (var bytes in messages)
            {
                _ = ClassificationRow.For("x.eml", new MemoryStream(bytes));
            }
        }

        GC.Collect();
        var pending = GC.GetGCMemoryInfo(GCKind.Any).FinalizationPendingCount;

        // each message holds several entities and contents: undisposed, they would number in the hundreds here
        Assert.True(pending < Rounds, $"{pending} objects waiting for the finalizer after classifying {Rounds * messages.Length} messages");
    }
}
