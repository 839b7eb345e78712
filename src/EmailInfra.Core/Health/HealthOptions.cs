namespace EmailInfra.Core.Health;

/// <summary>Section "Health": which rules file to use (empty: the built-in health-rules.json).</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>A rules file replacing the built-in rules; validated at start, naming the file and key at fault.</summary>
    public string? RulesFile { get; set; }
}
