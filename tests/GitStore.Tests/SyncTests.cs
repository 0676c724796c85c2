namespace Handbook.GitStore.Tests;

/// <summary>Sync against a real bare upstream repository over file:// and the git CLI as the power user.</summary>
public sealed class SyncTests : IDisposable
{
    private readonly TestRepository _local = new();
    private readonly string _upstreamPath;
    private readonly UpstreamOptions _upstream;

    public SyncTests()
    {
        _upstreamPath = Path.Combine(_local.Root, "upstream.git");
        TestRepository.RunGit(_local.Root, $"clone -q --bare \"{_local.RepositoryPath}\" upstream.git");
        _upstream = new UpstreamOptions("file://" + _upstreamPath);
    }

    public void Dispose() => _local.Dispose();

    private string UpstreamTip => TestRepository.RunGit(_upstreamPath, "rev-parse main").Trim();

    [Fact]
    public void UpstreamOptions_NeverShowTheirCredentials()
    {
        var options = new UpstreamOptions("https://bot:in-url-secret@git.stad.example/handbook.git", "bot", "token-secret");
        Assert.Equal("https://git.stad.example/handbook.git", options.DisplayUrl);
        Assert.Equal(options.DisplayUrl, options.ToString());
        Assert.DoesNotContain("secret", $"{options}", StringComparison.Ordinal);
    }

    [Fact]
    public void NewRepository_StartsFromUpstreamInsteadOfItsSeed()
    {
        using var store = PageStore.Open(new PageStoreOptions
        {
            RepositoryPath = Path.Combine(_local.Root, "second.git"),
            SeedPath = Path.Combine(_local.Root, "no-such-seed-would-fail"),
            Upstream = _upstream,
        });
        Assert.Equal(UpstreamTip, store.Head);
    }

    [Fact]
    public async Task SaveThenPush_PutsTheCommitUpstream()
    {
        var saved = (SaveResult.Saved)await _local.Store.SaveAsync(TestRepository.Request("werking/nieuw", "# Nieuw\n"));
        await _local.Store.PushAsync(_upstream);
        Assert.Equal(saved.Revision, UpstreamTip);
        Assert.True(_local.Store.IsPushed());
    }

    [Fact]
    public async Task CommitPushedUpstreamWithGit_AppearsWithItsAuthor()
    {
        var clone = PowerUserClone();
        File.WriteAllText(Path.Combine(clone, "procedures", "via-git.md"), "# Via git\n");
        TestRepository.RunGit(clone, "add -A");
        TestRepository.RunGit(clone, "-c user.name=\"Power Gebruiker\" -c user.email=power@stad.example commit -q -m \"Via git\"");
        TestRepository.RunGit(clone, "push -q origin HEAD:main");

        var result = await _local.Store.FetchAndIntegrateAsync(_upstream);

        Assert.Equal(Integration.FastForward, result);
        Assert.Equal("# Via git\n", _local.Store.Read(PagePath.Parse("procedures/via-git"))!.Text);
        Assert.Equal("Power Gebruiker", _local.Store.LastChange(PagePath.Parse("procedures/via-git"))!.Author.Name);
    }

    [Fact]
    public async Task SameLinesChangedOnBothSides_KeepsUpstreamText_FlagsThePage_AndLosesNothing()
    {
        var path = PagePath.Parse("procedures/leefloon-aanvragen");
        var clone = PowerUserClone();
        var file = Path.Combine(clone, "procedures", "leefloon-aanvragen.md");
        File.WriteAllText(file, File.ReadAllText(file).Replace("Stap 2.", "Stap 2 (upstream).", StringComparison.Ordinal));
        TestRepository.RunGit(clone, "-c user.name=Upstream -c user.email=up@stad.example commit -q -am \"upstream\"");
        TestRepository.RunGit(clone, "push -q origin HEAD:main");
        var page = _local.Store.Read(path)!;
        Assert.IsType<SaveResult.Saved>(await _local.Store.SaveAsync(TestRepository.Request(path.Value, page.Text.Replace("Stap 2.", "Stap 2 (lokaal).", StringComparison.Ordinal), baseRevision: page.Revision)));
        await _local.Store.SaveAsync(TestRepository.Request("werking/alleen-lokaal", "lokaal\n"));

        var result = await _local.Store.FetchAndIntegrateAsync(_upstream);

        Assert.Equal(Integration.Merged, result);
        Assert.Contains("Stap 2 (upstream).", _local.Store.Read(path)!.Text, StringComparison.Ordinal);
        Assert.True(_local.Store.Exists(PagePath.Parse("werking/alleen-lokaal")));
        var conflict = _local.Store.SyncConflicts()[path];
        Assert.Contains("Stap 2 (lokaal).", _local.Store.Read(path, conflict.LocalRevision)!.Text, StringComparison.Ordinal);

        // An editor resolves it in the normal editor: the save clears the flag; then both sides converge.
        var current = _local.Store.Read(path)!;
        await _local.Store.SaveAsync(TestRepository.Request(path.Value, current.Text.Replace("Stap 2 (upstream).", "Stap 2 (samen).", StringComparison.Ordinal), baseRevision: current.Revision));
        Assert.Empty(_local.Store.SyncConflicts());
        await _local.Store.PushAsync(_upstream);
        Assert.Equal(_local.Store.Head, UpstreamTip);
        _local.Git("fsck --strict --no-dangling");
    }

    [Fact]
    public async Task TwoInstancesWithOneUpstream_Converge()
    {
        using var second = new TestRepository(seed: false);
        TestRepository.RunGit(second.Root, $"clone -q --bare \"{_upstreamPath}\" other.git");
        using var other = PageStore.Open(new PageStoreOptions { RepositoryPath = Path.Combine(second.Root, "other.git") });

        await _local.Store.SaveAsync(TestRepository.Request("werking/van-een", "een\n"));
        await other.SaveAsync(TestRepository.Request("werking/van-twee", "twee\n", TestRepository.Bert));
        foreach (var store in new[] { _local.Store, other, _local.Store })
        {
            await store.FetchAndIntegrateAsync(_upstream);
            await store.PushAsync(_upstream);
        }

        Assert.Equal(_local.Store.Head, other.Head);
        foreach (var store in new[] { _local.Store, other })
        {
            Assert.True(store.Exists(PagePath.Parse("werking/van-een")));
            Assert.True(store.Exists(PagePath.Parse("werking/van-twee")));
        }
    }

    [Fact]
    public async Task UpstreamUnreachable_SavesStillWork_AndArePushedOnceItIsBack()
    {
        var away = _upstreamPath + ".away";
        Directory.Move(_upstreamPath, away);
        var saved = await _local.Store.SaveAsync(TestRepository.Request("werking/offline", "offline\n"));
        Assert.IsType<SaveResult.Saved>(saved);
        await Assert.ThrowsAnyAsync<Exception>(() => _local.Store.PushAsync(_upstream));

        Directory.Move(away, _upstreamPath);
        await _local.Store.FetchAndIntegrateAsync(_upstream);
        await _local.Store.PushAsync(_upstream);
        Assert.Equal(((SaveResult.Saved)saved).Revision, UpstreamTip);
    }

    private string PowerUserClone()
    {
        var clone = Path.Combine(_local.Root, "power-" + Guid.NewGuid().ToString("N")[..6]);
        TestRepository.RunGit(_local.Root, $"clone -q \"{_upstreamPath}\" \"{clone}\"");
        return clone;
    }
}
