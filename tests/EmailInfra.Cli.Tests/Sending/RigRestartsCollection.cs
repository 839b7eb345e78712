namespace EmailInfra.Cli.Tests.Sending;

/// <summary>Tests that restart a rig service (Dovecot) run alone, after the others: no other test sees that outage.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RigRestartsCollection
{
    public const string Name = "rig restarts";
}
