using Handbook.GitStore;
using Handbook.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Search;

/// <summary>
/// The Dutch word list (OpenTaal) at work: compounds split into words of the list, words written apart joined, the
/// question words of a sentence left out, and a misspelt word still counting beside a correct one.
/// </summary>
public sealed class DutchCompoundTests : IAsyncLifetime
{
    private static readonly Author Worker = new("An Testpersoon", "an@stad.example");
    private readonly HandbookFactory _app = new();
    private SearchIndex _index = null!;
    private PageStore _store = null!;

    public async Task InitializeAsync()
    {
        _index = _app.Services.GetRequiredService<SearchIndex>();
        _store = _app.Services.GetRequiredService<PageStore>();
        await _index.UpdateAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task Save(string path, string text)
    {
        var result = await _store.SaveAsync(new SaveRequest(PagePath.Parse(path), text, Worker, "Test", _store.Read(PagePath.Parse(path))?.Revision));
        Assert.True(result is SaveResult.Saved, result.ToString());
        await _index.UpdateAsync();
    }

    private async Task<IReadOnlyList<string>> Find(string text) =>
        (await _index.SearchAsync(new SearchRequest(text))).Hits.Select(h => h.Path.Value).ToList();

    [Fact]
    public void TheList_IsTheShippedOpenTaalList()
    {
        var list = DutchWords.List;
        Assert.True(list.Count > 300_000, $"{list.Count} words");
        Assert.True(list.Contains("leefloon"));
        Assert.True(list.Contains("huurwaarborg"));
        Assert.False(list.Contains("leefloonaanvraag"));
        Assert.False(list.Contains("xqzvw"));
        Assert.True(list.ContainsJoined("huur", "waarborg", linkingS: false));
        Assert.True(list.ContainsJoined("verblijf", "vergunning", linkingS: true));
    }

    [Theory]
    [InlineData("budgethulp", "budget hulp")]
    [InlineData("leefloonwet", "leefloon wet")]
    [InlineData("leefloonaanvraag", "leefloon aanvraag")]
    [InlineData("huurwaarborgaanvraag", "huurwaarborg huur waarborg aanvraag")]
    [InlineData("verblijfsvergunning", "verblijf vergunning")]
    [InlineData("energieschulden", "energie schulden")]
    [InlineData("schuldbemiddeling", "schuld bemiddeling")]
    [InlineData("ziekenfonds", "zieken fonds")]
    [InlineData("stempelgeld", "stempel geld")]
    [InlineData("kinderbijslag", "kinder bijslag")]
    public void ACompound_SplitsIntoWordsOfTheList(string word, string parts) =>
        Assert.Equal(parts.Split(' '), CompoundSplitter.Dutch.Split(word));

    [Theory]
    [InlineData("kinderen")] // not kind + eren
    [InlineData("scheiding")] // not schei + ding
    [InlineData("voorwaarden")] // not voor + waarden
    [InlineData("maatschappelijk")]
    [InlineData("kwetsbare")]
    [InlineData("leefloon")] // leef + loon: short parts of a word of the list
    [InlineData("belangrijk")]
    [InlineData("huis")] // too short
    [InlineData("artikel60")] // not only letters
    public void AWordThatIsNoCompound_StaysWhole(string word) =>
        Assert.Empty(CompoundSplitter.Dutch.Split(word));

    [Fact]
    public async Task APartOfACompound_FindsThePage_AndALongerCompoundFindsItsParts()
    {
        await Save("procedures/energie", "---\ntitle: Energie\n---\nHulp bij een hoge energiefactuur en de budgetmeter.\n");

        Assert.Contains("procedures/energie", await Find("budgetmeter"));
        // "meter" alone: a part of the compound in the page.
        Assert.Contains("procedures/energie", await Find("meter"));
        // A compound the page does not have, made of words it has ("energiefactuurbetaling": its first parts).
        Assert.Contains("procedures/energie", await Find("energiefactuurbetaling"));
    }

    [Fact]
    public async Task WordsWrittenApart_FindTheWordThatJoinsThem()
    {
        // "zakgeld" does not split ("zak" is too short to trust), so only joining finds it.
        await Save("procedures/basis", "---\ntitle: Basis\n---\nHet zakgeld van de kinderen.\n");
        await Save("procedures/ander", "---\ntitle: Ander\n---\nEen zak met geld.\n");

        var found = await Find("zak geld");
        Assert.Contains("procedures/basis", found);
        Assert.Contains("procedures/ander", found);
        Assert.True(found.ToList().IndexOf("procedures/basis") < found.ToList().IndexOf("procedures/ander"), string.Join(", ", found));

        // A compound the word list does not know (and cannot split: "syrie" is a name), but a page has: joined
        // through the index.
        await Save("doelgroepen/syriers", "---\ntitle: Nieuwkomers\n---\nDe syriehulp van een vereniging.\n");
        Assert.Empty(CompoundSplitter.Dutch.Split("syriehulp"));
        Assert.Contains("doelgroepen/syriers", await Find("syrie hulp"));
    }

    [Fact]
    public async Task QuestionWords_DoNotDecide_ButAreSearchedWhenAlone()
    {
        await Save("procedures/studie", "---\ntitle: Studie en werk\n---\nOver school en een opleiding volgen.\n");
        await Save("procedures/klantenonthaal", "---\ntitle: Wanneer de cliënt mag komen\n---\nDe cliënt mag komen wanneer het past.\n");

        // The second page has "wanneer", "mag" and "cliënt" in its title; the question is about school.
        var found = await Find("wanneer mag mijn cliënt naar school");
        Assert.Equal("procedures/studie", found[0]);
        Assert.DoesNotContain("procedures/klantenonthaal", found);
        // Alone, a question word is still searched.
        Assert.Contains("procedures/klantenonthaal", await Find("wanneer mag"));
        Assert.Contains("procedures/klantenonthaal", await Find("cliënt"));
    }

    [Fact]
    public void AFillerJoinedWithItsNeighbour_IsNoFiller()
    {
        using var analyzer = new HandbookAnalyzer();
        var builder = new SearchQueryBuilder(analyzer);
        var none = new Dictionary<string, string>();
        // "hulp" alone says little in "hulp bij schulden"; in "jeugd hulp" it is half of jeugdhulp.
        Assert.Equal(["schulden"], builder.WithoutFillers(SearchQueryBuilder.Parts("hulp bij schulden", none)).Select(p => p.Text).Where(t => t != "bij"));
        Assert.Equal(["jeugd", "hulp"], builder.WithoutFillers(SearchQueryBuilder.Parts("jeugd hulp", none)).Select(p => p.Text));
    }

    [Fact]
    public async Task AMisspeltWord_CountsBesideACorrectOne()
    {
        await Save("doelgroepen/nieuwkomers", "---\ntitle: Nieuwkomers\n---\nNieuwkomers uit Syrië en het leefloon.\n");

        // "leefloon" alone finds many pages; the misspelt "nieuwkomrs" still puts its page first.
        var results = await _index.SearchAsync(new SearchRequest("nieuwkomrs leefloon"));
        Assert.Equal("doelgroepen/nieuwkomers", results.Hits[0].Path.Value);
        Assert.True(results.TotalHits >= 3, $"{results.TotalHits} hits");
    }
}
