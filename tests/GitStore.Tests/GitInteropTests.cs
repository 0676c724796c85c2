using System.Collections.Concurrent;

namespace Handbook.GitStore.Tests;

/// <summary>The store and the real git CLI see the same repository.</summary>
public sealed class GitInteropTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task BurstOfSaves_LeavesRepositoryFsckCleanWithWorkerAuthors()
    {
        for (var i = 0; i < 20; i++)
        {
            var author = i % 2 == 0 ? TestRepository.Ann : TestRepository.Bert;
            var page = _repo.Store.Read(PagePath.Parse("procedures/leefloon-aanvragen"))!;
            await _repo.Store.SaveAsync(TestRepository.Request(page.Path.Value, page.Text + $"regel {i}\n", author, $"regel {i} toegevoegd", page.Revision));
        }

        _repo.Git("fsck --strict --no-dangling");
        var log = _repo.Git("log \"--format=%an <%ae>|%s\" main -- procedures/leefloon-aanvragen.md").Trim().Split('\n');
        Assert.Equal(21, log.Length);
        Assert.Equal("Bert Voorbeeld <bert@stad.example>|regel 19 toegevoegd", log[0]);
        Assert.Equal("An Testpersoon <an@stad.example>|regel 18 toegevoegd", log[1]);
    }

    [Fact]
    public async Task CommitPushedWithGitCli_IsSeenInContentHistoryAndIndex()
    {
        var clone = Path.Combine(_repo.Root, "clone");
        TestRepository.RunGit(_repo.Root, $"clone -q \"{_repo.RepositoryPath}\" clone");
        File.WriteAllText(Path.Combine(clone, "procedures", "extern.md"), "# Van buiten\n");
        File.AppendAllText(Path.Combine(clone, "index.md"), "Extra regel.\n");
        TestRepository.RunGit(clone, "add -A");
        TestRepository.RunGit(clone, "-c user.name=\"Power Gebruiker\" -c user.email=power@stad.example commit -q -m \"Via git toegevoegd\"");
        TestRepository.RunGit(clone, "push -q origin HEAD:main");

        var page = _repo.Store.Read(PagePath.Parse("procedures/extern"));
        Assert.Equal("# Van buiten\n", page?.Text);
        var history = _repo.Store.History(PagePath.Parse("index"));
        Assert.Equal("Power Gebruiker", history[0].Author.Name);
        Assert.Equal("Via git toegevoegd", history[0].Summary);
        Assert.Equal("procedures/extern", _repo.Store.RecentChanges(new ChangeQuery()).Items.First(c => c.Kind == ChangeKind.Added && c.Summary == "Via git toegevoegd").Path.Value);

        // And the store's next save goes on top of the external commit.
        var saved = await _repo.Store.SaveAsync(TestRepository.Request("procedures/extern", "# Van binnen\n", baseRevision: page!.Revision));
        Assert.IsType<SaveResult.Saved>(saved);
        _repo.Git("fsck --strict --no-dangling");
    }

    [Fact]
    public async Task APagePushedWithAByteOrderMark_ReadsWithIt_AndSavedUnchangedIsNoCommit()
    {
        // Some Windows editors start a UTF-8 file with EF BB BF. Reading must not drop it: a save of the same text
        // would otherwise be a commit whose only change is an invisible first line.
        var clone = Path.Combine(_repo.Root, "clone");
        TestRepository.RunGit(_repo.Root, $"clone -q \"{_repo.RepositoryPath}\" clone");
        File.WriteAllBytes(Path.Combine(clone, "procedures", "bom.md"), [0xEF, 0xBB, 0xBF, .. "---\ntitle: Met BOM\n---\n# Kop\n"u8]);
        TestRepository.RunGit(clone, "add -A");
        TestRepository.RunGit(clone, "-c user.name=Power -c user.email=power@stad.example commit -q -m \"Met BOM\"");
        TestRepository.RunGit(clone, "push -q origin HEAD:main");

        var page = _repo.Store.Read(PagePath.Parse("procedures/bom"))!;
        Assert.Equal("\uFEFF---\ntitle: Met BOM\n---\n# Kop\n", page.Text);
        Assert.IsType<SaveResult.Unchanged>(await _repo.Store.SaveAsync(TestRepository.Request("procedures/bom", page.Text, baseRevision: page.Revision)));
        var saved = await _repo.Store.SaveAsync(TestRepository.Request("procedures/bom", page.Text + "Tekst.\n", baseRevision: page.Revision));
        Assert.IsType<SaveResult.Saved>(saved);
        var diff = _repo.Git("diff HEAD~1 HEAD -- procedures/bom.md");
        Assert.Contains("+Tekst.", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("-\uFEFF", diff, StringComparison.Ordinal);
        Assert.Equal(1, diff.Split('\n').Count(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal)));
        // The file still starts with the three bytes: its size is theirs plus the text's.
        Assert.Equal(3 + "---\ntitle: Met BOM\n---\n# Kop\nTekst.\n".Length, int.Parse(_repo.Git("cat-file -s HEAD:procedures/bom.md").Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PageListing_FollowsEveryKindOfChange_AsGitLsTreeSeesIt()
    {
        // The listing is derived from the previous one and the difference between the trees; after every step it must
        // equal what git itself lists: .md files outside hidden folders, with their blob ids.
        void AssertListingMatchesGit()
        {
            var expected = _repo.Git("ls-tree -r main").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => (Blob: line.Split(' ', '\t')[2], File: line[(line.IndexOf('\t') + 1)..]))
                .Where(e => PagePath.TryFromFileName(e.File, out _))
                .Select(e => $"{e.File[..^3]} {e.Blob}")
                .Order(StringComparer.Ordinal)
                .ToList();
            var listing = _repo.Store.ListPageBlobs();
            Assert.Equal(_repo.Git("rev-parse main^{tree}").Trim(), listing.TreeId);
            Assert.Equal(expected, listing.Pages.Select(e => $"{e.Path.Value} {e.BlobId}").Order(StringComparer.Ordinal).ToList());
            Assert.Equal(listing.Pages.OrderBy(e => e.Path).Select(e => e.Path), listing.Pages.Select(e => e.Path));
        }

        AssertListingMatchesGit();
        var before = _repo.Store.ListPageBlobs();
        var leefloon = _repo.Store.Read(PagePath.Parse("procedures/leefloon-aanvragen"))!;
        await _repo.Store.SaveAsync(TestRepository.Request(leefloon.Path.Value, leefloon.Text + "Stap 4.\n", baseRevision: leefloon.Revision));
        AssertListingMatchesGit();
        // Pages that did not change keep their entry.
        Assert.Same(before.Pages.Single(e => e.Path.Value == "index"), _repo.Store.ListPageBlobs().Pages.Single(e => e.Path.Value == "index"));

        await _repo.Store.SaveAsync(TestRepository.Request("werking/nieuw/diep/pagina", "# Diep\n"));
        await _repo.Store.SaveAsync(TestRepository.Request("a-eerst", "# Eerst\n"));
        AssertListingMatchesGit();
        await _repo.Store.RenameAsync(PagePath.Parse("procedures/leefloon-aanvragen"), PagePath.Parse("werking/leefloon"), TestRepository.Ann, "verplaatst");
        AssertListingMatchesGit();
        await _repo.Store.DeleteAsync(PagePath.Parse("a-eerst"), TestRepository.Ann, "weg");
        AssertListingMatchesGit();

        // Through the git CLI: a folder removed, a hidden folder, a file that is not a page, a page that becomes a
        // folder, and a push that rewrites the branch back to an older commit.
        var clone = Path.Combine(_repo.Root, "clone");
        TestRepository.RunGit(_repo.Root, $"clone -q \"{_repo.RepositoryPath}\" clone");
        TestRepository.RunGit(clone, "rm -q -r werking/nieuw");
        Directory.CreateDirectory(Path.Combine(clone, ".verborgen"));
        File.WriteAllText(Path.Combine(clone, ".verborgen", "geheim.md"), "# Niet in de lijst\n");
        File.WriteAllText(Path.Combine(clone, "werking", "notities.txt"), "geen pagina\n");
        TestRepository.RunGit(clone, "rm -q werking/leefloon.md");
        Directory.CreateDirectory(Path.Combine(clone, "werking", "leefloon"));
        File.WriteAllText(Path.Combine(clone, "werking", "leefloon", "aanvraag.md"), "# Aanvraag\n");
        TestRepository.RunGit(clone, "add -A");
        TestRepository.RunGit(clone, "-c user.name=Power -c user.email=power@stad.example commit -q -m extern");
        TestRepository.RunGit(clone, "push -q origin HEAD:main");
        AssertListingMatchesGit();
        Assert.DoesNotContain(_repo.Store.ListPageBlobs().Pages, e => e.Path.Value.StartsWith("werking/nieuw", StringComparison.Ordinal));

        TestRepository.RunGit(clone, "push -q --force origin HEAD~3:main");
        AssertListingMatchesGit();
    }

    [Fact]
    public async Task SavesWhilePagesAreRead_NeverMakeTheHistoryIndexStartAgain()
    {
        // A reader that read the branch tip just before a save moved it asks the index for an older commit than it
        // has. That is not a rewritten branch: the index must not start again from the root commit (at 100,000
        // commits that held every history read and every save for minutes).
        var rebuildsBefore = _repo.Store.HistoryRebuilds;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                _ = _repo.Store.LastChange(PagePath.Parse("werking/druk"));
                _ = _repo.Store.RecentChanges(new ChangeQuery(Take: 5));
                reads++;
                Thread.Sleep(1);
            }

            return reads;
        })).ToList();
        for (var i = 0; i < 80; i++)
        {
            var current = _repo.Store.Read(PagePath.Parse("werking/druk"));
            Assert.IsType<SaveResult.Saved>(await _repo.Store.SaveAsync(TestRepository.Request("werking/druk", $"versie {i}\n", baseRevision: current?.Revision)));
        }

        await stop.CancelAsync();
        Assert.True((await Task.WhenAll(readers)).Sum() > 0);
        Assert.Equal(rebuildsBefore, _repo.Store.HistoryRebuilds);
        Assert.Equal(80, _repo.Store.History(PagePath.Parse("werking/druk"), take: 1000).Count);
        Assert.Equal(_repo.Git("log -1 --format=%H main").Trim(), _repo.Store.LastChange(PagePath.Parse("werking/druk"))!.Revision);
    }

    [Theory]
    [InlineData(16, 25, 4)]
    [InlineData(20, 50, 5)]
    public async Task ConcurrentSaves_EveryAcknowledgedSaveIsInHistory(int threads, int saves, int pages)
    {
        // Each thread owns one line of one page; lines are separated by blank lines so that edits by different
        // threads merge cleanly unless they really collide.
        for (var p = 0; p < pages; p++)
        {
            var lines = Enumerable.Range(0, threads / pages).Select(t => $"thread {p + (t * pages)}: start\n\n\n");
            await _repo.Store.SaveAsync(TestRepository.Request($"werking/gedeeld-{p}", string.Concat(lines)));
        }

        var acknowledged = new ConcurrentBag<(string Revision, int Thread, int Value)>();
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var path = PagePath.Parse($"werking/gedeeld-{t % pages}");
            for (var n = 1; n <= saves; n++)
            {
                while (true)
                {
                    var page = _repo.Store.Read(path)!;
                    var text = System.Text.RegularExpressions.Regex.Replace(page.Text, $"(?m)^thread {t}: .*$", $"thread {t}: {n}");
                    var result = await _repo.Store.SaveAsync(new SaveRequest(path, text, new Author($"Werker {t}", $"w{t}@stad.example"), $"t{t} n{n}", page.Revision));
                    if (result is SaveResult.Saved s)
                    {
                        acknowledged.Add((s.Revision, t, n));
                        break;
                    }

                    if (result is SaveResult.Merged m)
                    {
                        acknowledged.Add((m.Revision, t, n));
                        break;
                    }

                    Assert.IsType<SaveResult.Conflict>(result);
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));

        Assert.Equal(threads * saves, acknowledged.Count);
        var onBranch = _repo.Git("rev-list main").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.All(acknowledged, a => Assert.Contains(a.Revision, onBranch));
        foreach (var (revision, thread, value) in acknowledged)
        {
            var text = _repo.Git($"show {revision}:werking/gedeeld-{thread % pages}.md");
            Assert.Contains($"thread {thread}: {value}\n", text, StringComparison.Ordinal);
        }

        for (var t = 0; t < threads; t++)
        {
            Assert.Contains($"thread {t}: {saves}\n", _repo.Store.Read(PagePath.Parse($"werking/gedeeld-{t % pages}"))!.Text, StringComparison.Ordinal);
        }

        _repo.Git("fsck --strict --no-dangling");
        Assert.Equal(threads * saves, _repo.Store.RecentChanges(new ChangeQuery(Take: 100_000, Folder: "werking")).Items.Count - pages);
    }

    [Fact]
    public async Task FuzzedPageNames_NeverTouchAFileOutsideTheRepository()
    {
        var random = new Random(7);
        string[] pieces = ["..", "/", "\\", "a", "ë", ".git", "con", "-", "x", "%2f", ":", "~", "\0"];
        var before = Snapshot(_repo.Root);
        var written = 0;
        for (var i = 0; i < 300; i++)
        {
            var name = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => pieces[random.Next(pieces.Length)]));
            if (!PagePath.TryParse(name, out var path, out _))
            {
                continue;
            }

            await _repo.Store.SaveAsync(new SaveRequest(path, "fuzz\n", TestRepository.Ann, "fuzz", null));
            written++;
        }

        Assert.True(written > 5);
        var after = Snapshot(_repo.Root);
        var changed = after.Except(before).Where(f => !f.StartsWith(Path.GetDirectoryName(_repo.RepositoryPath)!, StringComparison.Ordinal)).ToList();
        Assert.Empty(changed);
        _repo.Git("fsck --strict --no-dangling");
    }

    private static HashSet<string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => f + "|" + File.GetLastWriteTimeUtc(f).Ticks)
            .ToHashSet();
}
