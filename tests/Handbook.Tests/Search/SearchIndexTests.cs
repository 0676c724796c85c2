using System.Diagnostics;
using Handbook.GitStore;
using Handbook.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Search;

/// <summary>The index follows the branch: saves in the app, pushes with the git CLI, deletions, glossary edits.</summary>
public sealed class SearchIndexTests : IAsyncLifetime
{
    private static readonly Author Worker = new("An Testpersoon", "an@stad.example");
    private readonly HandbookFactory _app = new();
    private SearchIndex _index = null!;
    private PageStore _store = null!;

    public async Task InitializeAsync()
    {
        _index = _app.Services.GetRequiredService<SearchIndex>();
        _store = _app.Services.GetRequiredService<PageStore>();
        // Wait for the build the app started in the background.
        await _index.UpdateAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<IReadOnlyList<string>> Find(string text, string? section = null, string? doelgroep = null, string? owner = null) =>
        (await _index.SearchAsync(new SearchRequest(text, section, doelgroep, owner))).Hits.Select(h => h.Path.Value).ToList();

    [Fact]
    public async Task StartUp_BuildsTheIndexOnDiskUnderTheDataFolder()
    {
        Assert.True(_index.IsCurrent);
        Assert.Equal(Path.Combine(_app.DataPath, "search"), _index.IndexPath);
        Assert.NotEmpty(Directory.GetFiles(_index.IndexPath, "segments*"));
        Assert.Equal(_store.ListPages().Count, _index.Status.Pages);
    }

    [Fact]
    public async Task SavedPage_IsFoundAtOnce()
    {
        Assert.Empty(await Find("groeipakket"));
        var path = PagePath.Parse("procedures/kinderbijslag");
        await _store.SaveAsync(new SaveRequest(path, "---\ntitle: Kinderbijslag\n---\nHet groeipakket vervangt de kinderbijslag.\n", Worker, "Nieuw", null));

        var results = await _index.SearchAsync(new SearchRequest("groeipakket"));
        var hit = Assert.Single(results.Hits);
        Assert.Equal("procedures/kinderbijslag", hit.Path.Value);
        Assert.Equal("Kinderbijslag", hit.Title);
        Assert.Equal("procedures", hit.Section);
        Assert.Contains("<mark>groeipakket</mark>", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.Equal("An Testpersoon", hit.LastChange?.Author.Name);
    }

    [Fact]
    public async Task ASnippet_ShowsALinkedPagesTitle_NotItsPath()
    {
        var path = PagePath.Parse("procedures/energiearmoede");
        await _store.SaveAsync(new SaveRequest(PagePath.Parse("procedures/stookoliepremie"), "---\ntitle: Premie voor stookolie\n---\nTekst.\n", Worker, "Nieuw", null));
        await _store.SaveAsync(new SaveRequest(path, "---\ntitle: Energiearmoede\n---\nBij een afsluitingsdreiging zie [[procedures/stookoliepremie]].\n", Worker, "Nieuw", null));

        var hit = Assert.Single((await _index.SearchAsync(new SearchRequest("afsluitingsdreiging"))).Hits);
        Assert.Contains("Premie voor stookolie", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("procedures/stookoliepremie", hit.SnippetHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitPushedWithGitCli_IsFoundAfterSync_AndOnlyChangedPagesAreReindexed()
    {
        var clone = Path.Combine(_app.Root, "clone");
        Git(_app.Root, $"clone -q \"{Path.Combine(_app.DataPath, "handbook.git")}\" clone");
        File.WriteAllText(Path.Combine(clone, "procedures", "zonnepanelen.md"), "# Zonnepanelen\n\nDe zonnepanelenpremie voor huurders.\n");
        Git(clone, "add -A");
        Git(clone, "-c user.name=\"Power Gebruiker\" -c user.email=power@stad.example commit -q -m \"Via git\"");
        Git(clone, "push -q origin HEAD:main");
        Assert.False(_index.IsCurrent);

        var statuses = new List<SearchIndexStatus>();
        _index.StatusChanged += statuses.Add;
        var found = await Find("zonnepanelenpremie");
        _index.StatusChanged -= statuses.Add;

        Assert.Equal(["procedures/zonnepanelen"], found);
        Assert.True(_index.IsCurrent);
        Assert.Equal(1, statuses[^1].Total);
    }

    [Fact]
    public async Task DeletedPage_IsGone()
    {
        Assert.Contains("procedures/huurwaarborg", await Find("huurwaarborg"));
        await _store.DeleteAsync(PagePath.Parse("procedures/huurwaarborg"), Worker, "Weg");
        Assert.DoesNotContain("procedures/huurwaarborg", await Find("huurwaarborg"));
    }

    [Fact]
    public async Task Acronym_FindsPagesWithTheMeaning_AndTheOtherWayRound()
    {
        // The test handbook's leefloon page says "SVK"; its huurwaarborg page says "OCMW" only.
        Assert.Contains("procedures/leefloon-aanvragen", await Find("sociaal verhuurkantoor"));
        Assert.Contains("procedures/huurwaarborg", await Find("openbaar centrum voor maatschappelijk welzijn"));
        Assert.Contains("procedures/leefloon-aanvragen", await Find("svk"));
    }

    [Fact]
    public async Task GlossaryEdit_ChangesSearchWithoutReindexingPages()
    {
        var path = PagePath.Parse("procedures/kinderbijslag");
        await _store.SaveAsync(new SaveRequest(path, "# Kinderbijslag\n\nHet groeipakket vervangt de kinderbijslag.\n", Worker, "Nieuw", null));
        Assert.DoesNotContain("procedures/kinderbijslag", await Find("GPK"));

        var glossary = _store.Read(PagePath.Parse("afkortingen"))!;
        await _store.SaveAsync(new SaveRequest(glossary.Path, glossary.Text.Replace("| XYZ | |", "| GPK | groeipakket |\n| XYZ | |", StringComparison.Ordinal),
            Worker, "GPK toegevoegd", glossary.Revision));

        Assert.Contains("procedures/kinderbijslag", await Find("GPK"));
    }

    [Fact]
    public async Task Typo_IsForgiven_AndADidYouMeanIsOffered()
    {
        var results = await _index.SearchAsync(new SearchRequest("huurwaarbrog"));
        Assert.Equal("procedures/huurwaarborg", results.Hits[0].Path.Value);
        Assert.True(results.Fuzzy);
        Assert.Equal("huurwaarborg", results.DidYouMean);
        Assert.Null((await _index.SearchAsync(new SearchRequest("huurwaarborg"))).DidYouMean);
    }

    [Fact]
    public async Task Title_RanksAboveBody_AndStemsAndFoldingMatch()
    {
        // Both pages mention the word; only one is titled with it.
        Assert.Equal("procedures/huurwaarborg", (await Find("Huurwaarborg"))[0]);
        Assert.Equal("doelgroepen/oekrainers", (await Find("oekrainers"))[0]);
        Assert.Equal("procedures/leefloon-aanvragen", (await Find("leeflonen aanvraag"))[0]);
    }

    [Fact]
    public async Task Ranking_TitleAboveAliasAboveTagsAboveBody_ExactPhraseAboveScatteredWords()
    {
        async Task Save(string path, string text) =>
            await _store.SaveAsync(new SaveRequest(PagePath.Parse(path), text, Worker, "Nieuw", null));

        await Save("werking/body", "---\ntitle: Een\n---\nHier staat iets over de mantelzorger in de tekst, en nog wat woorden erbij.\n");
        await Save("werking/tags", "---\ntitle: Twee\ntags: [mantelzorger]\n---\nAndere tekst.\n");
        await Save("werking/alias", "---\ntitle: Drie\naliases: [mantelzorger]\n---\nAndere tekst.\n");
        await Save("werking/titel", "---\ntitle: Mantelzorger\n---\nAndere tekst.\n");
        Assert.Equal(["werking/titel", "werking/alias", "werking/tags", "werking/body"], await Find("mantelzorger"));

        await Save("werking/verspreid", "# Vier\n\nDe premie komt later. Thuiszorg regelt het huis.\n");
        await Save("werking/zin", "# Vijf\n\nLater komt de premie voor thuiszorg in huis.\n");
        var found = await Find("premie voor thuiszorg");
        Assert.Equal("werking/zin", found[0]);
        Assert.Contains("werking/verspreid", found);
    }

    [Fact]
    public async Task CompoundWords_AreFoundByTheirParts_AndPartsByTheCompound()
    {
        Assert.Equal("procedures/huurwaarborg", (await Find("waarborg"))[0]);
        var path = PagePath.Parse("procedures/energie");
        await _store.SaveAsync(new SaveRequest(path, "# Energie\n\nEen premie voor de energie van de woning.\n", Worker, "Nieuw", null));
        Assert.Contains("procedures/energie", await Find("energiepremie"));
    }

    [Fact]
    public async Task Filters_OnSectionTargetGroupAndOwner()
    {
        Assert.Equal(["procedures/leefloon-aanvragen"], await Find("leefloon", doelgroep: "Oekraïners"));
        Assert.Equal(["procedures/leefloon-aanvragen"], await Find("leefloon", owner: "Backoffice juristen"));
        Assert.Equal(["doelgroepen/oekrainers"], await Find("leefloon", section: "doelgroepen"));
        Assert.Empty(await Find("leefloon", doelgroep: "Daklozen"));
    }

    [Fact]
    public async Task HugeQuery_IsCutShort_AndStillAnswers()
    {
        var text = string.Join(' ', Enumerable.Range(0, 2000).Select(i => "woord" + i)) + " huurwaarborg";
        var results = await _index.SearchAsync(new SearchRequest(text));
        Assert.NotNull(results);
        Assert.True(SearchQueryBuilder.Parts(text, new Dictionary<string, string>()).Count <= SearchQueryBuilder.MaxWords);
    }

    [Fact]
    public async Task Rebuild_ReportsProgressAndEndsWithEveryPage()
    {
        var statuses = new List<SearchIndexStatus>();
        _index.StatusChanged += statuses.Add;
        await _index.RebuildAsync();
        _index.StatusChanged -= statuses.Add;

        var pages = _store.ListPages().Count;
        Assert.True(statuses[0].Building);
        Assert.Equal(pages, statuses[0].Total);
        Assert.False(statuses[^1].Building);
        Assert.Equal(pages, statuses[^1].Pages);
        Assert.Contains("procedures/huurwaarborg", await Find("huurwaarborg"));
    }

    private static void Git(string workDir, string args)
    {
        var psi = new ProcessStartInfo("git", args)
        {
            WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["HOME"] = workDir;
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {args}: {stderr.Result}");
    }
}
