using LibGit2Sharp;

namespace Handbook.GitStore.Tests;

/// <summary>
/// The history index reads git history two ways: the git command line's <c>log --raw</c> for large walks, libgit2's
/// diff for a commit or a few. Both must say exactly the same, on history made with the real git CLI.
/// </summary>
public sealed class HistoryWalkTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hb-walk-" + Guid.NewGuid().ToString("N"));

    public HistoryWalkTests()
    {
        Directory.CreateDirectory(_root);
        Git("init -q -b main");
        // Commits made by the git CLI beside the history written here (merge, empty commit) need an identity: the
        // machine may have none.
        Git("config user.name \"Extern Iemand\"");
        Git("config user.email extern@stad.example");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void GitCliWalk_AndLibgit2Walk_GiveTheSameChanges()
    {
        MakeHistory();

        var (viaGit, gitWalk) = Build(useGitCli: true);
        var (viaLibgit2, libgit2Walk) = Build(useGitCli: false);

        Assert.Equal("git", gitWalk);
        Assert.Equal("libgit2", libgit2Walk);
        Assert.Equal(viaLibgit2, viaGit);
        // What the history holds, read as a user would see it.
        Assert.Contains(viaGit, c => c.StartsWith("Renamed werking/c <- werking/a ", StringComparison.Ordinal));
        Assert.Contains(viaGit, c => c.StartsWith("Deleted werking/c ", StringComparison.Ordinal)); // renamed to c.txt
        Assert.Contains(viaGit, c => c.StartsWith("Deleted café-één ", StringComparison.Ordinal));
        Assert.DoesNotContain(viaGit, c => c.Contains("sp ace", StringComparison.Ordinal));
        Assert.Contains(viaGit, c => c.StartsWith("Restored werking/a ", StringComparison.Ordinal));
        Assert.Contains(viaGit, c => c.Contains("| regel een regel twee |", StringComparison.Ordinal));
        Assert.Contains(viaGit, c => c.Contains("2026-03-01T10:15:00.0000000+05:30", StringComparison.Ordinal));
        Assert.Contains(viaGit, c => c.Contains("2026-03-02T08:00:00.0000000-03:30", StringComparison.Ordinal));
        Assert.Contains(viaGit, c => c.StartsWith("Modified map/b ", StringComparison.Ordinal) && c.Contains("zijtak", StringComparison.Ordinal));
        Assert.DoesNotContain(viaGit, c => c.Contains("Merge", StringComparison.Ordinal));
        Assert.DoesNotContain(viaGit, c => c.Contains("img", StringComparison.Ordinal));
        Assert.Equal(int.Parse(Git("rev-list --count --no-merges main"), System.Globalization.CultureInfo.InvariantCulture) - 2, // the empty commit and the image-only one
            viaGit.Select(c => c.Split(' ')[^1]).Distinct().Count());
    }

    [Fact]
    public void CatchUp_OnManyNewCommits_ReadsThemWithTheGitCli_AndAgreesWithAFullBuild()
    {
        MakeHistory();
        using var repo = new Repository(_root);
        using var index = new HistoryIndex(null);
        index.CatchUp(repo, Tip);
        FastImport(Enumerable.Range(0, 120).Select(i => ($"werking/reeks-{i % 7}.md", $"versie {i}\n", $"reeks {i}")));

        index.CatchUp(repo, Tip);

        Assert.Equal("git", index.LastWalk);
        Assert.Equal(Build(useGitCli: false).Changes, Describe(index));

        // One more commit: libgit2, no process started.
        File.WriteAllText(Path.Combine(_root, "werking", "reeks-0.md"), "nog een\n");
        Git("commit -q -a -m \"nog een\"");
        index.CatchUp(repo, Tip);
        Assert.Equal("libgit2", index.LastWalk);
        Assert.Equal(Build(useGitCli: false).Changes, Describe(index));
    }

    [Fact]
    public void GitCliWalk_StoppedHalfway_LeavesTheIndexAsItWas()
    {
        MakeHistory();
        FastImport(Enumerable.Range(0, 300).Select(i => ("werking/veel.md", $"versie {i}\n", $"veel {i}")));

        using var repo = new Repository(_root);
        using var index = new HistoryIndex(null);
        Assert.Throws<OperationCanceledException>(() => index.CatchUp(repo, Tip, (done, _) =>
        {
            if (done >= 200)
            {
                throw new OperationCanceledException();
            }
        }));

        Assert.Null(index.Tip);
        Assert.Empty(index.Recent(new ChangeQuery(Take: 10)).Items);
        index.CatchUp(repo, Tip);
        Assert.Equal(Build(useGitCli: false).Changes, Describe(index));
    }

    private static Commit? Tip(Repository repo) => repo.Branches["main"]?.Tip;

    private (List<string> Changes, string? Walk) Build(bool useGitCli)
    {
        using var repo = new Repository(_root);
        using var index = new HistoryIndex(null) { UseGitCli = useGitCli };
        index.CatchUp(repo, Tip);
        return (Describe(index), index.LastWalk);
    }

    private static List<string> Describe(HistoryIndex index) =>
        index.Recent(new ChangeQuery(Take: 100_000)).Items
            .Select(c => $"{c.Kind} {c.Path.Value}{(c.OldPath is { } from ? " <- " + from.Value : "")} | {c.Author.Name} <{c.Author.Email}> {c.When:O} | {c.Summary} | {c.Size} {c.SizeDelta} {c.Revision}")
            .ToList();

    // Every kind of change the wiki knows, and the odd things a git repository edited by hand can hold.
    private void MakeHistory()
    {
        Write("werking/a.md", "# A\n\nDe eerste versie van pagina a, met genoeg tekst om een hernoeming te herkennen.\n");
        Write("sp ace é.md", "spaties en een accent: geen pagina\n");
        Write("café-één.md", "een accent, dat git zonder -z tussen aanhalingstekens zet\n");
        Write("img.png", "geen echte afbeelding\n");
        Write("map/b.md", "# B\n");
        Commit("eerste\n", "2026-03-01T10:15:00+0530");
        Write("werking/a.md", "# A\n\nDe tweede versie van pagina a, met genoeg tekst om een hernoeming te herkennen.\n");
        Commit("regel een\nregel twee\n\nen een toelichting", "2026-03-02T08:00:00-0330");
        Git("mv werking/a.md werking/c.md");
        File.AppendAllText(Path.Combine(_root, "werking", "c.md"), "Een regel erbij.\n");
        Commit("hernoemd", null);
        Git("mv werking/c.md werking/c.txt");
        Commit("geen pagina meer", null);
        Git("rm -q \"sp ace é.md\" café-één.md");
        Commit("weg", null);
        Write("werking/a.md", "# A\n\nTerug.\n");
        Commit("teruggezet\n\nHandbook-Restored-From: 0123456789abcdef0123456789abcdef01234567\n", null);
        Git("commit -q --allow-empty -m leeg");
        Write("img.png", "nog steeds geen afbeelding\n");
        Commit("alleen een bijlage", null);
        Git("checkout -q -b zijtak");
        Write("map/b.md", "# B\n\nop de zijtak\n");
        Commit("zijtak", null);
        Git("checkout -q main");
        Write("werking/a.md", "# A\n\nTerug, en verder.\n");
        Commit("hoofdtak", null);
        Git("merge -q --no-ff -m \"Merge zijtak\" zijtak");
        File.Delete(Path.Combine(_root, "map", "b.md"));
        File.CreateSymbolicLink(Path.Combine(_root, "map", "b.md"), "../werking/a.md");
        Commit("   spaties vooraan   \n  en een tweede regel  \n", null);
    }

    private void Write(string path, string text)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private void Commit(string message, string? date)
    {
        var file = Path.Combine(_root, "..", Guid.NewGuid().ToString("N") + ".msg");
        File.WriteAllText(file, message);
        try
        {
            Git("add -A");
            Git($"-c user.name=\"Extern Iemand\" -c user.email=extern@stad.example commit -q --cleanup=verbatim {(date is null ? "" : $"--date={date}")} -F \"{file}\"");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private string Git(string args) => TestRepository.RunGit(_root, args);

    /// <summary>One commit per file change on top of main, by git fast-import (hundreds of commits in one process), and the work tree following.</summary>
    private void FastImport(IEnumerable<(string Path, string Text, string Message)> commits)
    {
        var head = Git("rev-parse main").Trim();
        var stream = new System.Text.StringBuilder();
        var time = 1_800_000_000;
        foreach (var (path, text, message) in commits)
        {
            stream.Append("commit refs/heads/main\n")
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"author Extern Iemand <extern@stad.example> {time} +0100\n")
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"committer Extern Iemand <extern@stad.example> {time++} +0100\n")
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"data {System.Text.Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            if (head.Length > 0)
            {
                stream.Append("from ").Append(head).Append('\n');
                head = "";
            }

            stream.Append(System.Globalization.CultureInfo.InvariantCulture, $"M 100644 inline {path}\ndata {System.Text.Encoding.UTF8.GetByteCount(text)}\n{text}\n");
        }

        using (var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "fast-import --quiet") { WorkingDirectory = _root, RedirectStandardInput = true })!)
        {
            git.StandardInput.Write(stream.ToString());
            git.StandardInput.Close();
            git.WaitForExit();
            Assert.Equal(0, git.ExitCode);
        }

        Git("reset -q --hard main");
    }
}
