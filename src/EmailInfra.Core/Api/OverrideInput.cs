namespace EmailInfra.Core.Api;

/// <summary>An operator's override: level (clear, rampheld, throttled, paused, retired, or resume to lift an override) and a note.</summary>
public sealed record OverrideInput(string Level, string? Note = null);
