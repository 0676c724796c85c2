using System.Diagnostics;
using System.Net;
using System.Text;
using Handbook.Editing;
using Handbook.GitStore;
using Handbook.Search;
using Handbook.Tests.Questions;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.History;

/// <summary>
/// A start on a repository with years of history and no index files (a new data folder, a restore): pages are served
/// at once while the history index is built in the background; a save meanwhile is in history at once and stays there
/// when the build is done; a restart in the middle builds again, cleanly. The first build is held before it takes over
/// (<see cref="PageStoreKeys.HoldIndexBuild"/>): the git CLI reads these 30,000 commits in a few seconds.
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
        // Completed on the build's thread: the test must not go on there (it would wait for that thread to stop).
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var factory = App(data, Task.Delay(Timeout.Infinite), held))
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

            // The save is in the page's history and in recent changes at once, with the notice that older changes follow.
            history = await client.GetStringAsync(new Uri("/history/procedures/pagina-007", UriKind.Relative));
            Assert.Contains("Tijdens het opbouwen", history, StringComparison.Ordinal);
            Assert.Contains("De geschiedenis wordt opgebouwd", history, StringComparison.Ordinal);
            Assert.Equal(saved.Revision, Assert.Single(store.History(path, 0, 10_000)).Revision);
            Assert.Contains("Tijdens het opbouwen", await client.GetStringAsync(new Uri("/changes", UriKind.Relative)), StringComparison.Ordinal);

            // Stopped halfway: the history is read, the new index has not taken over.
            await held.Task.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(store.IndexStatus.Building);
        }

        // Stopped after the walk, before it took over: the snapshot it wrote is complete up to where the build
        // started, and the next start resumes from it (the save made meanwhile is read again) without a build.
        // (A stop in the middle of the walk leaves nothing: HistoryWalkTests.GitCliWalk_StoppedHalfway_….)
        Assert.True(File.Exists(Path.Combine(data, "history.idx")));
        using var again = App(data);
        var restarted = again.Services.GetRequiredService<PageStore>();
        Assert.False(restarted.IndexStatus.Building);
        await restarted.IndexBuilt.WaitAsync(TimeSpan.FromMinutes(3));
        var changes = restarted.History(path, 0, 10_000);
        Assert.Equal(saved.Revision, changes[0].Revision);
        Assert.Equal(GitLogCount(data, "procedures/pagina-007.md"), changes.Count);
        Assert.Equal(Commits + 1, Enumerable.Range(0, Pages).Sum(p => restarted.History(PagePath.Parse($"procedures/pagina-{p:D3}"), 0, 10_000).Count));
        Assert.True(File.Exists(Path.Combine(data, "history.idx")));
        using var client2 = await again.SignedInClientAsync("ma");
        Assert.DoesNotContain("De geschiedenis wordt opgebouwd", await client2.GetStringAsync(new Uri("/history/procedures/pagina-007", UriKind.Relative)), StringComparison.Ordinal);
    }

    // The drill of docs/deployment.md ("Backup and restore"): pages saved, renamed and deleted through the app, a
    // backup taken while it runs, restored into a new data folder, the app started there without index files.
    [Fact]
    public async Task BackupRestoreDrill_PagesServedAtOnce_HistoryAndSearchRebuiltInTheBackground_EverythingIdentical()
    {
        var data = Generate(commits: 5_000);
        var bundle = Path.Combine(_root, "handboek.bundle");
        var ma = QuestionTests.Principal("ma");
        Dictionary<PagePath, string> texts;
        Dictionary<PagePath, List<string>> histories;
        List<string> everPages;
        using (var original = App(data))
        {
            var store = original.Services.GetRequiredService<PageStore>();
            await store.IndexBuilt.WaitAsync(TimeSpan.FromMinutes(3));
            var commands = original.Services.GetRequiredService<PageCommands>();
            var page = store.Read(PagePath.Parse("procedures/pagina-003"))!;
            Assert.True((await commands.SaveAsync(ma, new SaveCommand(page.Path, page.Text + "\nVoor de herstelproef: kraanwatervoorschot.\n",
                "Voor de herstelproef", page.Revision, page.Text))).Succeeded);
            Assert.True((await commands.RenameAsync(ma, PagePath.Parse("procedures/pagina-004"), "werking/verhuisd", "Verhuisd", updateLinks: false)).Succeeded);
            Assert.True((await commands.DeleteAsync(ma, PagePath.Parse("procedures/pagina-005"), "Niet meer nodig")).Succeeded);

            Assert.Equal(0, BackupCommand.Run("backup", bundle, ["--Handbook:DataPath", data]));
            texts = store.ListPages().ToDictionary(p => p, p => store.Read(p)!.Text);
            histories = texts.Keys.ToDictionary(p => p, p => Describe(store.History(p, 0, int.MaxValue)));
            everPages = Describe(store.DeletedPages().Concat(store.RecentChanges(new ChangeQuery(Take: 100_000)).Items));
        }

        var restoredData = Path.Combine(_root, "hersteld");
        Assert.Equal(0, BackupCommand.Run("restore", bundle, ["--Handbook:DataPath", restoredData]));
        TestGit.Run(Path.Combine(restoredData, "handbook.git"), "fsck --strict --no-dangling");
        Assert.False(File.Exists(Path.Combine(restoredData, "history.idx")));
        Assert.False(Directory.Exists(Path.Combine(restoredData, "search")));

        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var restored = App(restoredData, hold.Task);
        var restoredStore = restored.Services.GetRequiredService<PageStore>();
        using var client = await restored.SignedInClientAsync("ma");
        // Served while the history build is held: the page, the readiness probe, the history with its notice.
        Assert.True(restoredStore.IndexStatus.Building);
        Assert.Contains("kraanwatervoorschot", await client.GetStringAsync(new Uri("/wiki/procedures/pagina-003", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal("ok", await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative)));
        Assert.Contains("De geschiedenis wordt opgebouwd", await client.GetStringAsync(new Uri("/history/werking/verhuisd", UriKind.Relative)), StringComparison.Ordinal);

        hold.SetResult();
        await restoredStore.IndexBuilt.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Null(restoredStore.IndexStatus.Error);
        Assert.Equal(texts, restoredStore.ListPages().ToDictionary(p => p, p => restoredStore.Read(p)!.Text));
        Assert.Equal(histories, texts.Keys.ToDictionary(p => p, p => Describe(restoredStore.History(p, 0, int.MaxValue))));
        Assert.Equal(everPages, Describe(restoredStore.DeletedPages().Concat(restoredStore.RecentChanges(new ChangeQuery(Take: 100_000)).Items)));
        Assert.Contains(everPages, c => c.StartsWith("Deleted procedures/pagina-005 ", StringComparison.Ordinal));
        Assert.Contains(histories[PagePath.Parse("werking/verhuisd")], c => c.StartsWith("Renamed werking/verhuisd procedures/pagina-004 ", StringComparison.Ordinal));

        var search = restored.Services.GetRequiredService<SearchIndex>();
        var waited = Stopwatch.StartNew();
        while (!search.IsCurrent && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(100);
        }

        var found = await search.SearchAsync(new SearchRequest("kraanwatervoorschot"));
        Assert.Equal("procedures/pagina-003", Assert.Single(found.Hits).Path.Value);
    }

    private static List<string> Describe(IEnumerable<PageChange> changes) =>
        changes.Select(c => $"{c.Kind} {c.Path.Value} {c.OldPath?.Value} {c.Revision} {c.Author.Name} <{c.Author.Email}> {c.When:O} {c.Summary} {c.Size} {c.SizeDelta}")
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The app on <paramref name="data"/>; a background history build waits before it takes over until <paramref name="release"/> completes, and completes <paramref name="held"/> when it gets there.</summary>
    private static HandbookFactory App(string data, Task? release = null, TaskCompletionSource? held = null)
    {
        var factory = new HandbookFactory();
        factory.Settings["Handbook:DataPath"] = data;
        factory.Settings["Handbook:HistoryInBackgroundAbove"] = "100";
        if (release is not null)
        {
            factory.TestServices = services => services.AddKeyedSingleton<Func<CancellationToken, Task>>(PageStoreKeys.HoldIndexBuild,
                (_, _) => stop =>
                {
                    held?.TrySetResult();
                    return release.WaitAsync(stop);
                });
        }

        return factory;
    }

    /// <summary>A data folder with a repository of <see cref="Commits"/> commits over <see cref="Pages"/> pages (git fast-import).</summary>
    private string Generate(int commits = Commits)
    {
        var data = Path.Combine(_root, "data-" + Guid.NewGuid().ToString("N")[..6]);
        var repository = Path.Combine(data, "handbook.git");
        Directory.CreateDirectory(repository);
        TestGit.Run(repository, "init -q --bare -b main .");
        var stream = new StringBuilder();
        var start = new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        for (var i = 0; i < commits; i++)
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
