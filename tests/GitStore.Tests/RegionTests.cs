namespace Handbook.GitStore.Tests;

/// <summary>
/// A shared (regional) handbook mounted under regio/: a real bare regional repository written by the git CLI (as the
/// region's maintainers or its own instance would), fetched over file://, replayed into a city's store.
/// </summary>
public sealed class RegionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-region-").FullName;
    private readonly string _regionPath;
    private readonly string _work;
    private readonly UpstreamOptions _region;

    public RegionTests()
    {
        _regionPath = Path.Combine(_root, "regio.git");
        Git(_root, "init -q --bare -b main regio.git");
        _work = Path.Combine(_root, "werk");
        Git(_root, $"clone -q \"{_regionPath}\" werk");
        Git(_work, "checkout -q -b main");
        _region = new UpstreamOptions("file://" + _regionPath);
        Write("leefloon.md", "---\ntitle: Leefloon\n---\n# Leefloon\n\nRegel een.\n\nRegel twee.\n\nRegel drie.\n\nRegel vier.\n");
        Write("wetgeving/artikel-60.md", "# Artikel 60\n\nTewerkstelling.\n");
        Write("wetgeving/artikel-60/schema.png", "geen echte afbeelding");
        Write(".handbook/redirects", "oud\tleefloon\n");
        Commit("Eerste gedeelde versie", "Regio Redacteur", "redactie@regio.example");
    }

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

    private static readonly PagePath Leefloon = PagePath.Parse("regio/leefloon");

    [Fact]
    public async Task Import_ReplaysEachRegionalCommit_UnderThePrefix_WithItsAuthorAndMessage()
    {
        Write("leefloon.md", Read("leefloon.md").Replace("Regel twee.", "Regel twee, verduidelijkt.", StringComparison.Ordinal));
        Commit("Leefloon verduidelijkt", "Andere Stad", "iemand@andere-stad.example");
        using var city = City();

        var import = await city.Store.FetchRegionAsync(_region);

        Assert.Equal(2, import.Commits);
        Assert.Equal(Git(_regionPath, "rev-parse main").Trim(), import.RegionalCommit);
        Assert.Contains("verduidelijkt", city.Store.Read(Leefloon)!.Text, StringComparison.Ordinal);
        Assert.NotNull(city.Store.ReadAttachment(Attachment("regio/wetgeving/artikel-60/schema.png")));
        // The region's own bookkeeping stays out; the city's pages are untouched.
        Assert.Equal("", Git(city.RepositoryPath, "ls-tree main regio/.handbook").Trim());
        Assert.Contains("regio/wetgeving", Git(city.RepositoryPath, "ls-tree main regio/"), StringComparison.Ordinal);
        Assert.Contains(PagePath.Parse("procedures/leefloon-aanvragen"), city.Store.ListPages());
        var history = city.Store.History(Leefloon);
        Assert.Equal(["Leefloon verduidelijkt", "Eerste gedeelde versie"], history.Select(c => c.Summary));
        Assert.Equal(["iemand@andere-stad.example", "redactie@regio.example"], history.Select(c => c.Author.Email));
        // A plain git repository: the CLI reads the same.
        Assert.Contains("Andere Stad", Git(city.RepositoryPath, "log -1 --format=%an main -- regio/leefloon.md"), StringComparison.Ordinal);
        Git(city.RepositoryPath, "fsck --strict --no-dangling");

        // Nothing new: nothing done.
        Assert.Equal(0, (await city.Store.FetchRegionAsync(_region)).Commits);
    }

    [Fact]
    public async Task Override_WinsAcrossImports_IsFlaggedWhenTheRegionChangesIt_AndMergesTheChange()
    {
        using var city = City();
        await city.Store.FetchRegionAsync(_region);
        var imported = city.Store.RegionState().Commit!;
        Assert.False(city.Store.RegionalPage(Leefloon)!.Overridden);

        // The city adapts the page: the first lines.
        var ours = Read("leefloon.md").Replace("Regel een.", "Regel een, bij ons met afspraak.", StringComparison.Ordinal);
        Assert.IsType<SaveResult.Saved>(await city.Store.SaveAsync(TestRepository.Request(Leefloon.Value, ours, baseRevision: city.Store.Head)));
        var page = city.Store.RegionalPage(Leefloon)!;
        Assert.Equal(imported, page.OverrideBase);
        Assert.False(page.NeedsReview);

        // The region changes another part of it, and another page.
        Write("leefloon.md", Read("leefloon.md").Replace("Regel vier.", "Regel vier, nieuw sinds de wetswijziging.", StringComparison.Ordinal));
        Write("wetgeving/artikel-60.md", "# Artikel 60\n\nTewerkstelling, aangevuld.\n");
        Commit("Wetswijziging", "Regio Redacteur", "redactie@regio.example");
        await city.Store.FetchRegionAsync(_region);

        // Ours still wins in reading; the change is flagged, with the region's texts before and after.
        Assert.Equal(ours, city.Store.Read(Leefloon)!.Text);
        Assert.Contains("aangevuld", city.Store.Read(PagePath.Parse("regio/wetgeving/artikel-60"))!.Text, StringComparison.Ordinal);
        page = city.Store.RegionalPage(Leefloon)!;
        Assert.True(page.ChangedInRegion);
        Assert.DoesNotContain("wetswijziging", city.Store.RegionalText(Leefloon, page.OverrideBase)!, StringComparison.Ordinal);
        Assert.Contains("wetswijziging", city.Store.RegionalText(Leefloon)!, StringComparison.Ordinal);
        Assert.Single(city.Store.RegionalOverrides(), o => o.NeedsReview);

        // Taking the change: both edits in one text, the flag gone, still ours.
        var merged = Assert.IsType<SaveResult.Merged>(await city.Store.MergeFromRegionAsync(Leefloon, TestRepository.Ann, "Wijziging van de regio overgenomen"));
        Assert.Contains("bij ons met afspraak", merged.MergedText, StringComparison.Ordinal);
        Assert.Contains("nieuw sinds de wetswijziging", merged.MergedText, StringComparison.Ordinal);
        page = city.Store.RegionalPage(Leefloon)!;
        Assert.True(page.Overridden);
        Assert.False(page.NeedsReview);
        Assert.Equal(merged.MergedText, city.Store.Read(Leefloon)!.Text);
    }

    [Fact]
    public async Task AnAdaptationInAFolder_StaysThroughRegionalCommitsToItsFolderAndOthers()
    {
        Write("wetgeving/artikel-61.md", "# Artikel 61\n");
        Commit("Artikel 61", "Regio Redacteur", "redactie@regio.example");
        using var city = City();
        await city.Store.FetchRegionAsync(_region);
        var adapted = PagePath.Parse("regio/wetgeving/artikel-60");
        await city.Store.SaveAsync(TestRepository.Request(adapted.Value, "# Artikel 60 bij ons\n", baseRevision: city.Store.Head));

        // Three regional commits: another page of the same folder, a page elsewhere, the folder's page again.
        Write("wetgeving/artikel-61.md", "# Artikel 61, gewijzigd\n");
        Commit("61", "Regio Redacteur", "redactie@regio.example");
        Write("leefloon.md", "# Leefloon, gewijzigd\n");
        Commit("leefloon", "Regio Redacteur", "redactie@regio.example");
        Write("wetgeving/artikel-61.md", "# Artikel 61, nog eens\n");
        Commit("61 nog eens", "Regio Redacteur", "redactie@regio.example");
        Assert.Equal(3, (await city.Store.FetchRegionAsync(_region)).Commits);

        Assert.Equal("# Artikel 60 bij ons\n", city.Store.Read(adapted)!.Text);
        Assert.Equal("# Artikel 61, nog eens\n", city.Store.Read(PagePath.Parse("regio/wetgeving/artikel-61"))!.Text);
        Assert.Equal("# Leefloon, gewijzigd\n", city.Store.Read(Leefloon)!.Text);
        Assert.NotNull(city.Store.ReadAttachment(Attachment("regio/wetgeving/artikel-60/schema.png")));
        // Each replayed commit changed only what its regional commit changed.
        Assert.Equal(["61 nog eens", "61", "Artikel 61"], city.Store.History(PagePath.Parse("regio/wetgeving/artikel-61")).Select(c => c.Summary));
        Assert.Equal(["wijziging", "Eerste gedeelde versie"], city.Store.History(adapted).Select(c => c.Summary));
        Assert.False(city.Store.RegionalPage(adapted)!.NeedsReview);
    }

    [Fact]
    public async Task OverlappingChanges_AreAConflict_ThenKeepOrFollow()
    {
        using var city = City();
        await city.Store.FetchRegionAsync(_region);
        var ours = Read("leefloon.md").Replace("Regel twee.", "Regel twee, zoals wij het doen.", StringComparison.Ordinal);
        await city.Store.SaveAsync(TestRepository.Request(Leefloon.Value, ours, baseRevision: city.Store.Head));
        Write("leefloon.md", Read("leefloon.md").Replace("Regel twee.", "Regel twee, zoals de regio het wil.", StringComparison.Ordinal));
        Commit("Regel twee", "Regio Redacteur", "redactie@regio.example");
        await city.Store.FetchRegionAsync(_region);
        var head = city.Store.Head;

        var conflict = Assert.IsType<SaveResult.Conflict>(await city.Store.MergeFromRegionAsync(Leefloon, TestRepository.Ann, "overnemen"));
        Assert.Contains("zoals de regio het wil", conflict.Theirs, StringComparison.Ordinal);
        Assert.Contains("zoals wij het doen", conflict.Mine, StringComparison.Ordinal);
        Assert.Equal(head, city.Store.Head);

        // Keep ours: seen, not changed.
        Assert.IsType<SaveResult.Saved>(await city.Store.KeepAdaptationAsync(Leefloon, TestRepository.Ann, "Onze versie blijft"));
        Assert.False(city.Store.RegionalPage(Leefloon)!.NeedsReview);
        Assert.Equal(ours, city.Store.Read(Leefloon)!.Text);

        // Follow the region: the shared text, no adaptation any more; ours stays in history.
        Assert.IsType<SaveResult.Saved>(await city.Store.FollowRegionAsync(Leefloon, TestRepository.Ann, "Gedeelde versie"));
        Assert.False(city.Store.RegionalPage(Leefloon)!.Overridden);
        Assert.Equal(Read("leefloon.md"), city.Store.Read(Leefloon)!.Text);
        Assert.Empty(city.Store.RegionalOverrides());
        Assert.Contains(city.Store.History(Leefloon), c => c.Summary == "wijziging");
    }

    [Fact]
    public async Task SharedPages_CannotBeCreatedRenamedDeletedOrGivenFiles_OnlyAdapted()
    {
        using var city = City();
        // Before the first import the folder is reserved too.
        Assert.Equal(SaveError.Shared, Rejected(await city.Store.SaveAsync(TestRepository.Request("regio/eigen", "# Eigen\n"))));
        await city.Store.FetchRegionAsync(_region);
        var head = city.Store.Head;

        Assert.Equal(SaveError.Shared, Rejected(await city.Store.SaveAsync(TestRepository.Request("regio/nieuw", "# Nieuw\n"))));
        Assert.Equal(SaveError.Shared, Rejected(await city.Store.RenameAsync(Leefloon, PagePath.Parse("werking/leefloon"), TestRepository.Ann, "weg")));
        Assert.Equal(SaveError.Shared, Rejected(await city.Store.RenameAsync(PagePath.Parse("procedures/leefloon-aanvragen"), PagePath.Parse("regio/leefloon-aanvragen"), TestRepository.Ann, "erin")));
        Assert.Equal(SaveError.Shared, Rejected(await city.Store.DeleteAsync(Leefloon, TestRepository.Ann, "weg")));
        Assert.Equal(SaveError.Shared, Rejected(await city.Store.SaveAttachmentAsync(Attachment("regio/leefloon/foto.png"), [1, 2, 3], TestRepository.Ann, "foto")));
        Assert.Equal(head, city.Store.Head);

        // Saving the region's own text is no adaptation.
        Assert.IsType<SaveResult.Unchanged>(await city.Store.SaveAsync(TestRepository.Request(Leefloon.Value, Read("leefloon.md"), baseRevision: head)));
        // An adaptation saved back to the region's text is none any more.
        await city.Store.SaveAsync(TestRepository.Request(Leefloon.Value, "# Anders\n", baseRevision: head));
        Assert.True(city.Store.RegionalPage(Leefloon)!.Overridden);
        await city.Store.SaveAsync(TestRepository.Request(Leefloon.Value, Read("leefloon.md"), baseRevision: city.Store.Head));
        Assert.False(city.Store.RegionalPage(Leefloon)!.Overridden);
    }

    [Fact]
    public async Task Proposal_IsABranchOnTheRegion_NeverItsMainBranch()
    {
        using var city = City();
        await city.Store.FetchRegionAsync(_region);
        var regionalMain = Git(_regionPath, "rev-parse main").Trim();
        var ours = Read("leefloon.md").Replace("Regel drie.", "Regel drie, duidelijker: zie [[regio/wetgeving/artikel-60]].", StringComparison.Ordinal);
        await city.Store.SaveAsync(TestRepository.Request(Leefloon.Value, ours, baseRevision: city.Store.Head));

        var proposal = await city.Store.ProposeToRegionAsync(_region, Leefloon, TestRepository.Ann, "Regel drie duidelijker", "Mechelen");

        Assert.NotNull(proposal);
        Assert.StartsWith("voorstel/mechelen/leefloon-", proposal.Branch, StringComparison.Ordinal);
        Assert.Equal(regionalMain, Git(_regionPath, "rev-parse main").Trim());
        Assert.Equal(proposal.Commit, Git(_regionPath, $"rev-parse {proposal.Branch}").Trim());
        Assert.Equal(regionalMain, Git(_regionPath, $"rev-parse {proposal.Branch}~1").Trim());
        // As the region names its pages: the link to another shared page without the city's folder.
        Assert.Equal(ours.Replace("[[regio/", "[[", StringComparison.Ordinal), Git(_regionPath, $"show {proposal.Branch}:leefloon.md"));
        Assert.Contains("An Testpersoon", Git(_regionPath, $"log -1 --format=%an {proposal.Branch}"), StringComparison.Ordinal);
        Assert.Contains("Voorgesteld door Mechelen", Git(_regionPath, $"log -1 --format=%B {proposal.Branch}"), StringComparison.Ordinal);
        // Only leefloon.md differs from main.
        Assert.Equal("leefloon.md", Git(_regionPath, $"diff --name-only main {proposal.Branch}").Trim());

        // Nothing to offer when the text is the region's.
        Assert.Null(await city.Store.ProposeToRegionAsync(_region, PagePath.Parse("regio/wetgeving/artikel-60"), TestRepository.Ann, "niets", "Mechelen"));
    }

    [Fact]
    public async Task RewrittenRegionalHistory_IsImportedAsOneCommit_AndAdaptationsStay()
    {
        using var city = City();
        await city.Store.FetchRegionAsync(_region);
        await city.Store.SaveAsync(TestRepository.Request(Leefloon.Value, "# Bij ons\n", baseRevision: city.Store.Head));

        Write("wetgeving/artikel-60.md", "# Artikel 60\n\nHerschreven.\n");
        Git(_work, "add -A");
        Git(_work, "-c user.name=Beheer -c user.email=beheer@regio.example commit -q --amend -m \"Opnieuw begonnen\"");
        Git(_work, "push -q --force origin main");

        var import = await city.Store.FetchRegionAsync(_region);

        Assert.True(import.HistoryRewritten);
        Assert.Equal(1, import.Commits);
        Assert.Contains("Herschreven", city.Store.Read(PagePath.Parse("regio/wetgeving/artikel-60"))!.Text, StringComparison.Ordinal);
        Assert.Equal("# Bij ons\n", city.Store.Read(Leefloon)!.Text);
    }

    [Fact]
    public async Task UnreachableRegion_Throws_AndTheSharedPartStaysAsImported()
    {
        using var city = City();
        await city.Store.FetchRegionAsync(_region);
        var head = city.Store.Head;

        await Assert.ThrowsAnyAsync<Exception>(() => city.Store.FetchRegionAsync(new UpstreamOptions("file://" + Path.Combine(_root, "weg.git"))));

        Assert.Equal(head, city.Store.Head);
        Assert.NotNull(city.Store.Read(Leefloon));
    }

    [Fact]
    public async Task AFolderOfTheCitysOwn_IsNeverReplaced()
    {
        using var city = new TestRepository();
        await city.Store.SaveAsync(TestRepository.Request("regio/eigen-pagina", "# Eigen\n"));
        city.Store.Dispose();
        using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = city.RepositoryPath, Region = new RegionMount("regio") });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.FetchRegionAsync(_region));

        Assert.Contains("Handbook:Region:Prefix", error.Message, StringComparison.Ordinal);
        Assert.NotNull(store.Read(PagePath.Parse("regio/eigen-pagina")));
    }

    [Fact]
    public async Task AnInstanceThatDoesNotImport_ReadsTheSharedPartFromTheBranch_AndFetchesTheRegionalCommitsItNames()
    {
        // Instance A imports; the region changes a page A adapted; A imports again.
        using var a = City();
        await a.Store.FetchRegionAsync(_region);
        await a.Store.SaveAsync(TestRepository.Request(Leefloon.Value, Read("leefloon.md").Replace("Regel een.", "Regel een, bij ons.", StringComparison.Ordinal), baseRevision: a.Store.Head));
        Write("leefloon.md", Read("leefloon.md").Replace("Regel vier.", "Regel vier, gewijzigd.", StringComparison.Ordinal));
        Commit("Regel vier", "Regio Redacteur", "redactie@regio.example");
        await a.Store.FetchRegionAsync(_region);

        // Instance B has the city's branch only (as from the city's upstream): none of the regional commits.
        var bPath = Path.Combine(_root, "b.git");
        Git(_root, $"clone -q --bare --no-local --single-branch -b main \"{a.RepositoryPath}\" b.git"); // --no-local: only what main reaches
        using var b = PageStore.Open(new PageStoreOptions { RepositoryPath = bPath, Region = new RegionMount("regio"), IsProtected = TestRepository.IsProtected });
        var page = b.RegionalPage(Leefloon)!;
        Assert.True(page.Overridden);
        Assert.False(page.NeedsReview); // not known yet: never a false "removed"
        Assert.False(b.RegionalPage(PagePath.Parse("regio/wetgeving/artikel-60"))!.RemovedInRegion);
        // Adapting and refusing work from the branch alone.
        Assert.IsType<SaveResult.Saved>(await b.SaveAsync(TestRepository.Request("regio/wetgeving/artikel-60", "# Bij B\n", baseRevision: b.Head)));
        Assert.Equal(SaveError.Shared, Rejected(await b.SaveAsync(TestRepository.Request("regio/nieuw", "# Nieuw\n"))));

        // B fetches without importing: nothing replayed, and now it knows what the region changed.
        var head = b.Head;
        Assert.Equal(0, (await b.FetchRegionAsync(_region, import: false)).Commits);
        Assert.Equal(head, b.Head);
        Assert.True(b.RegionalPage(Leefloon)!.ChangedInRegion);
        var merged = Assert.IsType<SaveResult.Merged>(await b.MergeFromRegionAsync(Leefloon, TestRepository.Bert, "overgenomen"));
        Assert.Contains("bij ons", merged.MergedText, StringComparison.Ordinal);
        Assert.Contains("Regel vier, gewijzigd.", merged.MergedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_KeepsTheRegionalCommits_AnAdaptationKnowsItsBaseAfterARestore()
    {
        using var city = City();
        await city.Store.FetchRegionAsync(_region);
        await city.Store.SaveAsync(TestRepository.Request(Leefloon.Value, "# Bij ons\n", baseRevision: city.Store.Head));
        var bundle = Path.Combine(_root, "stad.bundle");
        RepositoryBackup.Create(city.RepositoryPath, bundle);
        var restoredPath = Path.Combine(_root, "hersteld", "handbook.git");
        RepositoryBackup.Restore(bundle, restoredPath);

        // The regional commits stay referenced (a gc would prune them otherwise: the replayed commits hold only their trees).
        Assert.Equal(Git(_regionPath, "rev-parse main").Trim(), Git(restoredPath, "rev-parse refs/remotes/region/main").Trim());
        Git(restoredPath, "gc --quiet --prune=now");

        // Without a fetch (the region may be down after a restore): the adaptation, its base and the shared text.
        using var restored = PageStore.Open(new PageStoreOptions { RepositoryPath = restoredPath, Region = new RegionMount("regio") });
        var page = restored.RegionalPage(Leefloon)!;
        Assert.True(page.Overridden);
        Assert.False(page.NeedsReview);
        Assert.Equal(Read("leefloon.md"), restored.RegionalText(Leefloon));
        Assert.Equal(0, (await restored.ImportRegionAsync()).Commits);
    }

    private static AttachmentPath Attachment(string path) =>
        AttachmentPath.TryParse(path, out var attachment, out var error) ? attachment : throw new ArgumentException(error.ToString());

    [Fact]
    public async Task LongRegionalHistory_IsImportedInBatches_WhileSavesGoOn()
    {
        // 450 more regional commits, written with git fast-import on top of the region's branch.
        var head = Git(_regionPath, "rev-parse main").Trim();
        var stream = new System.Text.StringBuilder();
        for (var i = 0; i < 450; i++)
        {
            var text = $"# Reeks\n\nVersie {i}.\n";
            stream.Append("commit refs/heads/main\n")
                .Append($"author Regio Redacteur <redactie@regio.example> {1_700_000_000 + i} +0100\n")
                .Append($"committer Regio <regio@regio.example> {1_700_000_000 + i} +0100\n")
                .Append($"data {$"Reeks {i}".Length}\nReeks {i}\n");
            if (i == 0)
            {
                stream.Append($"from {head}\n");
            }

            stream.Append($"M 100644 inline reeks/pagina-{i % 9}.md\ndata {System.Text.Encoding.UTF8.GetByteCount(text)}\n{text}\n");
        }

        using (var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "fast-import --quiet") { WorkingDirectory = _regionPath, RedirectStandardInput = true })!)
        {
            git.StandardInput.Write(stream.ToString());
            git.StandardInput.Close();
            git.WaitForExit();
            Assert.Equal(0, git.ExitCode);
        }

        using var city = City();
        var import = city.Store.FetchRegionAsync(_region);
        var save = city.Store.SaveAsync(TestRepository.Request("werking/tijdens-import", "# Tijdens de import\n"));
        Assert.IsType<SaveResult.Saved>(await save);
        var done = await import;

        Assert.Equal(451, done.Commits);
        Assert.Equal(Git(_regionPath, "rev-parse main").Trim(), city.Store.RegionState().Commit);
        Assert.Equal(50, city.Store.History(PagePath.Parse("regio/reeks/pagina-0"), 0, 1000).Count);
        Assert.Equal("Versie 449.", city.Store.Read(PagePath.Parse("regio/reeks/pagina-8"))!.Text.Split('\n')[2]);
        Assert.NotNull(city.Store.Read(PagePath.Parse("werking/tijdens-import")));
        Assert.Equal(451, int.Parse(Git(city.RepositoryPath, $"rev-list --count --grep={PageStore.RegionCommitTrailer} main"), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static SaveError Rejected(SaveResult result) => Assert.IsType<SaveResult.Rejected>(result).Error;

    private CityRepository City() => new(new RegionMount("regio"));

    private string Read(string file) => File.ReadAllText(Path.Combine(_work, file));

    private void Write(string file, string text)
    {
        var full = Path.Combine(_work, file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private void Commit(string message, string name, string email)
    {
        Git(_work, "add -A");
        Git(_work, $"-c user.name=\"{name}\" -c user.email={email} commit -q -m \"{message}\"");
        Git(_work, "push -q origin main");
    }

    private static string Git(string dir, string args) => TestRepository.RunGit(dir, args);

    /// <summary>A city's store (the seeded test handbook) with the region mounted.</summary>
    private sealed class CityRepository : IDisposable
    {
        private readonly TestRepository _seeded = new();

        public CityRepository(RegionMount mount)
        {
            _seeded.Store.Dispose();
            Store = PageStore.Open(new PageStoreOptions
            {
                RepositoryPath = _seeded.RepositoryPath,
                IndexPath = _seeded.IndexPath,
                IsProtected = TestRepository.IsProtected,
                Region = mount,
            });
        }

        public PageStore Store { get; }

        public string RepositoryPath => _seeded.RepositoryPath;

        public void Dispose()
        {
            Store.Dispose();
            _seeded.Dispose();
        }
    }
}
