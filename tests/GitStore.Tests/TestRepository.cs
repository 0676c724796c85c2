using System.Diagnostics;

namespace Handbook.GitStore.Tests;

/// <summary>A real bare repository in a temp folder, seeded from a small handbook written by the test.</summary>
public sealed class TestRepository : IDisposable
{
    public static readonly Author Ann = new("An Testpersoon", "an@stad.example");
    public static readonly Author Bert = new("Bert Voorbeeld", "bert@stad.example");

    /// <summary>An administrator: may change protected pages.</summary>
    public static readonly Author Admin = new("Demo Beheerder", "beheer@stad.example") { MayChangeProtected = true };

    /// <summary>The app reads this from front matter; the store only needs a yes or no from a page's text.</summary>
    public static bool IsProtected(string text) =>
        text.StartsWith("---\n", StringComparison.Ordinal) && text.IndexOf("\n---", 3, StringComparison.Ordinal) is var end and > 0
        && text[..end].Split('\n').Contains("protected: true");

    public TestRepository(bool seed = true)
    {
        Root = Directory.CreateTempSubdirectory("handbook-test-").FullName;
        SeedPath = Path.Combine(Root, "seed");
        Directory.CreateDirectory(Path.Combine(SeedPath, "procedures"));
        File.WriteAllText(Path.Combine(SeedPath, "index.md"), "# Welkom\n\nZie [[procedures/leefloon-aanvragen]].\n");
        File.WriteAllText(Path.Combine(SeedPath, "procedures", "leefloon-aanvragen.md"),
            "---\ntitle: Leefloon aanvragen\n---\n# Leefloon aanvragen\n\nStap 1.\n\nStap 2.\n\nStap 3.\n");
        File.WriteAllBytes(Path.Combine(SeedPath, "procedures", "formulier.pdf"), "%PDF-1.4 test"u8.ToArray());
        RepositoryPath = Path.Combine(Root, "data", "handbook.git");
        IndexPath = Path.Combine(Root, "data", "history.idx");
        Store = Open(seed);
    }

    public string Root { get; }

    public string SeedPath { get; }

    public string RepositoryPath { get; }

    public string IndexPath { get; }

    public PageStore Store { get; private set; }

    public PageStore Open(bool seed = true) => PageStore.Open(new PageStoreOptions
    {
        RepositoryPath = RepositoryPath,
        SeedPath = seed ? SeedPath : null,
        IndexPath = IndexPath,
        MaxPageBytes = 256 * 1024,
        IsProtected = IsProtected,
    });

    public void Reopen()
    {
        Store.Dispose();
        Store = Open();
    }

    /// <summary>Runs the real git CLI against the bare repository (or <paramref name="workDir"/>).</summary>
    public string Git(string args, string? workDir = null) => RunGit(workDir ?? RepositoryPath, args);

    public static string RunGit(string workDir, string args)
    {
        var psi = new ProcessStartInfo("git", args)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["HOME"] = workDir;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {args} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }

    public static SaveRequest Request(string path, string text, Author? author = null, string summary = "wijziging",
        string? baseRevision = null) =>
        new(PagePath.Parse(path), text, author ?? Ann, summary, baseRevision);

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
