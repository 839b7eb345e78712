using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests;

/// <summary>Environment for an emailinfra process that shares a test's storage prefix, secrets, DNS and limits.</summary>
internal static class CliEnvironment
{
    public static Dictionary<string, string?> For(RigServices rig, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["EmailInfraStorage"] = rig.Settings["EmailInfraStorage"],
            ["Storage__NamePrefix"] = rig.Prefix,
            ["Secrets__LocalPath"] = rig.SecretsDir,
            ["MailTransport__TrustedCertificateFiles__0"] = Rig.CertificatePath,
            ["Dns__Servers__0"] = rig.Settings["Dns:Servers:0"],
            ["Sending__LimitsFile"] = rig.Settings["Sending:LimitsFile"],
            ["Local__StartAzurite"] = "false",

            // Timers fire only when a test asks for them: local mode's defaults run every five minutes, and a worker
            // alive across such a boundary planned a warm-up day for the test's mailboxes (rows a send test then
            // waited for in vain). Once a year at midnight on 1 January is as good as never here.
            ["PollSchedule"] = "0 0 0 1 1 *",
            ["WarmupSchedule"] = "0 0 0 1 1 *",
            ["AuditSchedule"] = "0 0 0 1 1 *",
            ["HealthSchedule"] = "0 0 0 1 1 *",
            ["SweepSchedule"] = "0 0 0 1 1 *",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return environment;
    }
}
