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
/// The git command line for what libgit2 does not do (bundles, gc) or does far slower (the history walk): always with an argument list (no shell), and
/// without the machine's or the service user's git configuration (hooks, credential helpers, paths stay out).
/// </summary>
internal static class GitCli
{
    public static string Run(string workDir, params string[] args)
    {
        using var process = Start(StartInfo(workDir, args));
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new GitCliException($"git {Verb(args)} failed: {stderr.Result.Trim()}");
        }

        return stdout.Result;
    }

    /// <summary>
    /// Runs git and hands its output to <paramref name="read"/> as it comes (for output too large to hold as a
    /// string); <paramref name="input"/>, when given, is written to git's standard input meanwhile. Stopping early
    /// (an exception from <paramref name="read"/>) ends the process.
    /// </summary>
    public static void Stream(string workDir, IReadOnlyList<string> args, Action<Stream> read, Action<Stream>? input = null)
    {
        var psi = StartInfo(workDir, args);
        psi.RedirectStandardInput = input is not null;
        using var process = Start(psi);
        var stderr = process.StandardError.ReadToEndAsync();
        var writing = input is null
            ? Task.CompletedTask
            : Task.Run(() =>
            {
                try
                {
                    using var stdin = process.StandardInput.BaseStream;
                    input(stdin);
                }
                catch (IOException)
                {
                    // git stopped reading (it failed, or the reader stopped): its exit code says why.
                }
            });
        try
        {
            read(process.StandardOutput.BaseStream);
        }
        catch
        {
            Kill(process);
            throw;
        }

        process.WaitForExit();
        writing.Wait();
        if (process.ExitCode != 0)
        {
            throw new GitCliException($"git {Verb(args)} failed: {stderr.Result.Trim()}");
        }
    }

    private static ProcessStartInfo StartInfo(string workDir, IEnumerable<string> args)
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
        return psi;
    }

    private static Process Start(ProcessStartInfo psi)
    {
        try
        {
            return Process.Start(psi)!;
        }
        catch (Win32Exception)
        {
            throw new GitCliException("This needs the git command line (install git).", notInstalled: true);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static string? Verb(IEnumerable<string> args) =>
        args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal));
}
