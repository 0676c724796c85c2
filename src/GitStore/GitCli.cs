using System.ComponentModel;
using System.Diagnostics;

namespace Handbook.GitStore;

/// <summary>The git command line failed (the message is git's own last words), or is not installed.</summary>
public sealed class GitCliException(string message, bool notInstalled = false) : Exception(message)
{
    /// <summary>There is no git command line on this machine: trying again will not help.</summary>
    public bool NotInstalled { get; } = notInstalled;
}

/// <summary>
/// The git command line for what libgit2 does not do (bundles, gc): always with an argument list (no shell), and
/// without the machine's or the service user's git configuration (hooks, credential helpers, paths stay out).
/// </summary>
internal static class GitCli
{
    public static string Run(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (Win32Exception)
        {
            throw new GitCliException("This needs the git command line (install git).", notInstalled: true);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new GitCliException($"git {args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal))} failed: {stderr.Result.Trim()}");
            }

            return stdout.Result;
        }
    }
}
