using System.Diagnostics;
using System.Text;
using Handbook.GitStore;
using Handbook.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Search;

/// <summary>The synonym page: parsed once per version like the glossary, applied at query time in both directions.</summary>
public sealed class SynonymsTests : IAsyncLifetime
{
    private static readonly Author Worker = new("An Testpersoon", "an@stad.example");
    private static readonly PagePath SynonymPage = PagePath.Parse("synoniemen");
    private readonly HandbookFactory _app = new();
    private SearchIndex _index = null!;
    private PageStore _store = null!;

    public async Task InitializeAsync()
    {
        _index = _app.Services.GetRequiredService<SearchIndex>();
        _store = _app.Services.GetRequiredService<PageStore>();
        await _index.UpdateAsync();
        await Save("procedures/kinderbijslag", "---\ntitle: Kinderbijslag\n---\nHet groeipakket vervangt de kinderbijslag.\n");
        await Save("procedures/zakgeld", "---\ntitle: Zakgeld\n---\nOuders vragen soms naar kindergeld of een toelage voor hun tieners.\n");
        await Save("procedures/uithuiszetting", "---\ntitle: Uithuiszetting\n---\nDe vrederechter beslist over een uithuiszetting.\n");
        await _index.UpdateAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task Save(string path, string text)
    {
        var current = _store.Read(PagePath.Parse(path));
        var result = await _store.SaveAsync(new SaveRequest(PagePath.Parse(path), text, Worker, "Test", current?.Revision));
        Assert.True(result is SaveResult.Saved or SaveResult.Unchanged, result.ToString());
    }

    private Task SaveSynonyms(params string[] rows) =>
        Save(SynonymPage.Value, "---\ntitle: Synoniemen\n---\n| Woord of uitdrukking | Betekent ook |\n|---|---|\n" + string.Join('\n', rows) + "\n");

    private async Task<IReadOnlyList<string>> Find(string text) =>
        (await _index.SearchAsync(new SearchRequest(text))).Hits.Select(h => h.Path.Value).ToList();

    [Fact]
    public async Task AWordOnlyTheSynonymPageKnows_FindsThePage_InBothDirections_WithoutReindexingPages()
    {
        // "kroost": no page has it, nor a compound with it ("gezinsbijslag" would find "kinderbijslag" by its head).
        Assert.Empty(await Find("kroost"));
        Assert.DoesNotContain("procedures/kinderbijslag", await Find("toelage"));

        await SaveSynonyms("| kroost | groeipakket |", "| toelage | groeipakket, kinderbijslag |");

        Assert.Equal("procedures/kinderbijslag", (await Find("kroost"))[0]);
        Assert.Contains("procedures/kinderbijslag", await Find("toelage"));
        // The other way: the row's alternative finds pages with the row's word.
        Assert.Contains("procedures/zakgeld", await Find("groeipakket"));
        // Only the synonym page itself was indexed again: the other pages' documents are as they were.
        Assert.Equal(1, _index.Status.Total);
    }

    [Fact]
    public async Task AWordOfTheSynonymPage_IsNoTypo()
    {
        // "tieners" is in a page; "tienerz" is one letter away and a typo, until the synonym page knows it.
        Assert.Equal("tieners", (await _index.SearchAsync(new SearchRequest("tienerz"))).DidYouMean);

        await SaveSynonyms("| tienerz | tieners |");

        var results = await _index.SearchAsync(new SearchRequest("tienerz"));
        Assert.Null(results.DidYouMean);
        Assert.Equal("procedures/zakgeld", results.Hits[0].Path.Value);
    }

    [Fact]
    public async Task ThePagesOwnWords_RankAboveSynonymMatches()
    {
        await SaveSynonyms("| kindergeld | groeipakket |");

        var kindergeld = await Find("kindergeld");
        Assert.Equal("procedures/zakgeld", kindergeld[0]);
        Assert.Contains("procedures/kinderbijslag", kindergeld);
        var groeipakket = await Find("groeipakket");
        Assert.Equal("procedures/kinderbijslag", groeipakket[0]);
        Assert.Contains("procedures/zakgeld", groeipakket);
    }

    [Fact]
    public async Task AMultiWordPhrase_IsMatchedAsAPhrase_AndByItsStems()
    {
        await Save("procedures/straatwerk", "---\ntitle: Straatwerk\n---\nDe straat is gezet met nieuwe stenen; op de stoep.\n");
        await SaveSynonyms("| op straat gezet | uithuiszetting |", "| uitkering | leefloon |");

        Assert.Equal("procedures/uithuiszetting", (await Find("op straat gezet"))[0]);
        Assert.Equal("procedures/uithuiszetting", (await Find("Op Straat Gezet!"))[0]);
        // Plural typed, singular in the table: compared by stems.
        Assert.Equal("procedures/leefloon-aanvragen", (await Find("uitkeringen"))[0]);
    }

    [Fact]
    public async Task AnEditOfTheSynonymPage_CountsFromTheNextSearch()
    {
        await SaveSynonyms("| kroost | groeipakket |");
        Assert.Contains("procedures/kinderbijslag", await Find("kroost"));

        await SaveSynonyms("| kroost | uithuiszetting |");
        var found = await Find("kroost");
        Assert.DoesNotContain("procedures/kinderbijslag", found);
        Assert.Contains("procedures/uithuiszetting", found);

        Assert.True((await _store.DeleteAsync(SynonymPage, Worker, "Weg")) is SaveResult.Saved);
        Assert.Empty(await Find("kroost"));
    }

    [Fact]
    public async Task AHostileOrBrokenSynonymTable_NeverBreaksSearch()
    {
        var hostile = new StringBuilder("---\ntitle: [kapot\n---\n");
        hostile.Append("| woord | \n|---|---|\n| | |\n|||||\n| a |\n| (.*)+$ | [^ |\n| <script>alert(1)</script> | leefloon |\n");
        hostile.Append("| ").Append(new string('x', 50_000)).Append(" | leefloon |\n");
        hostile.Append("| veel | ").Append(string.Join(',', Enumerable.Range(0, 5_000).Select(i => "w" + i))).Append(" |\n");
        hostile.Append("| de | leefloon |\n| 🙂 | 🙃 |\n| kindergeld | kindergeld |\n");
        for (var i = 0; i < Synonyms.MaxRows + 500; i++)
        {
            hostile.Append("| woord").Append(i).Append(" | ander").Append(i).Append(" |\n");
        }

        await Save(SynonymPage.Value, hostile.ToString());
        var synonyms = _app.Services.GetRequiredService<Handbook.Catalog.HandbookCatalog>().Current.Synonyms;
        Assert.InRange(synonyms.Rows.Count, 1, Synonyms.MaxRows);
        Assert.All(synonyms.Rows, r => Assert.InRange(r.Alternatives.Count, 1, Synonyms.MaxAlternatives));

        // Indexing the page itself is the index's business; the searches after it are what the table must not slow down.
        await _index.UpdateAsync();
        var watch = Stopwatch.StartNew();
        Assert.Equal("procedures/leefloon-aanvragen", (await Find("leefloon"))[0]);
        Assert.NotNull(await _index.SearchAsync(new SearchRequest("veel de (.*)+$ 🙂 a woord1 woord2 woord3 kindergeld")));
        Assert.NotNull(await _index.SearchAsync(new SearchRequest("de de de de de de de de de de de de de de de de de de de de") { AsYouType = true }));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }

    [Fact]
    public void Parse_ReadsRowsBothWays_AndSkipsHeaderSeparatorAndEmptyCells()
    {
        var synonyms = Synonyms.Parse("synoniemen", """
            | Woord of uitdrukking | Betekent ook |
            |---|---|
            | **schulden** | schuldbemiddeling, budgethulp ,, |
            | leeg | |
            niet in een tabel | x |
            """);

        var row = Assert.Single(synonyms.Rows);
        Assert.Equal("schulden", row.Term);
        Assert.Equal(["schuldbemiddeling", "budgethulp"], row.Alternatives);
        Assert.Equal(["schuldbemiddeling", "budgethulp"], synonyms.Lookup["schulden"]);
        Assert.Equal(["schulden"], synonyms.Lookup["budgethulp"]);
        Assert.False(synonyms.Lookup.ContainsKey("leeg"));
    }
}
