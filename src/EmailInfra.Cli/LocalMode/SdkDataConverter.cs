namespace EmailInfra.Cli.LocalMode;

/// <summary>
/// The Durable Task Core side of serialization, delegating to the SDK's JSON converter: inputs and events the client sends
/// are then read by the SDK's shims exactly as the Functions host would write them (the SDK's own adapter is internal).
/// </summary>
internal sealed class SdkDataConverter(Microsoft.DurableTask.DataConverter inner) : DurableTask.Core.Serializing.DataConverter
{
    public override string? Serialize(object? value) => inner.Serialize(value);

    public override string? Serialize(object? value, bool formatted) => inner.Serialize(value);

    public override object? Deserialize(string? data, Type objectType) => inner.Deserialize(data, objectType);
}
