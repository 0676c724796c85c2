using System.Diagnostics;
using System.Net;
using System.Text;
using Handbook.Editing;
using Handbook.GitStore;
using Handbook.Tests.Questions;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.History;

/// <summary>
/// A start on a repository with years of history and no index files (a new data folder, a restore): pages are served
/// at once while the history index is built in the background; a save meanwhile is in history when it is done; a
/// restart in the middle builds again, cleanly.
/// </summary>
public sealed class LargeStartTests : IDisposable
{
    private const int Pages = 150;
    private const int Commits = 30_000;
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-large-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // One test, one generated history, to keep the suite's time: the build runs twice (a start, a restart).
    [Fact]
    public async Task PagesAreServed_WhileHistoryIsIndexed_ASaveMeanwhileIsKept_AndARestartHalfwayBuildsAgain()
    {
        var data = Generate();
        var path = PagePath.Parse("procedures/pagina-007");
        CommandOutcome saved;
        using (var factory = App(data))
        {
            var store = factory.Services.GetRequiredService<PageStore>();
            using var client = await factory.SignedInClientAsync("ma");
            // History says how far its index is, and shows what is known; the app is ready meanwhile.
            var history = await client.GetStringAsync(new Uri("/history/procedures/pagina-007", UriKind.Relative));
            Assert.Contains("De geschiedenis wordt opgebouwd", history, StringComparison.Ordinal);
            Assert.Equal("ok", await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative)));

            // A save during the build, and the page served with it.
            var text = store.Read(path)!;
            saved = await factory.Services.GetRequiredService<PageCommands>().SaveAsync(QuestionTests.Principal("ma"),
                new SaveCommand(path, text.Text + "\nTijdens het opbouwen.\n", "Tijdens het opbouwen", text.Revision, text.Text));
            Assert.True(saved.Succeeded);
            var page = await client.GetAsync(new Uri("/wiki/procedures/pagina-007", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Tijdens het opbouwen.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Stopped halfway.
            Assert.True(store.IndexStatus.Building, "the build was done before the app stopped: the test proves nothing");
        }

        // No partial snapshot was left to be mistaken for a complete one; the next start builds again.
        Assert.False(File.Exists(Path.Combine(data, "history.idx")));
        using var again = App(data);
        var restarted = again.Services.GetRequiredService<PageStore>();
        await restarted.IndexBuilt.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.False(restarted.IndexStatus.Building);
        var changes = restarted.History(path, 0, 10_000);
        Assert.Equal(saved.Revision, changes[0].Revision);
        Assert.Equal(GitLogCount(data, "procedures/pagina-007.md"), changes.Count);
        Assert.Equal(Commits + 1, Enumerable.Range(0, Pages).Sum(p => restarted.History(PagePath.Parse($"procedures/pagina-{p:D3}"), 0, 10_000).Count));
        Assert.True(File.Exists(Path.Combine(data, "history.idx")));
        using var client2 = await again.SignedInClientAsync("ma");
        Assert.DoesNotContain("De geschiedenis wordt opgebouwd", await client2.GetStringAsync(new Uri("/history/procedures/pagina-007", UriKind.Relative)), StringComparison.Ordinal);
    }

    private HandbookFactory App(string data)
    {
        var factory = new HandbookFactory();
        factory.Settings["Handbook:DataPath"] = data;
        factory.Settings["Handbook:HistoryInBackgroundAbove"] = "100";
        return factory;
    }

    /// <summary>A data folder with a repository of <see cref="Commits"/> commits over <see cref="Pages"/> pages (git fast-import).</summary>
    private string Generate()
    {
        var data = Path.Combine(_root, "data-" + Guid.NewGuid().ToString("N")[..6]);
        var repository = Path.Combine(data, "handbook.git");
        Directory.CreateDirectory(repository);
        TestGit.Run(repository, "init -q --bare -b main .");
        var stream = new StringBuilder();
        var start = new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        for (var i = 0; i < Commits; i++)
        {
            var page = i % Pages;
            var body = $"---\ntitle: Pagina {page}\n---\n# Pagina {page}\n\nVersie {i} van deze pagina.\n";
            var message = $"Wijziging {i}";
            stream.Append("commit refs/heads/main\n")
                .Append($"author Medewerker {i % 7} <medewerker{i % 7}@demo.handbook.invalid> {start + (i * 3600)} +0000\n")
                .Append($"committer Handbook <handbook@localhost> {start + (i * 3600)} +0000\n")
                .Append($"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            stream.Append($"M 100644 inline procedures/pagina-{page:D3}.md\ndata {Encoding.UTF8.GetByteCount(body)}\n{body}\n");
        }

        stream.Append("done\n");
        using var git = Process.Start(new ProcessStartInfo("git", "fast-import --quiet --done") { WorkingDirectory = repository, RedirectStandardInput = true })!;
        git.StandardInput.Write(stream.ToString());
        git.StandardInput.Close();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return data;
    }

    private static int GitLogCount(string data, string file) =>
        TestGit.Run(Path.Combine(data, "handbook.git"), $"log --format=%H main -- {file}").Trim().Split('\n').Length;
}
