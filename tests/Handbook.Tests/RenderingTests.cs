using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Pages;
using Handbook.Rendering;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Handbook.Tests;

/// <summary>A real store seeded with the test handbook, and the real catalog and renderer on top of it.</summary>
public sealed class RenderFixture : IDisposable
{
    public RenderFixture()
    {
        Root = Directory.CreateTempSubdirectory("handbook-render-").FullName;
        Store = PageStore.Open(new PageStoreOptions
        {
            RepositoryPath = Path.Combine(Root, "repo.git"),
            SeedPath = TestHandbook.Create(Root),
        });
        Catalog = new HandbookCatalog(Store, Options.Create(new HandbookOptions()));
        Pages = new PageService(Store, Catalog, new MarkdownRenderer(), PageService.CreateCache());
    }

    public string Root { get; }

    public PageStore Store { get; }

    public HandbookCatalog Catalog { get; }

    public PageService Pages { get; }

    public RenderedPage Render(string markdown, string path = "werking/test") => Pages.Render(PagePath.Parse(path), markdown);

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

public sealed class RenderingTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    [Fact]
    public void WikiLink_ToExistingPage_UsesItsTitleAndPath()
    {
        var html = fixture.Render("Zie [[procedures/huurwaarborg]].").Html;
        Assert.Contains("<a href=\"/wiki/procedures/huurwaarborg\" class=\"wikilink\">Huurwaarborg</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WikiLink_WithLabel_ShowsTheLabel()
    {
        var html = fixture.Render("Zie [[procedures/huurwaarborg|de waarborg]].").Html;
        Assert.Contains(">de waarborg</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WikiLink_ByTitleOrAlias_FindsThePage()
    {
        Assert.Contains("href=\"/wiki/procedures/huurwaarborg\" class=\"wikilink\"", fixture.Render("[[Huurwaarborg]]").Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/procedures/leefloon-aanvragen\" class=\"wikilink\"", fixture.Render("[[RMI]]").Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/doelgroepen/oekra%C3%AFners\"", fixture.Render("[[doelgroepen/oekraïners]]").Html, StringComparison.Ordinal);
    }

    [Fact]
    public void WikiLink_ToMissingPage_IsARedLink()
    {
        var html = fixture.Render("[[procedures/nog-te-schrijven]] en [[Nieuwe Pagina]]").Html;
        Assert.Contains("href=\"/wiki/procedures/nog-te-schrijven\" class=\"wikilink wikilink-missing\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/nieuwe-pagina\" class=\"wikilink wikilink-missing\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WikiLink_DoesNotBreakNormalLinksOrBrackets()
    {
        var html = fixture.Render("[gewoon](https://example.org) en [x] en [[ ]] en [[a\nb]]").Html;
        Assert.Contains("<a href=\"https://example.org\"", html, StringComparison.Ordinal);
        Assert.Contains("[x]", html, StringComparison.Ordinal);
        Assert.DoesNotContain("wikilink", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Glossary_MarksKnownAcronymsAndLinksTheFirst()
    {
        var html = fixture.Render("Het SVK en het SVK. De MA belt. SVKX niet. XYZ zonder uitleg. `SVK` in code.").Html;
        Assert.Contains("<a class=\"glossary\" href=\"/wiki/afkortingen#user-content-afk-svk\"><abbr title=\"sociaal verhuurkantoor\">SVK</abbr></a>", html, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(html, "<abbr title=\"sociaal verhuurkantoor\">SVK</abbr>"));
        Assert.Equal(1, CountOf(html, "href=\"/wiki/afkortingen#user-content-afk-svk\""));
        Assert.Contains("<abbr title=\"maatschappelijk assistent\">MA</abbr>", html, StringComparison.Ordinal);
        Assert.Contains("SVKX", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">XYZ</abbr>", html, StringComparison.Ordinal);
        Assert.Contains("<code>SVK</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GlossaryPage_RowsGetAnchors()
    {
        var view = fixture.Pages.Get(PagePath.Parse("afkortingen"))!;
        Assert.Contains("<tr id=\"user-content-afk-svk\">", view.Rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Glossary_EditingThePage_ChangesRenderingImmediately()
    {
        using var local = new RenderFixture();
        Assert.DoesNotContain("<abbr", local.Render("Bel de VDAB.").Html, StringComparison.Ordinal);
        var glossary = local.Store.Read(PagePath.Parse("afkortingen"))!;
        await local.Store.SaveAsync(new SaveRequest(glossary.Path, glossary.Text + "| VDAB | Vlaamse Dienst voor Arbeidsbemiddeling |\n",
            new Author("Test", "t@stad.example"), "VDAB toegevoegd", glossary.Revision));
        Assert.Contains("<abbr title=\"Vlaamse Dienst voor Arbeidsbemiddeling\">VDAB</abbr>", local.Render("Bel de VDAB.").Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderCache_SurvivesOtherPagesTextEdits_ButNotTitleChangesOfLinkedPages()
    {
        using var local = new RenderFixture();
        var author = new Author("Test", "t@stad.example");
        var leefloon = PagePath.Parse("procedures/leefloon-aanvragen");
        var first = local.Pages.Get(leefloon)!.Rendered;
        Assert.Same(first, local.Pages.Get(leefloon)!.Rendered);

        // Another page's text changes, its title does not: the cached render of this page is still right.
        var beleid = local.Store.Read(PagePath.Parse("werking/beleid"))!;
        await local.Store.SaveAsync(new SaveRequest(beleid.Path, beleid.Text + "\nNog een zin.\n", author, "Zin toegevoegd", beleid.Revision));
        Assert.Same(first, local.Pages.Get(leefloon)!.Rendered);

        // A linked page gets another title: this page links it by title ([[Huurwaarborg]]), so it renders again.
        var huurwaarborg = local.Store.Read(PagePath.Parse("procedures/huurwaarborg"))!;
        await local.Store.SaveAsync(new SaveRequest(huurwaarborg.Path, huurwaarborg.Text.Replace("title: Huurwaarborg", "title: Huurwaarborg OCMW", StringComparison.Ordinal),
            author, "Titel", huurwaarborg.Revision));
        var afterTitle = local.Pages.Get(leefloon)!.Rendered;
        Assert.NotSame(first, afterTitle);
        Assert.DoesNotContain("href=\"/wiki/procedures/huurwaarborg\" class=\"wikilink\"", afterTitle.Html, StringComparison.Ordinal);

        // A page is added that a red link pointed at: the link is no longer red.
        const string redLink = "href=\"/wiki/procedures/bestaat-niet\" class=\"wikilink wikilink-missing\"";
        Assert.Contains(redLink, afterTitle.Html, StringComparison.Ordinal);
        await local.Store.SaveAsync(new SaveRequest(PagePath.Parse("procedures/bestaat-niet"), "# Bestaat nu wel\n", author, "Nieuw", null));
        var afterAdd = local.Pages.Get(leefloon)!.Rendered.Html;
        Assert.DoesNotContain(redLink, afterAdd, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/procedures/bestaat-niet\" class=\"wikilink\"", afterAdd, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderCache_WhenFull_KeepsOnlyPagesAskedForBefore()
    {
        using var local = new RenderFixture();
        var big = PagePath.Parse("werking/groot");
        var text = string.Concat(Enumerable.Range(0, 400).Select(i => $"Alinea {i} over het leefloon.\n\n"));
        await local.Store.SaveAsync(new SaveRequest(big, text, new Author("Test", "t@stad.example"), "Groot", null));
        var limit = PageService.EntrySize(local.Pages.Get(big)!.Rendered) + 1_000;
        using var cache = PageService.CreateCache(limit);
        var pages = new PageService(local.Store, local.Catalog, new MarkdownRenderer(), cache) { CacheLimit = limit };

        var first = pages.Get(big)!.Rendered;
        Assert.Same(first, pages.Get(big)!.Rendered); // room in the cache: kept at once

        // Now the cache is over 90 % full: a page is kept only the second time it is asked for.
        var small = PagePath.Parse("procedures/huurwaarborg");
        var once = pages.Get(small)!.Rendered;
        var twice = pages.Get(small)!.Rendered;
        Assert.NotSame(once, twice);
        Assert.Equal(once.Html, twice.Html);
        Assert.Same(twice, pages.Get(small)!.Rendered);
        Assert.Same(first, pages.Get(big)!.Rendered); // the page read all along was not pushed out
    }

    [Theory]
    [InlineData("LET OP", "letop", "Let op")]
    [InlineData("TIP", "tip", "Tip")]
    [InlineData("WETGEVING", "wetgeving", "Wetgeving")]
    public void Callout_IsAnAccessibleBox(string marker, string css, string title)
    {
        var html = fixture.Render($"> [!{marker}]\n> Tekst in de box.\n").Html;
        Assert.Contains($"<aside class=\"callout callout-{css}\" role=\"note\" aria-label=\"{title}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"callout-title\">{title}</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p>Tekst in de box.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("[!", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_WithoutMarker_StaysAQuote()
    {
        var html = fixture.Render("> [!ONBEKEND]\n> gewoon citaat\n\n> tekst").Html;
        Assert.Equal(2, CountOf(html, "<blockquote>"));
        Assert.Contains("[!ONBEKEND]", html, StringComparison.Ordinal);
    }

    [Fact]
    public void FrontMatter_IsReadAndNotRendered()
    {
        var page = fixture.Pages.Get(PagePath.Parse("procedures/leefloon-aanvragen"))!;
        var meta = page.Rendered.Meta;
        Assert.Equal("Leefloon aanvragen", page.Rendered.Title);
        Assert.Equal("Backoffice juristen", meta.Owner);
        Assert.Equal(["Oekraïners", "Vluchtelingen"], meta.Doelgroepen);
        Assert.Equal(new DateOnly(2020, 1, 31), meta.ReviewBy);
        Assert.Equal(new DateOnly(2026, 12, 1), meta.ValidFrom);
        Assert.Equal(["https://www.mi-is.be"], meta.Sources);
        Assert.Equal(["RMI"], meta.Aliases);
        Assert.DoesNotContain("owner:", page.Rendered.Html, StringComparison.Ordinal);
        // The H1 repeating the title is left to the page header.
        Assert.DoesNotContain("<h1", page.Rendered.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("---\ntitle: [onafgesloten\n---\ntekst")]
    [InlineData("---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\ntekst")]
    public void FrontMatter_Broken_RendersWithAnError(string markdown)
    {
        var page = fixture.Render(markdown);
        Assert.NotNull(page.Meta.Error);
        Assert.Contains("tekst", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Extensions_TablesTaskListsFootnotesAnchorsAndToc()
    {
        var page = fixture.Render("## Eerste deel\n\n### Onder\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] klaar\n- [ ] nog niet\n\nTekst[^1].\n\n[^1]: Voetnoot.\n");
        Assert.Contains("<table>", page.Html, StringComparison.Ordinal);
        Assert.Contains("type=\"checkbox\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("class=\"footnotes\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/werking/test#user-content-fn:1\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"user-content-eerste-deel\">", page.Html, StringComparison.Ordinal);
        Assert.Equal([new TocEntry(2, "user-content-eerste-deel", "Eerste deel"), new TocEntry(3, "user-content-onder", "Onder")], page.Toc);
    }

    [Fact]
    public void Catalog_KnowsBacklinksBrokenLinksAndOrphans()
    {
        var snapshot = fixture.Catalog.Current;
        Assert.Contains(PagePath.Parse("doelgroepen/oekrainers"), snapshot.Backlinks[PagePath.Parse("procedures/leefloon-aanvragen")]);
        Assert.Contains(snapshot.BrokenLinks, b => b.Target == "procedures/bestaat-niet");
        Assert.DoesNotContain(PagePath.Parse("procedures/huurwaarborg"), snapshot.Orphans);
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
