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
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return environment;
    }
}
