namespace EmailInfra.Core.Warmup;

/// <summary>A piece of warm-up content: plain conversational mail with no links and no tracking.</summary>
public sealed record WarmupText(string Subject, string Text);

/// <summary>Generates varied warm-up content, deterministically from a seed so a retry composes the same email.</summary>
public static class WarmupContent
{
    private static readonly string[] Subjects =
    [
        "Quick question about next week", "Notes from our call", "Following up on the draft", "Lunch on Thursday?",
        "Updated numbers", "Agenda for Monday", "Thanks for the intro", "Can you take a look?", "Re-scheduling our sync",
        "Idea for the newsletter", "Travel plans", "Project timeline", "Checking in", "Weekend reading", "Budget review",
    ];

    private static readonly string[] Openers =
    [
        "Hi,", "Hello,", "Hi there,", "Good morning,", "Hey,",
    ];

    private static readonly string[] Bodies =
    [
        "I went through the document you shared and left a few comments in the second section. Most of it reads well; the part about the rollout could use one more example.",
        "Would Thursday around noon work for you? If not, Friday morning is open on my side as well.",
        "The numbers for last month are in. Costs came in a little under plan, mostly thanks to the supplier change we made in the spring.",
        "I have moved our weekly sync to Tuesday this time because of the holiday. Same time, same room.",
        "Thanks again for connecting me with the team. We had a good first conversation and are planning a follow-up.",
        "I put together a short outline for the next issue. Happy to hear which topics you think are missing.",
        "Could you check whether the timeline still holds? The second milestone looks tight given the review cycle.",
        "I finished the book you recommended. The chapter on habits was the most useful part for me.",
    ];

    private static readonly string[] Closers =
    [
        "Thanks,", "Best,", "Cheers,", "Talk soon,", "Regards,",
    ];

    /// <summary>Content for a send, chosen by a stable hash of the seed (the send id).</summary>
    public static WarmupText For(string seed, string senderName)
    {
        var h = StableHash(seed);
        var subject = Subjects[(int)(h % (uint)Subjects.Length)];
        var text = string.Join(
            "\r\n\r\n",
            Openers[(int)((h >> 8) % (uint)Openers.Length)],
            Bodies[(int)((h >> 16) % (uint)Bodies.Length)],
            Closers[(int)((h >> 24) % (uint)Closers.Length)] + "\r\n" + senderName);
        return new WarmupText(subject, text);
    }

    /// <summary>FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.</summary>
    internal static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
