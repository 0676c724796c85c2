using System.Diagnostics;

namespace Handbook.Tests;

/// <summary>The real git CLI and patient assertions, shared by the tests that drive git and background work.</summary>
public static class TestGit
{
    /// <summary>Runs git in <paramref name="dir"/>; its output, or an exception with git's error.</summary>
    public static string Run(string dir, string args)
    {
        using var p = Process.Start(new ProcessStartInfo("git", args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"git {args}: {error.Result}");
    }

    /// <summary>The commit a branch of a bare repository points at, or null when it has none yet.</summary>
    public static string? Head(string repository, string branch = "main")
    {
        using var p = Process.Start(new ProcessStartInfo("git", $"rev-parse --verify -q refs/heads/{branch}") { WorkingDirectory = repository, RedirectStandardOutput = true })!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : null;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="seconds"/>.</summary>
    public static Task Eventually(Func<bool> condition, int seconds = 30) => EventuallyAsync(() => Task.FromResult(condition()), seconds);

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="seconds"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition().ConfigureAwait(false))
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {seconds} s");
            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
