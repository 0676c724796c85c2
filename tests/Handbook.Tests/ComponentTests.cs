using Bunit;
using Handbook.Catalog;
using Handbook.Components.Pages;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Handbook.Tests;

/// <summary>The history views rendered as components (bUnit) on a real store, without HTTP or a browser.</summary>
public sealed class ComponentTests : BunitContext
{
    private readonly RenderFixture _fixture = new();

    public ComponentTests()
    {
        Services.AddSingleton(_fixture.Store);
        Services.AddSingleton(_fixture.Catalog);
        Services.AddSingleton(Options.Create(new HandbookOptions()));
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("nl-BE");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _fixture.Dispose();
        }
    }

    [Fact]
    public async Task History_ListsEveryRevisionWithAuthorSummaryAndCompareControls()
    {
        var path = PagePath.Parse("procedures/huurwaarborg");
        var first = _fixture.Store.Read(path)!;
        await _fixture.Store.SaveAsync(new SaveRequest(path, first.Text + "Meer.\n", new Author("Demo Jurist Backoffice", "j@stad.example"), "Aangevuld", first.Revision));

        var cut = Render<PageHistory>(p => p.Add(c => c.PathText, path.Value));

        var rows = cut.FindAll(".history-table tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Demo Jurist Backoffice", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Aangevuld", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("+6", rows[0].QuerySelector(".size")!.TextContent, StringComparison.Ordinal);
        Assert.True(rows[0].QuerySelector("input[name=to]")!.HasAttribute("checked"));
        Assert.True(rows[1].QuerySelector("input[name=from]")!.HasAttribute("checked"));
        Assert.NotNull(rows[1].QuerySelector($"input[name=from][value='{first.Revision}']"));
        Assert.Contains($"/diff/{path.Value}?from={first.Revision}", rows[0].InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void History_OfAnInvalidPath_SaysWhy()
    {
        var cut = Render<PageHistory>(p => p.Add(c => c.PathText, "../geheim"));
        Assert.Contains("'..'", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blame_ShowsWhoWroteEachLine()
    {
        var path = PagePath.Parse("doelgroepen/oekrainers");
        var first = _fixture.Store.Read(path)!;
        await _fixture.Store.SaveAsync(new SaveRequest(path, first.Text + "Nieuwe regel.\n", new Author("Demo Maatschappelijk Assistent", "m@stad.example"), "regel", first.Revision));

        var cut = Render<Blame>(p => p.Add(c => c.PathText, path.Value));

        var last = cut.FindAll(".blame tbody tr").Last();
        Assert.Contains("Nieuwe regel.", last.TextContent, StringComparison.Ordinal);
        Assert.Contains("Demo Maatschappelijk Assistent", last.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Blame_HidesTheFrontMatterLines_UntilAskedFor()
    {
        // "---", "title: Oekraïners", "---", then the body.
        var hidden = Render<Blame>(p => p.Add(c => c.PathText, "doelgroepen/oekrainers"));
        Assert.DoesNotContain(hidden.FindAll(".blame tbody tr"), r => r.TextContent.Contains("title:", StringComparison.Ordinal));
        Assert.Equal("4", hidden.Find(".blame tbody tr .ln").TextContent);
        Assert.Contains("(3 regels)", hidden.Find(".page-actions").TextContent, StringComparison.Ordinal);

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo(Microsoft.AspNetCore.Components.NavigationManagerExtensions.GetUriWithQueryParameter(navigation, "gegevens", "tonen"));
        var shown = Render<Blame>(p => p.Add(c => c.PathText, "doelgroepen/oekrainers"));
        Assert.Contains(shown.FindAll(".blame tbody tr"), r => r.TextContent.Contains("title: Oekraïners", StringComparison.Ordinal));
        Assert.Equal("1", shown.Find(".blame tbody tr .ln").TextContent);
    }
}
