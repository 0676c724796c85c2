using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Handbook.GitStore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>
/// Reading on a phone: no page pans sideways, the content starts on the first screen, the page menu works by keyboard.
/// Contexts are not "mobile" on purpose: a mobile viewport widens itself to a too-wide page (innerWidth grows with it),
/// which would hide the very overflow these tests look for.
/// </summary>
public sealed class PhoneLayoutTests(StarterHandbookFixture fixture) : IClassFixture<StarterHandbookFixture>
{
    private const string Measure = """
        () => {
          const h1 = document.querySelector('main h1');
          const body = document.querySelector('main .page-body > *');
          const top = e => e ? e.getBoundingClientRect().top + scrollY : -1;
          const bottom = e => e ? e.getBoundingClientRect().bottom + scrollY : -1;
          return [document.documentElement.scrollWidth, innerWidth, innerHeight, bottom(h1), top(body)];
        }
        """;

    private static BrowserNewContextOptions Phone(int width, int height) => new()
    {
        Locale = "nl-BE", ViewportSize = new ViewportSize { Width = width, Height = height }, HasTouch = true,
    };

    [Theory]
    [InlineData(320, 568)]
    [InlineData(360, 740)]
    [InlineData(390, 844)]
    public async Task EveryStarterPageAndTheWorkPages_FitThePhone_AndStartOnTheFirstScreen(int width, int height)
    {
        var path = PagePath.Parse("procedures/leefloon-aanvragen");
        var before = fixture.Store.Read(path)!;
        var after = await fixture.Store.SaveAsync(new SaveRequest(path, before.Text + $"\nEen zin voor de vergelijking op {width} px.\n",
            new Author("Demo Jurist Backoffice", "jurist@demo.handbook.invalid"), "Zin toegevoegd", before.Revision));
        var to = Assert.IsType<SaveResult.Saved>(after).Revision;

        var page = await fixture.SignedInPageAsync("manager", Phone(width, height));
        var routes = StarterHandbookFixture.StarterPages.Select(p => "/wiki/" + p)
            .Concat(["/", "/search?q=leefloon", "/search?q=huurwaarborg&section=procedures", "/changes", "/review", "/onderhoud",
                "/history/procedures/leefloon-aanvragen", "/blame/procedures/leefloon-aanvragen",
                $"/diff/procedures/leefloon-aanvragen?from={before.Revision}&to={to}",
                $"/diff/procedures/leefloon-aanvragen?from={before.Revision}&to={to}&view=side",
                $"/diff/procedures/leefloon-aanvragen?from={before.Revision}&to={to}&view=inline",
                "/offline", "/offline/zoeken", "/offline/niet-beschikbaar",
                "/edit/procedures/leefloon-aanvragen"]);
        var problems = new List<string>();
        foreach (var route in routes)
        {
            await page.GotoAsync(fixture.BaseUrl + route);
            if (route.StartsWith("/edit/", StringComparison.Ordinal))
            {
                await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
            }

            var m = await page.EvaluateAsync<double[]>(Measure);
            var (scrollWidth, innerWidth, innerHeight, h1Bottom, bodyTop) = (m[0], m[1], m[2], m[3], m[4]);
            Assert.Equal(width, innerWidth);
            if (scrollWidth > innerWidth)
            {
                problems.Add($"{route}: the page is {scrollWidth - innerWidth} px wider than the screen");
            }

            if (h1Bottom < 0 || h1Bottom > innerHeight)
            {
                problems.Add($"{route}: the title ends at {h1Bottom} px, the first screen at {innerHeight}");
            }

            // A page's text starts on the first screen of a common phone (the smallest is allowed the title only).
            if (route.StartsWith("/wiki/", StringComparison.Ordinal) && height >= 740 && (bodyTop < 0 || bodyTop > innerHeight))
            {
                problems.Add($"{route}: the text starts at {bodyTop} px, the first screen ends at {innerHeight}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        if (width == 390)
        {
            Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
            await page.GotoAsync(fixture.BaseUrl + "/wiki/backoffice");
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "phone-390-backoffice.png") });
            await page.GotoAsync(fixture.BaseUrl + "/search?q=leefloon");
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "phone-390-search.png") });
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WideTable_ScrollsInItsOwnLabelledBox_WithAVisibleHint()
    {
        var page = await fixture.SignedInPageAsync("ma", Phone(390, 844));
        await page.GotoAsync(fixture.BaseUrl + "/wiki/backoffice");
        var box = page.Locator(".page-body .table-scroll-wide").First;
        await Expect(box).ToHaveAttributeAsync("role", "region");
        await Expect(box).ToHaveAttributeAsync("tabindex", "0");
        await Expect(box).ToHaveAttributeAsync("aria-label", "Tabel, schuift opzij");
        await Expect(page.Locator(".page-body .table-hint").First).ToBeVisibleAsync();
        Assert.True(await box.EvaluateAsync<bool>("b => b.scrollWidth > b.clientWidth"));

        // The keyboard scrolls it: focus the box, press the right arrow.
        await box.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.WaitForFunctionAsync("() => document.querySelector('.page-body .table-scroll-wide').scrollLeft > 0");

        // On a wide screen the same table fits: no hint, no region.
        await page.SetViewportSizeAsync(1280, 900);
        await Expect(page.Locator(".page-body .table-hint")).ToHaveCountAsync(0);
        await Expect(page.Locator(".page-body .table-scroll-wide")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PageMenu_OpensAndClosesByKeyboard_FollowsALink_AndHasNoAxeViolations()
    {
        var page = await fixture.SignedInPageAsync("manager", Phone(390, 844));
        await page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/huurwaarborg");
        var menu = page.Locator("details.page-menu");
        var history = menu.GetByRole(AriaRole.Link, new() { Name = "Geschiedenis" });
        await Expect(history).Not.ToBeVisibleAsync();

        // Tab from the edit button lands on the menu's button; Enter opens it, Tab reaches its links.
        await page.Locator(".page-actions a.button", new() { HasText = "Bewerken" }).FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(menu.Locator("summary")).ToBeFocusedAsync();
        Assert.Equal("solid", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(history).ToBeVisibleAsync();
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "phone-390-page-menu.png") });

        var axe = await page.RunAxe();
        var inMenu = axe.Violations.Where(v => v.Nodes.Any(n => n.Html.Contains("page-menu", StringComparison.Ordinal) || n.Target.ToString().Contains("page-menu", StringComparison.Ordinal)))
            .Select(v => $"{v.Id} ({v.Impact})").ToList();
        Assert.True(inMenu.Count == 0, string.Join("\n", inMenu));
        Assert.DoesNotContain(axe.Violations, v => v.Impact is "serious" or "critical");

        await page.Keyboard.PressAsync("Tab");
        await Expect(history).ToBeFocusedAsync();
        // Escape closes the menu and gives focus back to its button.
        await page.Keyboard.PressAsync("Escape");
        await Expect(history).Not.ToBeVisibleAsync();
        await Expect(menu.Locator("summary")).ToBeFocusedAsync();

        // Space opens it too; the second link is "who wrote what", and Enter follows it.
        await page.Keyboard.PressAsync(" ");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Wie schreef wat" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/blame/procedures/huurwaarborg$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PageLoad_GivesNoFocusRing_TaskListsAreSteps_AndTheReviewNoteSpeaksToReaders()
    {
        var page = await fixture.SignedInPageAsync("ma", Phone(390, 844));
        await page.GotoAsync(fixture.BaseUrl + "/wiki/sociale-kaart/jac");
        // Navigation moves focus to the title (for screen readers): no ring for that.
        var ring = await page.EvaluateAsync<string>("() => { const e = document.querySelector('main h1'); e.focus(); const s = getComputedStyle(e); return s.outlineStyle + '|' + s.boxShadow; }");
        Assert.Equal("none|none", ring);

        var steps = page.Locator(".page-body .contains-task-list > .task-list-item");
        Assert.True(await steps.CountAsync() >= 3);
        await Expect(page.Locator(".page-body .task-list-item input[type=checkbox]:visible")).ToHaveCountAsync(0);
        var marker = await steps.First.EvaluateAsync<string>("li => getComputedStyle(li, '::before').content");
        Assert.Equal("counter(step)", marker);

        // Its review date (30 September 2026) has passed: readers are told who is on it, not that something is late.
        await page.GotoAsync(fixture.BaseUrl + "/wiki/werking/zitdagen-partners");
        await Expect(page.Locator(".review-note")).ToHaveTextAsync("Wordt nagekeken door Leidinggevende ID-team");
        // The details are folded on a phone, and open on a wide screen.
        await Expect(page.Locator("details.page-about")).Not.ToHaveAttributeAsync("open", "");
        await page.SetViewportSizeAsync(1280, 900);
        await page.ReloadAsync();
        await Expect(page.Locator("details.page-about")).ToHaveAttributeAsync("open", "");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SearchResults_FoldTheirFilters_SoTheFirstResultIsOnTheFirstScreen()
    {
        var page = await fixture.SignedInPageAsync("ma", Phone(360, 740));
        await page.GotoAsync(fixture.BaseUrl + "/search?q=leefloon");
        await Expect(page.Locator("#filter-section")).Not.ToBeVisibleAsync();
        var first = page.Locator(".search-results h2").First;
        var bottom = await first.EvaluateAsync<double>("h => h.getBoundingClientRect().bottom + scrollY");
        Assert.True(bottom <= 740, $"the first result ends at {bottom} px");

        await page.Locator(".search-filters-fold summary").ClickAsync();
        await page.Locator("#filter-section").SelectOptionAsync("procedures");
        await page.Locator(".search-page-form button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("section=procedures"));
        // With a filter on, the filters are shown, and say how many are on.
        await Expect(page.Locator("#filter-section")).ToBeVisibleAsync();
        await Expect(page.Locator(".search-filters-fold summary")).ToHaveTextAsync("Filters (1 actief)");
        await page.Context.CloseAsync();
    }
}
