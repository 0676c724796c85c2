using System.Text;

namespace Handbook.GitStore.Tests;

public sealed class PageStoreTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private PageStore Store => _repo.Store;

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Open_NewRepository_IsBareAndSeededInOneCommit()
    {
        Assert.Equal("true", _repo.Git("rev-parse --is-bare-repository").Trim());
        Assert.Equal("1", _repo.Git("rev-list --count main").Trim());
        Assert.Equal(["index", "procedures/leefloon-aanvragen"], Store.ListPages().Select(p => p.Value));
        Assert.NotNull(Store.ReadAttachment(AttachmentPath.TryParse("procedures/formulier.pdf", out var a, out _) ? a : default));
        Assert.Contains("procedures/formulier.pdf", _repo.Git("ls-tree -r --name-only main"), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Twice_DoesNotSeedAgain()
    {
        var head = Store.Head;
        File.WriteAllText(Path.Combine(_repo.SeedPath, "nieuw.md"), "# nieuw");
        _repo.Reopen();
        Assert.Equal(head, Store.Head);
        Assert.False(Store.Exists(PagePath.Parse("nieuw")));
    }

    [Fact]
    public void Open_RefusesNonRepositoryFolderWithContent()
    {
        var folder = Path.Combine(_repo.Root, "not-a-repo");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "file.txt"), "x");
        Assert.Throws<InvalidOperationException>(() => PageStore.Open(new PageStoreOptions { RepositoryPath = folder }));
        Assert.Equal("x", File.ReadAllText(Path.Combine(folder, "file.txt")));
    }

    [Fact]
    public async Task Save_NewPage_IsOneCommitByTheWorker()
    {
        var result = await Store.SaveAsync(TestRepository.Request("werking/nieuw", "# Nieuw\n", TestRepository.Bert, "Nieuwe pagina"));
        var saved = Assert.IsType<SaveResult.Saved>(result);
        Assert.Equal(saved.Revision, Store.Head);
        Assert.Equal("# Nieuw\n", Store.Read(PagePath.Parse("werking/nieuw"))!.Text);
        var log = _repo.Git("log -1 --format=%an|%ae|%cn|%s main");
        Assert.Equal("Bert Voorbeeld|bert@stad.example|Handbook|Nieuwe pagina", log.Trim());
    }

    [Fact]
    public async Task Save_IdenticalContent_MakesNoCommit()
    {
        var page = Store.Read(PagePath.Parse("procedures/leefloon-aanvragen"))!;
        var result = await Store.SaveAsync(TestRepository.Request(page.Path.Value, page.Text, baseRevision: page.Revision));
        Assert.IsType<SaveResult.Unchanged>(result);
        Assert.Equal("1", _repo.Git("rev-list --count main").Trim());
    }

    [Fact]
    public async Task Save_WhenPageChangedSinceBase_MergesNonOverlappingEdits()
    {
        var page = Store.Read(PagePath.Parse("procedures/leefloon-aanvragen"))!;
        var first = await Store.SaveAsync(TestRepository.Request(page.Path.Value, page.Text.Replace("Stap 1.", "Stap een.", StringComparison.Ordinal), TestRepository.Ann, "An", page.Revision));
        Assert.IsType<SaveResult.Saved>(first);

        var second = await Store.SaveAsync(TestRepository.Request(page.Path.Value, page.Text.Replace("Stap 3.", "Stap drie.", StringComparison.Ordinal), TestRepository.Bert, "Bert", page.Revision));

        var merged = Assert.IsType<SaveResult.Merged>(second);
        var text = Store.Read(page.Path)!.Text;
        Assert.Contains("Stap een.", text, StringComparison.Ordinal);
        Assert.Contains("Stap drie.", text, StringComparison.Ordinal);
        Assert.Equal(text, merged.MergedText);
        Assert.Equal("Bert|An|Handboek aangemaakt uit de startinhoud", string.Join('|', _repo.Git("log --format=%s main").Trim().Split('\n')).Replace("\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Save_WhenEditsOverlap_ReturnsConflictAndWritesNothing()
    {
        var page = Store.Read(PagePath.Parse("procedures/leefloon-aanvragen"))!;
        await Store.SaveAsync(TestRepository.Request(page.Path.Value, page.Text.Replace("Stap 2.", "Stap twee (An).", StringComparison.Ordinal), TestRepository.Ann, "An", page.Revision));
        var head = Store.Head;
        var mine = page.Text.Replace("Stap 2.", "Stap twee (Bert).", StringComparison.Ordinal);

        var result = await Store.SaveAsync(TestRepository.Request(page.Path.Value, mine, TestRepository.Bert, "Bert", page.Revision));

        var conflict = Assert.IsType<SaveResult.Conflict>(result);
        Assert.Equal(page.Text, conflict.Base);
        Assert.Contains("Stap twee (An).", conflict.Theirs, StringComparison.Ordinal);
        Assert.Equal(mine, conflict.Mine);
        Assert.Equal(head, conflict.TheirRevision);
        Assert.Equal(head, Store.Head);

        // Resolving on top of their revision saves.
        var resolved = await Store.SaveAsync(TestRepository.Request(page.Path.Value, conflict.Theirs.Replace("(An)", "(An en Bert)", StringComparison.Ordinal), TestRepository.Bert, "opgelost", conflict.TheirRevision));
        Assert.IsType<SaveResult.Saved>(resolved);
    }

    [Fact]
    public async Task Save_NewPageThatSomeoneCreatedMeanwhile_IsAConflict()
    {
        await Store.SaveAsync(TestRepository.Request("werking/x", "eerst\n"));
        var result = await Store.SaveAsync(TestRepository.Request("werking/x", "tweede\n", TestRepository.Bert));
        var conflict = Assert.IsType<SaveResult.Conflict>(result);
        Assert.Equal("eerst\n", conflict.Theirs);
        Assert.Equal("eerst\n", Store.Read(PagePath.Parse("werking/x"))!.Text);
    }

    [Fact]
    public async Task Save_RejectsMissingSummaryUnknownBaseAndHugePages()
    {
        var missing = await Store.SaveAsync(TestRepository.Request("a", "x", summary: "  "));
        Assert.Equal(SaveError.SummaryRequired, Assert.IsType<SaveResult.Rejected>(missing).Error);

        var unknown = await Store.SaveAsync(TestRepository.Request("a", "x", baseRevision: "HEAD~1"));
        Assert.Equal(SaveError.UnknownRevision, Assert.IsType<SaveResult.Rejected>(unknown).Error);

        var huge = await Store.SaveAsync(TestRepository.Request("a", new string('x', 300 * 1024)));
        Assert.Equal(SaveError.TooLarge, Assert.IsType<SaveResult.Rejected>(huge).Error);

        Assert.Equal("1", _repo.Git("rev-list --count main").Trim());
    }

    [Fact]
    public async Task Read_AtOldRevision_ReturnsOldText()
    {
        var path = PagePath.Parse("index");
        var first = Store.Read(path)!;
        await Store.SaveAsync(TestRepository.Request("index", "# Nieuw\n", baseRevision: first.Revision));
        Assert.Equal("# Nieuw\n", Store.Read(path)!.Text);
        Assert.Equal(first.Text, Store.Read(path, first.Revision)!.Text);
        Assert.Equal(first.Text, Store.Read(path, first.Revision[..8])!.Text);
        Assert.Null(Store.Read(path, "main"));
        Assert.Null(Store.Read(path, "HEAD"));
    }

    [Fact]
    public async Task Rename_MovesPageLeavesRedirectAndHistoryFollows()
    {
        var from = PagePath.Parse("procedures/leefloon-aanvragen");
        var to = PagePath.Parse("procedures/leefloon");
        var page = Store.Read(from)!;
        await Store.SaveAsync(TestRepository.Request(from.Value, page.Text + "\nExtra.\n", baseRevision: page.Revision, summary: "extra"));

        var result = await Store.RenameAsync(from, to, TestRepository.Bert, "hernoemd");

        Assert.IsType<SaveResult.Saved>(result);
        Assert.False(Store.Exists(from));
        Assert.True(Store.Exists(to));
        Assert.Equal(to, Store.ResolveRedirect(from));
        var history = Store.History(to);
        Assert.Equal([ChangeKind.Renamed, ChangeKind.Modified, ChangeKind.Added], history.Select(h => h.Kind));
        Assert.Equal(from, history[0].OldPath);
        Assert.Equal(from, history[1].Path);

        // A second rename rewrites the first redirect; re-creating the old page removes its redirect.
        var final = PagePath.Parse("procedures/leefloon-nieuw");
        await Store.RenameAsync(to, final, TestRepository.Bert, "nog eens");
        Assert.Equal(final, Store.ResolveRedirect(from));
        Assert.Equal(3 + 1, Store.History(final).Count);
        await Store.SaveAsync(TestRepository.Request(from.Value, "# Opnieuw\n"));
        Assert.Null(Store.ResolveRedirect(from));

        var rejected = await Store.RenameAsync(final, PagePath.Parse("index"), TestRepository.Bert, "botsing");
        Assert.Equal(SaveError.AlreadyExists, Assert.IsType<SaveResult.Rejected>(rejected).Error);
    }

    [Fact]
    public async Task Save_AfterRenameFromOldBase_MergesIntoTheRenamedPage()
    {
        var from = PagePath.Parse("procedures/leefloon-aanvragen");
        var page = Store.Read(from)!;
        await Store.RenameAsync(from, PagePath.Parse("procedures/leefloon"), TestRepository.Bert, "hernoemd");

        var result = await Store.SaveAsync(TestRepository.Request(from.Value, page.Text.Replace("Stap 1.", "Stap één.", StringComparison.Ordinal), baseRevision: page.Revision));

        Assert.IsType<SaveResult.Merged>(result);
        Assert.Contains("Stap één.", Store.Read(PagePath.Parse("procedures/leefloon"))!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ThenRestore_BringsThePageBackAsNewCommit()
    {
        var path = PagePath.Parse("procedures/leefloon-aanvragen");
        var original = Store.Read(path)!;
        await Store.DeleteAsync(path, TestRepository.Bert, "weg ermee");
        Assert.False(Store.Exists(path));
        Assert.Contains(Store.DeletedPages(), c => c.Path == path);

        var restored = await Store.RestoreAsync(path, original.Revision, TestRepository.Ann, "terug");

        Assert.IsType<SaveResult.Saved>(restored);
        Assert.Equal(original.Text, Store.Read(path)!.Text);
        Assert.Equal([ChangeKind.Restored, ChangeKind.Deleted, ChangeKind.Added], Store.History(path).Select(c => c.Kind));
        Assert.Contains("Handbook-Restored-From: " + original.Revision, _repo.Git("log -1 --format=%B main"), StringComparison.Ordinal);
        Assert.Empty(Store.DeletedPages());
    }

    [Fact]
    public async Task RecentChanges_FiltersByAuthorFolderPeriodAndKind_AndPages()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.SaveAsync(TestRepository.Request($"werking/pagina-{i}", $"tekst {i}\n", i % 2 == 0 ? TestRepository.Ann : TestRepository.Bert, $"pagina {i}"));
        }

        await Store.SaveAsync(TestRepository.Request("procedures/nieuw", "x\n", TestRepository.Bert, "nieuw"));

        var all = Store.RecentChanges(new ChangeQuery(Take: 100));
        Assert.Equal(2 + 6, all.Items.Count);
        Assert.Equal("nieuw", all.Items[0].Summary);

        Assert.Equal(3, Store.RecentChanges(new ChangeQuery(Author: "bert")).Items.Count);
        Assert.Equal(5, Store.RecentChanges(new ChangeQuery(Folder: "werking")).Items.Count);
        Assert.Empty(Store.RecentChanges(new ChangeQuery(Since: DateTimeOffset.Now.AddMinutes(5))).Items);
        Assert.Equal(8, Store.RecentChanges(new ChangeQuery(Since: DateTimeOffset.Now.AddMinutes(-5))).Items.Count);
        Assert.Equal(8, Store.RecentChanges(new ChangeQuery(Kinds: new HashSet<ChangeKind> { ChangeKind.Added })).Items.Count);

        var page1 = Store.RecentChanges(new ChangeQuery(Take: 3));
        var page2 = Store.RecentChanges(new ChangeQuery(Skip: 3, Take: 3));
        Assert.True(page1.HasMore);
        Assert.Empty(page1.Items.Select(c => c.Path).Intersect(page2.Items.Select(c => c.Path)));
        Assert.False(Store.RecentChanges(new ChangeQuery(Skip: 6, Take: 3)).HasMore);
    }

    [Fact]
    public async Task Activity_CountsPagesPeopleAndChangesPerSection_AndFollowsNewCommits()
    {
        await Store.SaveAsync(TestRepository.Request("werking/a", "a\n", TestRepository.Ann, "a"));
        await Store.SaveAsync(TestRepository.Request("werking/b", "b\n", TestRepository.Bert, "b"));
        await Store.SaveAsync(TestRepository.Request("werking/a", "a2\n", TestRepository.Ann, "a2", Store.Read(PagePath.Parse("werking/a"))!.Revision));

        var rows = Store.Activity(null, null);
        var werking = Assert.Single(rows, r => r.Section == "werking");
        Assert.Equal(new SectionActivity("werking", Pages: 2, People: 2, Changes: 3), werking);
        Assert.Equal("werking", rows[0].Section);
        Assert.Equal(new SectionActivity("", Pages: 1, People: 1, Changes: 1), Assert.Single(rows, r => r.Section == ""));
        Assert.Same(rows, Store.Activity(null, null));
        Assert.Equal(2, Store.Activity(null, null, max: 2).Single().Changes);
        Assert.Empty(Store.Activity(DateTimeOffset.Now.AddMinutes(5), null));

        // A commit made beside the app (git CLI) is counted at the next request.
        var clone = Path.Combine(_repo.Root, "activity-clone");
        TestRepository.RunGit(_repo.Root, $"clone -q \"{_repo.RepositoryPath}\" activity-clone");
        File.WriteAllText(Path.Combine(clone, "werking", "c.md"), "c\n");
        TestRepository.RunGit(clone, "add -A");
        TestRepository.RunGit(clone, "-c user.name=\"Power Gebruiker\" -c user.email=power@stad.example commit -q -m \"c\"");
        TestRepository.RunGit(clone, "push -q origin HEAD:main");
        Assert.Equal(new SectionActivity("werking", Pages: 3, People: 3, Changes: 4), Store.Activity(null, null).Single(r => r.Section == "werking"));
    }

    [Fact]
    public async Task Diff_ShowsOnlyTheChangedLine()
    {
        var path = PagePath.Parse("procedures/leefloon-aanvragen");
        var page = Store.Read(path)!;
        var saved = (SaveResult.Saved)await Store.SaveAsync(TestRepository.Request(path.Value, page.Text.Replace("Stap 2.", "Stap twee.", StringComparison.Ordinal), baseRevision: page.Revision));

        var diff = Store.Diff(path, page.Revision, saved.Revision)!;

        Assert.Equal(1, diff.LinesAdded);
        Assert.Equal(1, diff.LinesDeleted);
        Assert.Contains("-Stap 2.", diff.Patch, StringComparison.Ordinal);
        Assert.Contains("+Stap twee.", diff.Patch, StringComparison.Ordinal);
        Assert.Equal(page.Text, diff.FromText);
        Assert.Null(Store.Diff(path, "nope", saved.Revision));
    }

    [Fact]
    public async Task Blame_AttributesEachLineToItsLastChange()
    {
        var path = PagePath.Parse("procedures/leefloon-aanvragen");
        var page = Store.Read(path)!;
        var second = (SaveResult.Saved)await Store.SaveAsync(TestRepository.Request(path.Value, page.Text.Replace("Stap 2.", "Stap twee.", StringComparison.Ordinal), TestRepository.Bert, "twee", page.Revision));
        await Store.RenameAsync(path, PagePath.Parse("procedures/leefloon"), TestRepository.Ann, "hernoemd");

        var blame = Store.Blame(PagePath.Parse("procedures/leefloon"));

        Assert.Equal(page.Text.Split('\n').Length - 1, blame.Count);
        var changed = Assert.Single(blame, l => l.Text == "Stap twee.");
        Assert.Equal(second.Revision, changed.Change.Revision);
        Assert.Equal("Bert Voorbeeld", changed.Change.Author.Name);
        Assert.All(blame.Where(l => l.Text != "Stap twee."), l => Assert.Equal(page.Revision, l.Change.Revision));
    }

    [Fact]
    public async Task Attachments_AreStoredBesideThePages()
    {
        Assert.True(AttachmentPath.TryParse("procedures/leefloon-aanvragen/schema.png", out var path, out _));
        var bytes = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };
        var result = await Store.SaveAttachmentAsync(path, bytes, TestRepository.Ann, "schema toegevoegd");
        Assert.IsType<SaveResult.Saved>(result);
        Assert.Equal(bytes, Store.ReadAttachment(path));
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), _repo.Git("cat-file -s main:procedures/leefloon-aanvragen/schema.png").Trim());
    }

    [Fact]
    public async Task HistoryIndex_SurvivesRestartFromSnapshotAndCatchesUp()
    {
        await Store.SaveAsync(TestRepository.Request("werking/a", "a\n"));
        _repo.Reopen();
        Assert.True(File.Exists(_repo.IndexPath));
        await Store.SaveAsync(TestRepository.Request("werking/b", "b\n"));
        Assert.Single(Store.History(PagePath.Parse("werking/a")));
        Assert.Single(Store.History(PagePath.Parse("werking/b")));

        // A damaged snapshot is rebuilt from git.
        _repo.Store.Dispose();
        File.WriteAllBytes(_repo.IndexPath, Encoding.UTF8.GetBytes("garbage"));
        _repo.Reopen();
        Assert.Single(Store.History(PagePath.Parse("werking/b")));
        Assert.Equal(4, Store.RecentChanges(new ChangeQuery()).Items.Count);
    }

    [Fact]
    public async Task HistoryIndex_FromItsSnapshot_AndRebuiltFromGit_GivesTheSameChanges()
    {
        // Every kind of change, and a commit made with the git CLI in another time zone.
        var a = PagePath.Parse("werking/a");
        await Store.SaveAsync(TestRepository.Request(a.Value, "a\n", TestRepository.Bert, "eerste versie"));
        var first = Store.Read(a)!;
        await Store.SaveAsync(TestRepository.Request(a.Value, "a, langer\n", baseRevision: first.Revision));
        await Store.RenameAsync(a, PagePath.Parse("werking/b"), TestRepository.Ann, "hernoemd");
        await Store.RestoreAsync(PagePath.Parse("werking/b"), first.Revision, TestRepository.Bert, "terug");
        await Store.DeleteAsync(PagePath.Parse("procedures/leefloon-aanvragen"), TestRepository.Ann, "weg");
        var clone = Path.Combine(_repo.Root, "clone");
        TestRepository.RunGit(_repo.Root, $"clone -q \"{_repo.RepositoryPath}\" clone");
        File.WriteAllText(Path.Combine(clone, "werking", "b.md"), "van buiten\n");
        TestRepository.RunGit(clone, "-c user.name=Extern -c user.email=extern@stad.example commit -q -a --date=2026-03-01T10:15:00+0530 -m \"via git\"");
        TestRepository.RunGit(clone, "push -q origin HEAD:main");

        string Describe(PageChange c) =>
            $"{c.Revision} {c.Path.Value} {c.OldPath?.Value} {c.Kind} {c.Author} {c.When:O} {c.Summary} {c.Size} {c.SizeDelta}";
        List<string> All() =>
        [
            .. Store.RecentChanges(new ChangeQuery(Take: 1000)).Items.Select(Describe),
            .. Store.History(PagePath.Parse("werking/b")).Select(Describe),
            .. Store.DeletedPages().Select(Describe),
        ];
        var live = All();
        Assert.Contains(live, l => l.Contains(" werking/b werking/a Renamed ", StringComparison.Ordinal));
        Assert.Contains(live, l => l.Contains("2026-03-01T10:15:00.0000000+05:30 via git", StringComparison.Ordinal));
        Assert.Equal(_repo.Git("log -1 --format=%H main").Trim(), Store.History(PagePath.Parse("werking/b"))[0].Revision);

        _repo.Reopen(); // from the snapshot written at close
        Assert.Equal(live, All());

        _repo.Store.Dispose();
        File.Delete(_repo.IndexPath);
        _repo.Reopen(); // from git
        Assert.Equal(live, All());
    }

    [Fact]
    public async Task StaleLockFile_FromACrash_DoesNotBlockSaves()
    {
        _repo.Store.Dispose();
        var lockFile = Path.Combine(_repo.RepositoryPath, "refs", "heads", "main.lock");
        // Left by a process killed a moment ago, and the app restarted at once (as systemd does).
        await File.WriteAllTextAsync(lockFile, "0000000000000000000000000000000000000000\n");
        _repo.Reopen();

        var result = await Store.SaveAsync(TestRepository.Request("werking/na-crash", "x\n"));

        Assert.IsType<SaveResult.Saved>(result);
        Assert.False(File.Exists(lockFile));

        // Left behind while the store runs (a git command killed by hand): removed once it is clearly stale.
        await File.WriteAllTextAsync(lockFile, "0000000000000000000000000000000000000000\n");
        File.SetLastWriteTimeUtc(lockFile, DateTime.UtcNow.AddMinutes(-5));
        Assert.IsType<SaveResult.Saved>(await Store.SaveAsync(TestRepository.Request("werking/na-crash", "y\n", baseRevision: Store.Read(PagePath.Parse("werking/na-crash"))!.Revision)));
        Assert.False(File.Exists(lockFile));
    }
}
