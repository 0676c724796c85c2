using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

public sealed class ReadingTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Worker_NavigatesTreeFollowsWikiLinkSeesRedLinkAndAcronym()
    {
        var page = await fixture.SignedInPageAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Welkom in het handboek");

        // The section tree: open Procedures and pick a page.
        var nav = page.Locator("nav.site-nav");
        await nav.Locator("summary", new() { HasText = "Procedures" }).ClickAsync();
        await nav.GetByRole(AriaRole.Link, new() { Name = "Leefloon aanvragen" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Leefloon aanvragen");
        await Expect(page.Locator(".page-meta .owner")).ToHaveTextAsync("Backoffice juristen");

        // An acronym explains itself on hover and links to the glossary.
        var svk = page.Locator(".page-body abbr", new() { HasText = "SVK" }).First;
        await svk.HoverAsync();
        await Expect(svk).ToHaveAttributeAsync("title", "sociaal verhuurkantoor");

        // A red link leads to an invitation to create the page.
        var red = page.Locator(".page-body a.wikilink-missing").First;
        await Expect(red).ToHaveTextAsync("procedures/bestaat-niet");
        await red.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Bestaat niet");
        await Expect(page.Locator("main")).ToContainTextAsync("bestaat nog niet");
        await page.GoBackAsync();

        // A wiki link with a label goes to its page, whose backlinks lead back.
        await page.Locator(".page-body a.wikilink", new() { HasText = "de pagina over Oekraïners" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Oekraïners");
        await page.Locator(".backlinks a", new() { HasText = "Leefloon aanvragen" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Leefloon aanvragen");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Worker_OpensAnOldRevision()
    {
        var store = fixture.App.Services.GetRequiredService<PageStore>();
        var path = PagePath.Parse("doelgroepen/oekrainers");
        var before = store.Read(path)!;
        await store.SaveAsync(new SaveRequest(path, before.Text.Replace("Tijdelijke bescherming.", "Tijdelijke bescherming, bijgewerkt.", StringComparison.Ordinal),
            new Author("Demo Jurist Backoffice", "jurist@demo.handbook.invalid"), "Bijgewerkt", before.Revision));

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/wiki/doelgroepen/oekrainers");
        await Expect(page.Locator(".page-body")).ToContainTextAsync("bijgewerkt");
        await Expect(page.Locator(".last-change")).ToContainTextAsync("Demo Jurist Backoffice");

        await page.GotoAsync($"{fixture.BaseUrl}/wiki/doelgroepen/oekrainers?rev={before.Revision}");
        await Expect(page.Locator(".notice-old")).ToContainTextAsync("oude versie");
        await Expect(page.Locator(".page-body")).Not.ToContainTextAsync("bijgewerkt");
        await page.Locator(".notice-old a").ClickAsync();
        await Expect(page.Locator(".page-body")).ToContainTextAsync("bijgewerkt");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HostileMarkup_NeverExecutesInTheBrowser()
    {
        var page = await fixture.SignedInPageAsync();
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await page.GotoAsync($"{fixture.BaseUrl}/wiki/werking/vijandig");
        await Expect(page.Locator(".page-body")).ToContainTextAsync("Einde van de pagina.");
        await page.Locator(".page-body a", new() { HasText = "klik hier" }).ClickAsync(new() { Force = true, Timeout = 2000 }).ContinueWith(_ => { }, TaskScheduler.Default);
        await page.WaitForTimeoutAsync(300);
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__xss ?? null"));
        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.Locator(".page-body script, .page-body iframe, .page-body svg").CountAsync());
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/wiki/procedures/leefloon-aanvragen")]
    [InlineData("/wiki/afkortingen")]
    [InlineData("/onderhoud")]
    [InlineData("/history/procedures/leefloon-aanvragen")]
    [InlineData("/blame/procedures/leefloon-aanvragen")]
    [InlineData("/changes")]
    [InlineData("/review")]
    [InlineData("/nieuw")]
    [InlineData("/edit/procedures/leefloon-aanvragen")]
    public async Task Pages_HaveNoSeriousAccessibilityViolations(string route)
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.BaseUrl + route);
        if (route.StartsWith("/edit/", StringComparison.Ordinal))
        {
            await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        }

        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignInPage_HasNoSeriousAccessibilityViolations()
    {
        var context = await fixture.Browser.NewContextAsync(new() { Locale = "nl-BE" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/signin");
        var result = await page.RunAxe();
        Assert.DoesNotContain(result.Violations, v => v.Impact is "serious" or "critical");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Phone_PageFitsA360PixelScreen_ScreenshotKept()
    {
        var page = await fixture.SignedInPageAsync("ma", new BrowserNewContextOptions
        {
            Locale = "nl-BE", ViewportSize = new ViewportSize { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true,
        });
        await page.GotoAsync($"{fixture.BaseUrl}/wiki/procedures/leefloon-aanvragen");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Leefloon aanvragen");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"page is {overflow}px wider than the phone screen");
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "page-phone-360.png"), FullPage = true });
        Assert.True(new FileInfo(Path.Combine(BrowserFixture.ArtifactsPath, "page-phone-360.png")).Length > 10_000);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Worker_SwitchesToEnglishAndBack()
    {
        var page = await fixture.SignedInPageAsync();
        await page.Locator(".user-menu a.lang").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Welcome to the handbook");
        await page.Locator(".user-menu a.lang").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Welkom in het handboek");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SkipLink_MovesFocusToContent()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/leefloon-aanvragen");
        // After navigation focus starts on the page title (main content); the skip link is the first stop before it.
        await Expect(page.Locator("h1")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Locator(".skip-link").FocusAsync();
        var box = await page.Locator(".skip-link").BoundingBoxAsync();
        Assert.True(box is { X: >= 0 }, "the skip link must be visible when focused");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("#main$"));
        await Expect(page.Locator("main")).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }
}
