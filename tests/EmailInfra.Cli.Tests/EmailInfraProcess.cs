using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace EmailInfra.Cli.Tests;

/// <summary>Runs the built emailinfra command as a separate process, with SIGINT as a terminal's Ctrl+C would send it.</summary>
internal sealed partial class EmailInfraProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private EmailInfraProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static EmailInfraProcess Start(IReadOnlyDictionary<string, string?> environment, string? standardInput, params string[] args)
    {
        // A shell that started the test runner in the background may have left SIGINT ignored, and an ignored
        // signal stays ignored across exec; perl (always on Debian) resets it before starting dotnet.
        var start = new ProcessStartInfo("perl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-e", "$SIG{INT}='DEFAULT'; exec @ARGV or die $!", "dotnet", Path.Combine(AppContext.BaseDirectory, "emailinfra.dll") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            process.StandardInput.WriteLine(standardInput);
        }

        process.StandardInput.Close();
        return new EmailInfraProcess(process);
    }

    public bool HasExited => process.HasExited;

    public void Interrupt()
    {
        if (Kill(process.Id, 2) != 0)
        {
            throw new InvalidOperationException("kill(SIGINT) failed: " + Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>SIGKILL: the process dies wherever it is, with no chance to clean up.</summary>
    public void KillHard()
    {
        if (Kill(process.Id, 9) != 0 && !process.HasExited)
        {
            throw new InvalidOperationException("kill(SIGKILL) failed: " + Marshal.GetLastPInvokeError());
        }
    }

    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
