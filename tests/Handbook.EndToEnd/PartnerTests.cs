using System.Globalization;
using Deque.AxeCore.Playwright;
using Handbook.GitStore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>
/// The sociale kaart in chromium: a partner made from the template and filled in the form shows up on the generated
/// overview, in "Deze week in het Sociaal Huis" and in the card behind a link to it; the new screens fit a phone, are
/// axe clean and break no CSP rule. Page names and words are this class's own (the fixture is shared).
/// </summary>
public sealed class PartnerTests(StarterHandbookFixture fixture) : IClassFixture<StarterHandbookFixture>
{
    private static string Shot(string name)
    {
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        return Path.Combine(BrowserFixture.ArtifactsPath, name);
    }

    /// <summary>Console errors and CSP violations of a page, collected from the start.</summary>
    private static List<string> Watch(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error") { problems.Add("console: " + m.Text); } };
        page.PageError += (_, e) => problems.Add("page error: " + e);
        return problems;
    }

    private static async Task<List<string>> SeriousAxeAsync(IPage page)
    {
        var axe = await page.RunAxe();
        return axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{page.Url}: {v.Id}: {string.Join(", ", v.Nodes.Take(2).Select(n => n.Html))}").ToList();
    }

    [Fact]
    public async Task PartnerFromTheTemplate_FilledInTheForm_IsOnTheOverview_InDezeWeek_AndInTheCardOfALinkingPage()
    {
        var page = await fixture.SignedInPageAsync("ma", new() { Locale = "nl-BE", ViewportSize = new() { Width = 1280, Height = 900 } });
        var problems = Watch(page);
        await page.GotoAsync(fixture.BaseUrl + "/wiki/sociale-kaart");
        await page.Locator(".partner-overview a.button").ClickAsync();
        await page.Locator("#new-title").FillAsync("Kaarttest Koepel");
        Assert.Equal("partner", await page.Locator("#new-kind").InputValueAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Pagina maken" }).ClickAsync();
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        Assert.Equal("sociale-kaart/kaarttest-koepel", await page.Locator(".edit-page").GetAttributeAsync("data-path"));

        // The template prompts for the partner fields; what is typed wrongly is said at once.
        var form = page.Locator("[data-partner-form]");
        await Expect(form).ToBeVisibleAsync();
        await form.Locator("#pf-acronym").FillAsync("KTKP");
        await form.Locator("#pf-theme-schulden").CheckAsync();
        await form.Locator("#pf-phone").FillAsync("+32 0 000 00 00");
        await form.Locator("#pf-website").FillAsync("https://kaarttest.handbook.invalid");
        await form.Locator("[data-add-zitdag]").ClickAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels")).DateTime);
        var dayName = Handbook.Partners.PartnerFieldsReader.DayName(today.DayOfWeek);
        await form.Locator("#pz-1-day").SelectOptionAsync(dayName);
        await form.Locator("#pz-1-hours").FillAsync("kwart over");
        await page.Keyboard.PressAsync("Tab"); // a field is taken when it loses focus, as the other metadata fields
        await Expect(form.Locator("[data-partner-issues]")).ToContainTextAsync("'kwart over' zijn geen geldige uren");
        await form.Locator("#pz-1-hours").FillAsync("00:00-23:59");
        await form.Locator("#pz-1-room").FillAsync("Kaarttestlokaal");
        await page.Keyboard.PressAsync("Tab");
        await form.Locator("#pz-1-appointment").SelectOptionAsync("nee");
        await Expect(form.Locator("[data-partner-issues]")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Shot("partner-edit-form-1280.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), "the edit form pans sideways at 390 px");
        await form.ScreenshotAsync(new() { Path = Shot("partner-edit-form-390.png") });
        await page.SetViewportSizeAsync(1280, 900);

        await page.Locator("#save-summary").FillAsync("Kaarttest partner aangemaakt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(fixture.BaseUrl + "/wiki/sociale-kaart/kaarttest-koepel");

        // Plain YAML in git: only the fields the worker filled changed.
        var text = fixture.Store.Read(PagePath.Parse("sociale-kaart/kaarttest-koepel"))!.Text;
        Assert.Contains("afkorting: KTKP\n", text, StringComparison.Ordinal);
        Assert.Contains("themas: [schulden]\n", text, StringComparison.Ordinal);
        Assert.Contains($"zitdagen:\n  - dag: {dayName}\n    uren: \"00:00-23:59\"\n    lokaal: Kaarttestlokaal\n    op_afspraak: nee\n", text, StringComparison.Ordinal);
        Assert.Contains("email: \n", text, StringComparison.Ordinal);

        var facts = page.Locator(".partner-facts");
        await Expect(facts).ToContainTextAsync("KTKP");
        await Expect(facts.Locator(".partner-missing-fields")).ToContainTextAsync("Nog aan te vullen");
        await Expect(facts.Locator(".partner-missing-fields")).ToContainTextAsync("E-mail");
        await Expect(facts.Locator("a[href='tel:+3200000000']")).ToBeVisibleAsync();

        await page.GotoAsync(fixture.BaseUrl + "/wiki/sociale-kaart?thema=schulden");
        await Expect(page.Locator(".partner-theme-group[data-theme=schulden] .partner-entry[data-partner='sociale-kaart/kaarttest-koepel']")).ToContainTextAsync("KTKP");
        await Expect(page.Locator(".partner-theme-group[data-theme=wonen]")).ToHaveCountAsync(0);

        await page.GotoAsync(fixture.BaseUrl + "/zitdagen");
        await Expect(page.Locator("#this-week").Locator("xpath=..").Locator(".zitdag-today")).ToContainTextAsync("KTKP");
        await page.GotoAsync(fixture.BaseUrl + "/");
        await Expect(page.Locator(".zitdag-home")).ToContainTextAsync("KTKP");

        // A page that links to the partner: the link gets a card, by tap/keyboard on its button and by hovering the link.
        await fixture.Store.SaveAsync(new SaveRequest(PagePath.Parse("werking/kaarttest-verwijzing"),
            "---\ntitle: Kaarttest verwijzing\n---\n# Kaarttest verwijzing\n\nVraag het aan [[sociale-kaart/kaarttest-koepel|de kaarttestkoepel]].\n",
            new Author("Kaarttest", "kaarttest@demo.handbook.invalid"), "Kaarttest verwijzing", null));
        await page.GotoAsync(fixture.BaseUrl + "/wiki/werking/kaarttest-verwijzing");
        var toggle = page.Locator(".page-body button.partner-toggle");
        await Expect(toggle).ToHaveAttributeAsync("aria-label", "Contact en zitdag van de kaarttestkoepel");
        await page.Locator(".page-body a[data-partner]").HoverAsync();
        var card = page.Locator(".page-body .partner-tip:not(:empty)");
        await Expect(card).ToContainTextAsync("KTKP · Kaarttest Koepel");
        await Expect(card).ToContainTextAsync("00:00–23:59");
        await Expect(card.Locator("a[href='tel:+3200000000']")).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("E-mail: nog aan te vullen");
        await page.ScreenshotAsync(new() { Path = Shot("partner-card-hover-1280.png") });
        await page.Mouse.MoveAsync(5, 5);
        await Expect(card).ToHaveCountAsync(0);
        await toggle.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(card).ToContainTextAsync("Kaarttestlokaal");
        await page.Keyboard.PressAsync("Escape");
        await Expect(card).ToHaveCountAsync(0);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PartnerScreens_FitAPhone_AreAxeClean_AndTheCardOpensByTap()
    {
        var page = await fixture.SignedInPageAsync("ma", new() { Locale = "nl-BE", ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true });
        var problems = Watch(page);
        var screens = new (string Route, string Name)[]
        {
            ("/wiki/sociale-kaart", "partner-overview"), ("/zitdagen", "zitdagen-week"), ("/wiki/sociale-kaart/svk", "partner-page"),
            ("/", "home-zitdagen"), ("/search?q=huurdersbond", "partner-search"),
        };
        foreach (var width in new[] { 390, 1280 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 900);
            foreach (var (route, name) in screens)
            {
                await page.GotoAsync(fixture.BaseUrl + route);
                Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), $"{route} pans sideways at {width} px");
                await page.ScreenshotAsync(new() { Path = Shot($"{name}-{width}.png"), FullPage = width == 390 && name is "zitdagen-week" or "partner-search" });
                if (name == "partner-overview")
                {
                    await page.Locator(".partner-overview").ScreenshotAsync(new() { Path = Shot($"partner-overview-list-{width}.png") });
                }

                if (width == 390)
                {
                    problems.AddRange(await SeriousAxeAsync(page));
                }
            }
        }

        // The starter partners show the hours the seed notes give, and say the day is still to be completed.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(fixture.BaseUrl + "/wiki/sociale-kaart/huurdersbond");
        await Expect(page.Locator(".partner-facts .partner-zitdagen")).ToContainTextAsync("dag nog aan te vullen, 13:00–15:00");
        await Expect(page.Locator(".partner-facts .partner-zitdagen")).ToContainTextAsync("17:00–19:00");
        await page.GotoAsync(fixture.BaseUrl + "/zitdagen");
        await Expect(page.Locator(".zitdag-undated")).ToContainTextAsync("SVK");

        // A tap on the card's button on a phone: the card opens in place, fits, and its phone link would dial.
        await page.GotoAsync(fixture.BaseUrl + "/wiki/werking/zitdagen-partners");
        var toggle = page.Locator(".page-body button.partner-toggle").First;
        await toggle.TapAsync();
        var card = page.Locator(".page-body .partner-tip:not(:empty)");
        await Expect(card).ToContainTextAsync("Volgende zitdag in het Sociaal Huis");
        await Expect(page).ToHaveURLAsync(fixture.BaseUrl + "/wiki/werking/zitdagen-partners");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), "the open card pans sideways");
        await card.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Shot("partner-card-390.png") });
        problems.AddRange(await SeriousAxeAsync(page));

        // The edit form of a partner page on the phone.
        await page.GotoAsync(fixture.BaseUrl + "/edit/sociale-kaart/svk");
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.Locator("details.meta-fields > summary").ClickAsync();
        await Expect(page.Locator("[data-partner-form] #pz-1-hours")).ToHaveValueAsync("13:30-16:00");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), "the partner form pans sideways");
        var axe = await page.RunAxe();
        problems.AddRange(axe.Violations.Where(v => v.Impact is "serious" or "critical" && v.Nodes.Any(n => n.Html.Contains("pf-", StringComparison.Ordinal) || n.Html.Contains("pz-", StringComparison.Ordinal)))
            .Select(v => "edit form: " + v.Id));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }
}
