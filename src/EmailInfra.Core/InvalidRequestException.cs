namespace EmailInfra.Core;

/// <summary>Input that breaks a rule; carries one message per offending field, for a 400 or a CLI error.</summary>
public sealed class InvalidRequestException : Exception
{
    public InvalidRequestException(IReadOnlyDictionary<string, string[]> errors)
        : base("The request is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
    {
        Errors = errors;
    }

    public InvalidRequestException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public InvalidRequestException()
        : this(new Dictionary<string, string[]>())
    {
    }

    public InvalidRequestException(string message)
        : this("request", message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]> { ["request"] = [message] };
    }

    /// <summary>Field name to the problems found with it.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
