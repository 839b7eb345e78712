using System.Globalization;
using Microsoft.Azure.Functions.Worker;

namespace EmailInfra.Functions.Queues;

/// <summary>Reads queue trigger metadata the handlers need.</summary>
internal static class TriggerMetadata
{
    /// <summary>How many times the host has handed this message out, 1 on the first try.</summary>
    public static long DequeueCount(FunctionContext? context) =>
        context?.BindingContext.BindingData.TryGetValue("DequeueCount", out var value) == true
            && long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : 1;
}
