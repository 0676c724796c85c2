using Handbook.Rendering;

namespace Handbook.Tests.Rendering;

/// <summary>What one page may do to the renderer: never more than show itself as plain text with the reason.</summary>
public sealed class MarkdownRendererTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    [Theory]
    [InlineData(50_000)]
    [InlineData(2_000)]
    public void DeeplyNestedRawHtml_IsShownAsPlainTextWithTheReason(int levels)
    {
        var markdown = "Inleiding\n\n" + string.Concat(Enumerable.Repeat("<div>", levels)) + "x" + string.Concat(Enumerable.Repeat("</div>", levels));
        var rendered = fixture.Render(markdown);
        Assert.Equal(RenderProblemKind.TooDeepHtml, rendered.Problem?.Kind);
        Assert.Equal(MarkdownRenderer.MaxHtmlDepth, rendered.Problem!.Limit);
        Assert.True(rendered.Problem.Amount > MarkdownRenderer.MaxHtmlDepth, rendered.Problem.ToString());
        Assert.Contains("&lt;div&gt;", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<div>", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyFootnoteReferences_AreShownAsPlainText_NotParsedForAMinute()
    {
        // Found by the hostile-page property test: 27,000 "[^1]" took Markdig 44 s (quadratic in the openers).
        var rendered = fixture.Render(string.Concat(Enumerable.Repeat("[^1]", 27_000)));
        Assert.Equal(RenderProblemKind.TooManyBracketsInBlock, rendered.Problem?.Kind);
        Assert.StartsWith("<pre>[^1][^1]", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyRawHtmlElementsInOneBlock_AreShownAsPlainText()
    {
        var rendered = fixture.Render("<div>" + string.Concat(Enumerable.Repeat("<span>x</span>", MarkdownRenderer.MaxFormattedElements + 1)) + "</div>");
        Assert.Equal(RenderProblemKind.TooManyHtmlElements, rendered.Problem?.Kind);
    }

    [Fact]
    public void APageWithAByteOrderMark_RendersAsWithout()
    {
        var rendered = fixture.Render("\uFEFF---\ntitle: Met BOM\n---\nTekst met **nadruk**.\n");
        Assert.Null(rendered.Problem);
        Assert.Equal("Met BOM", rendered.Title);
        Assert.Equal("<p>Tekst met <strong>nadruk</strong>.</p>", rendered.Html.Trim());
    }

    [Fact]
    public void RealNestingOfAFewDozenLevels_IsStillFormatted()
    {
        var rendered = fixture.Render(string.Concat(Enumerable.Repeat("<div>", 40)) + "\n\nx\n\n" + string.Concat(Enumerable.Repeat("</div>", 40)));
        Assert.Null(rendered.Problem);
        Assert.Contains("<div>", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainTextFallback_KeepsTheTitleFromTheFrontMatter()
    {
        var rendered = fixture.Render("---\ntitle: Diepe pagina\nowner: Team\n---\n" + string.Concat(Enumerable.Repeat("<div>", 5_000)));
        Assert.Equal("Diepe pagina", rendered.Title);
        Assert.Equal("Team", rendered.Meta.Owner);
    }

    [Fact]
    public void Render_WhenTheRequestIsGone_Stops()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new MarkdownRenderer().Render("# Kop\n\nTekst", "p", fixture.Catalog.Current, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Ids_ArePrefixed_SoAPageCannotClobberTheAppsGlobals()
    {
        var html = fixture.Render("<img id=\"__x\" src=\"/files/a.png\" alt=\"a\"> <span id=\"Blazor\">b</span>").Html;
        Assert.Contains("id=\"user-content-__x\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"user-content-Blazor\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"__x\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"Blazor\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadingAnchorsFootnotesAndInPageLinks_KeepLanding()
    {
        var rendered = fixture.Render("## Voorwaarden\n\nZie [hieronder](#voorwaarden) en een voetnoot[^1].\n\n[^1]: De noot.", "werking/test");
        var html = rendered.Html;
        Assert.Contains("id=\"user-content-voorwaarden\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/werking/test#user-content-voorwaarden\"", html, StringComparison.Ordinal);
        Assert.Equal("user-content-voorwaarden", Assert.Single(rendered.Toc).Id);
        // Every in-page link points at an id that exists in the page.
        var ids = System.Text.RegularExpressions.Regex.Matches(html, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        var targets = System.Text.RegularExpressions.Regex.Matches(html, "href=\"/wiki/werking/test#([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(targets.Count >= 3, string.Join(", ", targets));
        Assert.All(targets, t => Assert.Contains(Uri.UnescapeDataString(t), ids));
    }

    [Fact]
    public void GlossaryLinks_LandOnTheGlossaryRows()
    {
        var page = fixture.Render("Vraag het SVK.").Html;
        var href = System.Text.RegularExpressions.Regex.Match(page, "href=\"/wiki/afkortingen#([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("user-content-", href, StringComparison.Ordinal);
        var glossary = fixture.Pages.Get(Handbook.GitStore.PagePath.Parse("afkortingen"))!.Rendered.Html;
        Assert.Contains($"id=\"{href}\"", glossary, StringComparison.Ordinal);
    }

    [Fact]
    public void TableAlignment_IsAClass_NotAnInlineStyleTheCspWouldBlock()
    {
        var html = fixture.Render("| Links | Midden | Rechts |\n|:---|:---:|---:|\n| a | b | c |\n\n<p style=\"text-align: center; color: red\">x</p>").Html;
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.Contains("class=\"align-left\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"align-center\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"align-right\"", html, StringComparison.Ordinal);
    }
}
