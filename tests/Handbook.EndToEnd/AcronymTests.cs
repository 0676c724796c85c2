using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>Acronyms answered where they are asked: in the search dropdown, on the results page, and in the page itself.</summary>
public sealed class AcronymTests(StarterHandbookFixture fixture) : IClassFixture<StarterHandbookFixture>
{
    [Theory]
    [InlineData("GPMI")]
    [InlineData("gpmi")]
    [InlineData("geïndividualiseerd project")]
    public async Task Dropdown_ShowsTheMeaningFirst_AndLeadsToTheHighlightedGlossaryRow(string typed)
    {
        var page = await fixture.SignedInPageAsync("ma", new() { Locale = "nl-BE", ViewportSize = new() { Width = 390, Height = 844 } });
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = "Zoeken in het handboek" });
        await box.ClickAsync();
        await box.PressSequentiallyAsync(typed, new() { Delay = 30 });
        var first = page.GetByRole(AriaRole.Listbox).GetByRole(AriaRole.Option).First;
        await Expect(first).ToContainTextAsync("GPMI — Geïndividualiseerd project voor maatschappelijke integratie");
        await Expect(first).ToContainTextAsync("Afkorting");
        Assert.True(await page.GetByRole(AriaRole.Listbox).GetByRole(AriaRole.Option).CountAsync() > 1, "pages follow the meaning");

        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/afkortingen#user-content-afk-gpmi$"));
        var row = page.Locator("tr#user-content-afk-gpmi");
        await Expect(row).ToBeInViewportAsync();
        // The row stands out: its background is not the table's white.
        Assert.Equal("rgb(255, 244, 206)", await row.EvaluateAsync<string>("r => getComputedStyle(r).backgroundColor"));
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "acronym-glossary-row-390.png") });
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("GPMI")]
    [InlineData("gpmi")]
    [InlineData("Geïndividualiseerd project voor maatschappelijke integratie")]
    public async Task ResultsPage_ShowsTheMeaningOnTop(string typed)
    {
        var page = await fixture.SignedInPageAsync("ma");
        await page.GotoAsync(fixture.BaseUrl + "/search?q=" + Uri.EscapeDataString(typed));
        var answer = page.Locator(".acronym-answers");
        await Expect(answer).ToContainTextAsync("GPMI — Geïndividualiseerd project voor maatschappelijke integratie");
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('.acronym-answers').getBoundingClientRect().top < (document.querySelector('.search-results')?.getBoundingClientRect().top ?? 1e9)"));
        await answer.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/afkortingen#user-content-afk-gpmi$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AcronymInAPage_ShowsItsMeaningInPlace_ByTouchAndByKeyboard_AxeClean()
    {
        var page = await fixture.SignedInPageAsync("ma", new() { Locale = "nl-BE", ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true });
        await page.GotoAsync(fixture.BaseUrl + "/wiki/sociale-kaart/svk");
        var svk = page.Locator(".page-body button.acronym", new() { HasText = "SVK" }).First;
        await Expect(svk).ToHaveAttributeAsync("aria-expanded", "false");
        await svk.TapAsync();
        await Expect(svk).ToHaveAttributeAsync("aria-expanded", "true");
        var tip = page.Locator(".page-body .acronym-tip:not(:empty)");
        await Expect(tip).ToHaveCountAsync(1);
        await Expect(tip).ToContainTextAsync("sociaal verhuurkantoor", new() { IgnoreCase = true });
        await Expect(tip).ToHaveAttributeAsync("role", "status");
        // The page did not move: the tap opened the tip, it did not follow the glossary link.
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/sociale-kaart/svk$"));
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "acronym-tip-390.png") });

        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Take(2).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        var onTips = axe.Violations.Where(v => v.Nodes.Any(n => n.Html.Contains("acronym", StringComparison.Ordinal))).Select(v => v.Id).ToList();
        Assert.True(onTips.Count == 0, string.Join(", ", onTips));

        // Escape closes it; the keyboard opens it again (Enter on the focused button), and its link leads to the glossary row.
        await page.Keyboard.PressAsync("Escape");
        await Expect(tip).ToHaveCountAsync(0);
        await svk.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(tip).ToHaveCountAsync(1);
        await tip.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/afkortingen#user-content-afk-svk$"));
        await Expect(page.Locator("tr#user-content-afk-svk")).ToBeInViewportAsync();
        await page.Context.CloseAsync();
    }
}
