using System.Globalization;
using System.Text;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>The buckets of a rolling window as one counter row keeps them: "startTicks:count" pairs separated by ';'.</summary>
internal static class RollingBuckets
{
    public static SortedDictionary<long, int> Parse(string? text)
    {
        var buckets = new SortedDictionary<long, int>();
        foreach (var pair in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0
                && long.TryParse(pair.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && int.TryParse(pair.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                buckets[start] = count;
            }
        }

        return buckets;
    }

    public static string Format(SortedDictionary<long, int> buckets)
    {
        var text = new StringBuilder();
        foreach (var (start, count) in buckets)
        {
            text.Append(CultureInfo.InvariantCulture, $"{start}:{count};");
        }

        return text.ToString();
    }

    /// <summary>Drops the buckets that start before <paramref name="oldest"/>: they can no longer share 60 minutes with a send now.</summary>
    public static void DropBefore(SortedDictionary<long, int> buckets, DateTimeOffset oldest)
    {
        foreach (var start in buckets.Keys.Where(k => k < oldest.UtcTicks).ToList())
        {
            buckets.Remove(start);
        }
    }

    /// <summary>When <paramref name="places"/> counted sends will have left the window, oldest first.</summary>
    public static DateTimeOffset FreesAt(SortedDictionary<long, int> buckets, int places, TimeSpan window)
    {
        var freed = 0;
        foreach (var (start, count) in buckets)
        {
            freed += count;
            if (freed >= places)
            {
                // a bucket stops counting once the bucket of "now" starts more than the window after it
                return new DateTimeOffset(start, TimeSpan.Zero) + window + EmailInfra.Core.Sending.CapacityScope.Bucket;
            }
        }

        return DateTimeOffset.UtcNow;
    }
}
