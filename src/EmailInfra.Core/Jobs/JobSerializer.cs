using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmailInfra.Core.Jobs;

/// <summary>The one JSON shape of queue messages, shared by producers and both hosts.</summary>
public static class JobSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static string Serialize<TJob>(TJob job)
        where TJob : IJob => JsonSerializer.Serialize(job, Options);

    /// <summary>Parses and checks a job; a message that can't be one throws <see cref="MalformedJobException"/>.</summary>
    public static TJob Deserialize<TJob>(string text, int supportedVersion)
        where TJob : IJob
    {
        TJob? job;
        try
        {
            job = JsonSerializer.Deserialize<TJob>(text, Options);
        }
        catch (JsonException ex)
        {
            throw new MalformedJobException($"not a {typeof(TJob).Name}: {ex.Message}", ex);
        }

        if (job is null)
        {
            throw new MalformedJobException($"not a {typeof(TJob).Name}: empty");
        }

        if (job.V != supportedVersion)
        {
            throw new MalformedJobException($"{typeof(TJob).Name} version {job.V} is not supported (expected {supportedVersion})");
        }

        return job;
    }
}

/// <summary>A queue message that is not a valid job. Hosts retry it and then move it to the poison queue, so it is kept.</summary>
public sealed class MalformedJobException : Exception
{
    public MalformedJobException()
    {
    }

    public MalformedJobException(string message)
        : base(message)
    {
    }

    public MalformedJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
