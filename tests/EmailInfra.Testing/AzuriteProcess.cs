using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace EmailInfra.Testing;

/// <summary>
/// An Azurite of a test's own, on free loopback ports and a data folder of its own, that the test can stop and start again
/// on the same data: an outage of storage and its recovery, without touching the rig's Azurite other tests are using.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly string executable;
    private readonly int blobPort;
    private readonly int queuePort;
    private readonly int tablePort;
    private Process? process;

    private AzuriteProcess(string executable, string dataDir, int blobPort, int queuePort, int tablePort)
    {
        this.executable = executable;
        DataDir = dataDir;
        this.blobPort = blobPort;
        this.queuePort = queuePort;
        this.tablePort = tablePort;
    }

    public string DataDir { get; }

    /// <summary>The storage connection string of this Azurite (the well-known development account).</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + $"BlobEndpoint=http://{Rig.Host}:{blobPort}/devstoreaccount1;QueueEndpoint=http://{Rig.Host}:{queuePort}/devstoreaccount1;"
        + $"TableEndpoint=http://{Rig.Host}:{tablePort}/devstoreaccount1;";

    /// <summary>Starts an Azurite from the repository's tools/azurite (installed by the rig) on three free ports.</summary>
    public static async Task<AzuriteProcess> StartAsync()
    {
        var executable = Find() ?? throw new InvalidOperationException("no Azurite in tools/azurite; run scripts/rig.sh install");
        var dataDir = Path.Combine(Path.GetTempPath(), "emailinfra-tests", "azurite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        var azurite = new AzuriteProcess(executable, dataDir, LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Stops it as a service stop would (SIGTERM: what it acknowledged is on disk) and waits for the process to end.</summary>
    public async Task StopAsync()
    {
        if (process is not { HasExited: false } running)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", running.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await running.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }

        running.Dispose();
        process = null;
    }

    /// <summary>Starts it (again) on the same ports and data, and waits until its queue and table services answer.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[]
        {
            "--silent", "--disableTelemetry", "--location", DataDir, "--skipApiVersionCheck", "--loose",
            "--blobHost", Rig.Host, "--blobPort", blobPort.ToString(CultureInfo.InvariantCulture),
            "--queueHost", Rig.Host, "--queuePort", queuePort.ToString(CultureInfo.InvariantCulture),
            "--tableHost", Rig.Host, "--tablePort", tablePort.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start");
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await WaitForPortAsync(queuePort);
        await WaitForPortAsync(tablePort);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    private static string? Find()
    {
        foreach (var start in new[] { Rig.RigDir is { } rig ? Path.GetDirectoryName(Path.GetFullPath(rig)) : null, AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "azurite", "node_modules", ".bin", "azurite");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private async Task WaitForPortAsync(int port)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (process is { HasExited: true } exited)
            {
                throw new InvalidOperationException($"Azurite exited with {exited.ExitCode} before answering on {port}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Rig.Host, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"Azurite did not answer on {Rig.Host}:{port} within 30 s");
    }
}
