using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Handbook.Editing;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>Frontline asks, back office answers: two workers in two browsers.</summary>
public sealed class QuestionTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AWorkerAsksQuotingAPassage_TheOwnerSeesTheBell_AnswersAndMarksItSolvedByHerChange_TheWorkerSeesBoth()
    {
        // The jurist (team Backoffice juristen, which owns the page) has signed in before.
        var jurist = await fixture.SignedInPageAsync("jurist");
        var ma = await fixture.SignedInPageAsync("ma", new BrowserNewContextOptions { Locale = "nl-BE", ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true });
        var problems = await BrowserFixture.WatchForProblemsAsync(ma);
        problems.AddRange(await BrowserFixture.WatchForProblemsAsync(jurist));

        // On her phone, the worker selects a sentence of the page and asks about it.
        await ma.GotoAsync($"{fixture.BaseUrl}/wiki/procedures/leefloon-aanvragen");
        await Expect(ma.Locator("[data-ask-selection]")).ToBeHiddenAsync();
        await ma.EvaluateAsync("""
            () => {
              const p = [...document.querySelectorAll('.page-body p')].find(e => e.textContent.startsWith('De MA start de aanvraag.'));
              const range = document.createRange();
              range.selectNodeContents(p);
              getSelection().removeAllRanges();
              getSelection().addRange(range);
            }
            """);
        var askButton = ma.Locator("[data-ask-selection]");
        await Expect(askButton).ToBeVisibleAsync();
        await askButton.TapAsync();
        await Expect(ma.Locator("#vraag-stellen [data-ask-quote-text]")).ToHaveTextAsync(new Regex("^De MA start de aanvraag\\. Vraag raad aan het SVK"));
        await Expect(ma.Locator("#ask-text")).ToBeFocusedAsync();
        await ma.Locator("#ask-text").FillAsync("Geldt dit ook voor een student die bij de ouders woont?");
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await ma.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "question-ask-phone.png") });
        await ma.Locator("#vraag-stellen button[type=submit]").TapAsync();
        var question = ma.Locator(".question").First;
        await Expect(question.Locator(".question-quote")).ToHaveTextAsync(new Regex("^De MA start de aanvraag\\. Vraag raad aan het SVK"));
        await Expect(question).ToContainTextAsync("Geldt dit ook voor een student die bij de ouders woont?");
        await Expect(ma.Locator(".question-count")).ToHaveTextAsync("1 open vraag over deze pagina");
        Assert.True(await NoSidewaysPanningAsync(ma), "the page with its question pans sideways at 390 px");
        await AxeCleanAsync(ma);

        // The owner sees the bell count, opens the notification and lands on the question.
        await jurist.GotoAsync($"{fixture.BaseUrl}/");
        await Expect(jurist.Locator(".bell .bell-count")).ToHaveTextAsync("1", new() { Timeout = 15000 });
        await Expect(jurist.Locator(".bell")).ToHaveAttributeAsync("aria-label", "Meldingen: 1 ongelezen");
        Assert.True(await jurist.EvaluateAsync<bool>("() => { const r = document.querySelector('.bell-icon').getBoundingClientRect(); return r.width >= 16 && r.height >= 16; }"),
            "the bell is not drawn");
        await Expect(jurist.Locator("#team-questions-title")).ToHaveTextAsync("Open vragen aan jouw team");
        await jurist.Locator(".bell").ClickAsync();
        await Expect(jurist.Locator("h1")).ToHaveTextAsync("Meldingen");
        await AxeCleanAsync(jurist);
        await jurist.Locator(".notification-unread a").ClickAsync();
        await Expect(jurist).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen#vraag-"));
        await Expect(jurist.Locator(".bell .bell-count")).ToHaveCountAsync(0);

        // She improves the page, then answers and marks the question answered with that change.
        var store = fixture.App.Services.GetRequiredService<PageStore>();
        var path = PagePath.Parse("procedures/leefloon-aanvragen");
        var page = store.Read(path)!;
        var saved = await fixture.App.Services.GetRequiredService<PageCommands>().SaveAsync(Worker("jurist"),
            new SaveCommand(path, page.Text.Replace("De MA start de aanvraag.", "De MA start de aanvraag, ook voor een student.", StringComparison.Ordinal),
                "Studenten vermeld", page.Revision, page.Text));
        Assert.True(saved.Succeeded);
        await jurist.ReloadAsync();
        var thread = jurist.Locator(".question").First;
        await thread.Locator(".reply > summary").ClickAsync();
        await thread.Locator("textarea").FillAsync("Ja. De pagina zegt het nu ook.");
        await thread.Locator("input[name='Reply.Resolve']").CheckAsync();
        await thread.Locator("select[name='Reply.Change']").SelectOptionAsync(saved.Revision!);
        await thread.Locator("button[type=submit]").ClickAsync();
        await Expect(jurist.Locator(".question").First.Locator(".badge-answered")).ToHaveTextAsync("Beantwoord");

        // The worker hears of it, sees the answer and follows the link to the change.
        await ma.GotoAsync($"{fixture.BaseUrl}/meldingen");
        await Expect(ma.Locator(".notification-unread")).ToHaveCountAsync(2, new() { Timeout = 15000 });
        await Expect(ma.Locator(".notification-list")).ToContainTextAsync("Demo Jurist Backoffice antwoordde op een vraag over Leefloon aanvragen");
        Assert.True(await NoSidewaysPanningAsync(ma), "the notifications pan sideways at 390 px");
        await ma.GotoAsync($"{fixture.BaseUrl}/wiki/procedures/leefloon-aanvragen#vragen");
        question = ma.Locator(".question").First;
        await Expect(question).ToContainTextAsync("Ja. De pagina zegt het nu ook.");
        var solvedIn = question.Locator(".resolution a");
        await Expect(solvedIn).ToHaveTextAsync($"opgelost in wijziging {saved.Revision![..7]}");
        await ma.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "question-answered-phone.png"), FullPage = true });
        await solvedIn.TapAsync();
        await Expect(ma).ToHaveURLAsync(new Regex($"/diff/procedures/leefloon-aanvragen\\?from=[0-9a-f]{{40}}&to={saved.Revision}"));
        await Expect(ma.Locator(".diff-rendered ins").First).ToContainTextAsync("ook voor een student");

        // The other new screens: settings and the team's questions, on the phone and axe clean.
        foreach (var url in new[] { "/meldingen/instellingen", "/vragen?team=*" })
        {
            await ma.GotoAsync(fixture.BaseUrl + url);
            Assert.True(await NoSidewaysPanningAsync(ma), $"{url} pans sideways at 390 px");
            await AxeCleanAsync(ma);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await ma.Context.CloseAsync();
        await jurist.Context.CloseAsync();
    }

    private static System.Security.Claims.ClaimsPrincipal Worker(string id)
    {
        var w = Identity.DemoWorkers.Find(id)!;
        return new(new System.Security.Claims.ClaimsIdentity(
            [new("name", w.Name), new("email", w.Email), new(Identity.CurrentUser.TeamClaim, w.Team)], "test", "name", "role"));
    }

    private static Task<bool> NoSidewaysPanningAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    private static async Task AxeCleanAsync(IPage page)
    {
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})").ToList();
        Assert.True(serious.Count == 0, page.Url + "\n" + string.Join("\n", serious));
    }
}
