using System.ServiceModel.Syndication;
using System.Text.RegularExpressions;
using System.Xml;
using Deque.AxeCore.Playwright;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

public sealed class HistoryTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Manager_ComparesTwoEditsRestoresTheFirstAndSeesItInChangesAndFeed()
    {
        // Two workers edit the same page.
        var store = fixture.App.Services.GetRequiredService<PageStore>();
        var path = PagePath.Parse("procedures/huurwaarborg");
        var original = store.Read(path)!;
        var first = (SaveResult.Saved)await store.SaveAsync(new SaveRequest(path, original.Text + "\nEerste aanvulling.\n",
            new Author("Demo Maatschappelijk Assistent", "ma@demo.handbook.invalid"), "Eerste aanvulling", original.Revision));
        await store.SaveAsync(new SaveRequest(path, store.Read(path)!.Text.Replace("Eerste aanvulling.", "Tweede versie van de aanvulling.", StringComparison.Ordinal),
            new Author("Demo Jurist Backoffice", "jurist@demo.handbook.invalid"), "Aanvulling herschreven", first.Revision));

        var page = await fixture.SignedInPageAsync("manager");
        await page.GotoAsync($"{fixture.BaseUrl}/wiki/procedures/huurwaarborg");
        await page.Locator(".page-menu summary").ClickAsync();
        await page.Locator(".page-menu a", new() { HasText = "Geschiedenis" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Geschiedenis van Huurwaarborg");
        await Expect(page.Locator(".history-table tbody tr")).ToHaveCountAsync(3);

        // Compare the two edits (default selection: newest two).
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Vergelijk de gekozen versies" }).ClickAsync();
        // First as the page shows it: the changed words marked inside the rendered paragraph, no Markdown.
        var rendered = page.Locator(".diff-rendered");
        await Expect(rendered.Locator(".diff-changed ins")).ToContainTextAsync("Tweede versie van de");
        await Expect(rendered.Locator(".diff-changed del")).ToContainTextAsync("Eerste");
        await Expect(rendered).Not.ToContainTextAsync("---");
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "diff-rendered-desktop.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the comparison pans sideways at 390 px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "diff-rendered-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 800);
        var axe = await page.RunAxe();
        Assert.DoesNotContain(axe.Violations, v => v.Impact is "serious" or "critical");
        // The text comparison is one click away.
        await page.Locator(".diff-views a", new() { HasText = "Tekst naast elkaar" }).ClickAsync();
        await Expect(page.Locator(".diff-side")).ToContainTextAsync("Tweede versie van de aanvulling.");
        await Expect(page.Locator(".diff-side del").First).ToBeVisibleAsync();

        // Restore the first edit, with a summary.
        await page.GotoAsync($"{fixture.BaseUrl}/history/procedures/huurwaarborg");
        await page.Locator($"tr[data-revision='{first.Revision}'] a", new() { HasText = "Zet deze versie terug" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Versie terugzetten");
        await page.Locator("#restore-summary").FillAsync("Eerste versie was juister");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Zet deze versie terug" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/history/procedures/huurwaarborg$"));
        await Expect(page.Locator(".history-table tbody tr").First).ToContainTextAsync("Eerste versie was juister");
        await Expect(page.Locator(".history-table tbody tr").First).ToContainTextAsync("teruggezet");
        Assert.Contains("Eerste aanvulling.", store.Read(path)!.Text, StringComparison.Ordinal);
        Assert.Equal("Demo Teamverantwoordelijke", store.LastChange(path)!.Author.Name);

        // The restore shows in recent changes (filter: restored) and in the Atom feed.
        await page.GotoAsync($"{fixture.BaseUrl}/changes?kind=Restored");
        await Expect(page.Locator(".change-list")).ToContainTextAsync("Eerste versie was juister");
        var feed = await page.Context.APIRequest.GetAsync($"{fixture.BaseUrl}/changes.atom");
        Assert.Equal(200, feed.Status);
        using var reader = XmlReader.Create(new MemoryStream(await feed.BodyAsync()));
        var parsed = SyndicationFeed.Load(reader);
        Assert.Contains(parsed.Items, i => i.Title.Text.EndsWith("Eerste versie was juister", StringComparison.Ordinal)
                                          && i.Categories.Any(c => c.Name == "restored"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Expert_MarksAPageReviewed()
    {
        var page = await fixture.SignedInPageAsync("jurist");
        await page.GotoAsync($"{fixture.BaseUrl}/review");
        var item = page.Locator("li[data-page='procedures/leefloon-aanvragen']");
        await Expect(item).ToContainTextAsync("Nakijken is te laat");
        await item.Locator("input[type=date]").FillAsync("2027-12-31");
        await item.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Markeer als nagekeken" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("is nagekeken");
        await Expect(page.Locator("li[data-page='procedures/leefloon-aanvragen']")).ToHaveCountAsync(0);

        var store = fixture.App.Services.GetRequiredService<PageStore>();
        var last = store.LastChange(PagePath.Parse("procedures/leefloon-aanvragen"))!;
        Assert.Equal("Nagekeken; volgende controle 2027-12-31", last.Summary);
        Assert.Equal("Demo Jurist Backoffice", last.Author.Name);
        await page.Context.CloseAsync();
    }
}
