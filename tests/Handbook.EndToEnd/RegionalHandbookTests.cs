using Deque.AxeCore.Playwright;
using Handbook.GitStore;
using Handbook.Region;
using Handbook.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>The app with a shared regional handbook: a regional repository on disk that the region's editors write with git.</summary>
public sealed class RegionalHandbookFixture : BrowserFixture
{
    public string Work { get; private set; } = "";

    public PageStore Store => App.Services.GetRequiredService<PageStore>();

    public RegionService Region => App.Services.GetRequiredService<RegionService>();

    protected override void Seed()
    {
        base.Seed();
        var root = Path.Combine(App.Root, "regio");
        Directory.CreateDirectory(root);
        TestGit.Run(root, "init -q --bare -b main regio.git");
        TestGit.Run(root, "clone -q regio.git werk");
        Work = Path.Combine(root, "werk");
        TestGit.Run(Work, "checkout -q -b main");
        Write("index.md", "---\ntitle: Regio Rivierenland\n---\n# Regio Rivierenland\n\nWat alle steden van de regio samen bijhouden: [[procedures/leefloon]].\n");
        Write("procedures/leefloon.md", "---\ntitle: Leefloon in de regio\nsummary: Wie, wat en hoe, voor alle steden van de regio.\n---\n# Leefloon in de regio\n\n" +
            "De aanvraag gebeurt bij het OCMW van de woonplaats.\n\nHet sociaal onderzoek volgt binnen een termijn die nog aan te vullen is.\n\n" +
            "De beslissing komt van het bijzonder comité.\n\nBeroep kan bij de arbeidsrechtbank.\n");
        Commit("Gedeeld handboek begonnen");
        App.Settings["Handbook:Region:Url"] = Path.Combine(root, "regio.git");
        App.Settings["Handbook:Region:Name"] = "Regio Rivierenland";
        App.Settings["Handbook:Region:City"] = "Teststad";
        App.Settings["Handbook:Region:Members:0"] = "Teststad";
        App.Settings["Handbook:Region:Members:1"] = "Buurgemeente";
        App.Settings["Handbook:Region:IntervalSeconds"] = "3600";
    }

    public string Read(string file) => File.ReadAllText(Path.Combine(Work, file));

    public void Write(string file, string text)
    {
        var full = Path.Combine(Work, file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public void Commit(string message)
    {
        TestGit.Run(Work, "add -A");
        TestGit.Run(Work, $"-c user.name=\"Regio Redactie\" -c user.email=redactie@regio.example commit -q -m \"{message}\"");
        TestGit.Run(Work, "push -q origin main");
    }
}

/// <summary>
/// A worker on a phone meets a shared page, adapts it for the city in the visual editor, later sees that the region
/// changed it, compares and takes the change with one tap. Each screen fits 390 px without sideways panning, is axe
/// clean and breaks no CSP rule; screenshots at 390 and 1280 px go to artifacts/.
/// </summary>
public sealed class RegionalHandbookTests(RegionalHandbookFixture fixture) : IClassFixture<RegionalHandbookFixture>
{
    private static readonly PagePath Leefloon = PagePath.Parse("regio/procedures/leefloon");

    private static string Shot(string name)
    {
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        return Path.Combine(BrowserFixture.ArtifactsPath, name);
    }

    [Fact]
    public async Task Worker_AdaptsASharedPage_ThenTakesTheRegionsChange_OnAPhone()
    {
        await Handbook.Tests.TestGit.Eventually(() => fixture.Store.Exists(Leefloon), seconds: 60);
        var page = await fixture.SignedInPageAsync("ma", new() { Locale = "nl-BE", ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true });
        var problems = await BrowserFixture.WatchForProblemsAsync(page);

        // The shared page: where it comes from, who shares it, and how to adapt it.
        await page.GotoAsync(fixture.BaseUrl + "/wiki/" + Leefloon.Value);
        var notice = page.Locator(".region-notice");
        await Expect(notice).ToContainTextAsync("Uit Regio Rivierenland");
        await Expect(notice).ToContainTextAsync("gedeeld met: Teststad, Buurgemeente");
        await CheckScreenAsync(page, "region-shared-page");
        // The section is called by the region's name in the navigation.
        await Expect(page.Locator(".nav-tree summary", new() { HasText = "Regio Rivierenland" })).ToHaveCountAsync(1);

        // Adapt it in the visual editor, with one thumb.
        await page.GetByRole(AriaRole.Link, new() { Name = "Aanpassen voor onze stad" }).TapAsync();
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(page.Locator(".edit-page .region-notice")).ToContainTextAsync("voor je eigen stad");
        // The visual editor (its bundle and styles load after the page) is on screen before the screenshots.
        await Expect(EditingTests.Editor(page)).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('link[data-editor-bundle]')].some(l => l.sheet)", null, new() { Timeout = 10000 });
        await CheckScreenAsync(page, "region-edit");
        await EditingTests.AppendAsync(page, "Bij ons: zonder afspraak aan het onthaal.");
        await page.Locator("#save-summary").FillAsync("Onthaal zonder afspraak");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(fixture.BaseUrl + "/wiki/" + Leefloon.Value);
        await Expect(notice).ToContainTextAsync("Aangepast voor onze stad");
        Assert.True(fixture.Store.RegionalPage(Leefloon)!.Overridden);

        // The region changes the page; the city's import brings it.
        fixture.Write("procedures/leefloon.md", fixture.Read("procedures/leefloon.md")
            .Replace("De beslissing komt van het bijzonder comité.", "De beslissing komt van het bijzonder comité, met een motivering.", StringComparison.Ordinal));
        fixture.Commit("Motivering vermeld");
        Assert.False((await fixture.Region.FetchNowAsync()).Stale);
        await page.ReloadAsync();
        await Expect(notice).ToContainTextAsync("heeft de gedeelde versie gewijzigd sinds jullie aanpassing");
        await CheckScreenAsync(page, "region-changed-page");
        // The review page lists it first, for whoever looks after the handbook.
        await page.GotoAsync(fixture.BaseUrl + "/review");
        await Expect(page.Locator("[aria-labelledby=region-review-title] li[data-page='regio/procedures/leefloon']")).ToContainTextAsync("Gewijzigd in de regio");
        await CheckScreenAsync(page, "region-review");
        await page.GotoAsync(fixture.BaseUrl + "/wiki/" + Leefloon.Value);

        // Compare, then take the change.
        await notice.GetByRole(AriaRole.Link, new() { Name = "Bekijk de wijzigingen" }).TapAsync();
        await Expect(page.Locator("#region-changes-title")).ToBeVisibleAsync();
        await Expect(page.Locator("[aria-labelledby=region-changes-title] ins")).ToContainTextAsync("met een motivering");
        await CheckScreenAsync(page, "region-compare", fullPage: true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Wijzigingen overnemen in onze versie" }).TapAsync();
        await Expect(page.Locator(".notice-new")).ToContainTextAsync("De wijzigingen van de regio staan nu in jullie versie.");
        var text = fixture.Store.Read(Leefloon)!.Text;
        Assert.Contains("zonder afspraak aan het onthaal", text, StringComparison.Ordinal);
        Assert.Contains("met een motivering", text, StringComparison.Ordinal);
        Assert.False(fixture.Store.RegionalPage(Leefloon)!.NeedsReview);
        // The shared version on its own, folded open.
        await page.Locator(".region-original summary").TapAsync();
        await Expect(page.Locator(".region-original .page-body")).ToContainTextAsync("met een motivering");
        await CheckScreenAsync(page, "region-compare-after", fullPage: true);

        // Search marks the shared pages.
        await page.GotoAsync(fixture.BaseUrl + "/search?q=arbeidsrechtbank");
        await Expect(page.Locator(".search-results li", new() { HasText = "Leefloon in de regio" }).Locator(".badge-shared")).ToHaveTextAsync("Gedeeld");
        await CheckScreenAsync(page, "region-search");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Administrator_SeesTheSharedHandbooksState_AndFetchesNow()
    {
        await Handbook.Tests.TestGit.Eventually(() => fixture.Store.Exists(Leefloon), seconds: 60);
        var page = await fixture.SignedInPageAsync("manager", new() { Locale = "nl-BE", ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true });
        var problems = await BrowserFixture.WatchForProblemsAsync(page);
        await page.GotoAsync(fixture.BaseUrl + "/beheer/regio");
        await Expect(page.Locator(".sync-status")).ToContainTextAsync("Regio Rivierenland");
        await page.GetByRole(AriaRole.Button, new() { Name = "Nu ophalen" }).TapAsync();
        await Expect(page.Locator("p.notice[role=status]")).ToContainTextAsync("Opgehaald:");
        await CheckScreenAsync(page, "region-admin");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }

    /// <summary>No sideways panning at 390 px, axe clean (serious and critical), and a screenshot at 390 and 1280 px.</summary>
    private static async Task CheckScreenAsync(IPage page, string name, bool fullPage = false)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 900);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), $"{name} pans sideways at {width} px");
            await page.ScreenshotAsync(new() { Path = Shot($"{name}-{width}.png"), FullPage = fullPage });
        }

        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Take(2).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, $"{name}: " + string.Join("\n", serious));
    }
}
