using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

public sealed class SearchTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Worker_TypesInTheSearchBox_AndOpensAResultFromTheDropdownWithTheKeyboard()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/wiki/doelgroepen/oekrainers");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Oekraïners");

        // "/" jumps to the search box from anywhere on the page.
        await page.Locator("h1").ClickAsync();
        await page.Keyboard.PressAsync("/");
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = "Zoeken in het handboek" });
        await Expect(box).ToBeFocusedAsync();

        await box.PressSequentiallyAsync("leeflo", new() { Delay = 40 });
        var list = page.GetByRole(AriaRole.Listbox);
        await Expect(list).ToBeVisibleAsync();
        await Expect(box).ToHaveAttributeAsync("aria-expanded", "true");
        var first = list.GetByRole(AriaRole.Option).First;
        await Expect(first).ToContainTextAsync("Leefloon aanvragen");

        var axe = await page.RunAxe();
        Assert.DoesNotContain(axe.Violations, v => v.Impact is "serious" or "critical");

        await page.Keyboard.PressAsync("ArrowDown");
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "search-dropdown.png") });
        await Expect(first).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(box).ToHaveAttributeAsync("aria-activedescendant", (await first.GetAttributeAsync("id"))!);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Leefloon aanvragen");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Worker_ClicksASuggestion_OrClosesTheListWithEscape()
    {
        var page = await fixture.SignedInPageAsync();
        var box = page.Locator("#site-search-q");
        await box.FillAsync("");
        await box.PressSequentiallyAsync("svk", new() { Delay = 40 });
        var list = page.GetByRole(AriaRole.Listbox);
        await Expect(list).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(list).ToBeHiddenAsync();
        await Expect(box).ToHaveAttributeAsync("aria-expanded", "false");

        await box.PressSequentiallyAsync(" ", new() { Delay = 40 });
        await Expect(list).ToBeVisibleAsync();
        await list.GetByRole(AriaRole.Option, new() { Name = "Leefloon aanvragen" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ResultsPage_HighlightsMatches_FitsAPhone_AndPassesAxe()
    {
        var page = await fixture.SignedInPageAsync("ma", new BrowserNewContextOptions
        {
            Locale = "nl-BE", ViewportSize = new ViewportSize { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true,
        });
        await page.GotoAsync(fixture.BaseUrl + "/search?q=sociaal+verhuurkantoor");
        var results = page.Locator(".search-results li");
        await Expect(results.First).ToBeVisibleAsync();
        await Expect(page.Locator(".search-results mark").First).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the results page is {overflow}px wider than the phone screen");
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "search-phone-360.png"), FullPage = true });

        // Filter on a target group.
        await page.GotoAsync(fixture.BaseUrl + "/search?q=leefloon&doelgroep=Vluchtelingen");
        await Expect(results).ToHaveCountAsync(1);
        await Expect(results.First.Locator("h2")).ToHaveTextAsync("Leefloon aanvragen");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Administrator_RebuildsTheIndexAndSeesItFinish()
    {
        var page = await fixture.SignedInPageAsync("manager");
        await page.GotoAsync(fixture.BaseUrl + "/beheer/zoekindex");
        await Expect(page.Locator(".index-status[data-ready=true]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Zoekindex opnieuw opbouwen" }).ClickAsync();
        await Expect(page.Locator(".index-rebuilt")).ToHaveTextAsync("De zoekindex is opnieuw opgebouwd.");
        await Expect(page.Locator(".index-idle")).ToContainTextAsync("is bij met het handboek");
        var axe = await page.RunAxe();
        Assert.DoesNotContain(axe.Violations, v => v.Impact is "serious" or "critical");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AdministratorComponent_ReplayedInAWorkersPage_DoesNothingForHer()
    {
        // The administrator's prerendered page carries the component's marker (its type and parameters, signed by the app).
        var admin = await fixture.SignedInPageAsync("manager");
        var adminHtml = await (await admin.APIRequest.GetAsync(fixture.BaseUrl + "/beheer/zoekindex")).TextAsync();
        var marker = Regex.Match(adminHtml, "<!--Blazor:\\{\"type\":\"server\".*?<!--Blazor:\\{\"prerenderId\":\"[^\"]+\"\\}-->", RegexOptions.Singleline);
        Assert.True(marker.Success, "no server component marker on the administrator's page");
        await admin.Context.CloseAsync();

        // The worker's browser gets the marker into a page of her own before Blazor starts, and Blazor starts the component.
        var worker = await fixture.SignedInPageAsync("ma");
        await worker.RouteAsync("**/wiki/procedures/huurwaarborg", async route =>
        {
            var response = await route.FetchAsync();
            var body = (await response.TextAsync()).Replace("<main", marker.Value + "<main", StringComparison.Ordinal);
            await route.FulfillAsync(new() { Response = response, Body = body });
        });
        var index = fixture.App.Services.GetRequiredService<Handbook.Search.SearchIndex>();
        var before = index.Status.LastUpdated;
        await worker.GotoAsync(fixture.BaseUrl + "/wiki/procedures/huurwaarborg");
        await worker.WaitForFunctionAsync("() => window.Blazor !== undefined");
        // The component runs in her circuit, with her identity: it says no, and offers no rebuild.
        await Expect(worker.Locator("p[role=alert]", new() { HasText = "voor beheerders" })).ToBeVisibleAsync(new() { Timeout = 15000 });
        Assert.Equal(0, await worker.GetByRole(AriaRole.Button, new() { Name = "Zoekindex opnieuw opbouwen" }).CountAsync());
        await worker.WaitForTimeoutAsync(500);
        Assert.Equal(before, index.Status.LastUpdated);
        Assert.False(index.Status.Building);
        await worker.Context.CloseAsync();
    }
}
