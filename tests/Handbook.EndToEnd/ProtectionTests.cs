using Handbook.GitStore;
using Handbook.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>
/// A page protected while a worker has it open in the editor: her save, and her "keep my version" on the conflict
/// screen, are refused where the commit is made; the protection and the administrator's change stay.
/// </summary>
public sealed class ProtectionTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly Author Administrator = new("Demo Teamverantwoordelijke", "manager@demo.handbook.invalid") { MayChangeProtected = true };

    private PageStore Store => fixture.App.Services.GetRequiredService<PageStore>();

    private async Task<IPage> OpenEditorAsync(string path)
    {
        var page = await fixture.SignedInPageAsync("ma");
        await page.GotoAsync($"{fixture.BaseUrl}/edit/{path}");
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        return page;
    }

    private static Task ReplaceAsync(IPage page, string path, string from, string to) =>
        page.EvaluateAsync("async ([p, a, b]) => { const m = await import('/js/edit.js'); m.setMarkdown(p, m.getMarkdown(p).replace(a, b)); }", new[] { path, from, to });

    private static async Task SaveAsync(IPage page, string summary)
    {
        await page.Locator("#save-summary").FillAsync(summary);
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
    }

    private async Task ProtectAndChangeAsync(PagePath path, string from, string to)
    {
        var current = Store.Read(path)!;
        var text = FrontMatterText.SetField(current.Text, "protected", "true").Replace(from, to, StringComparison.Ordinal);
        Assert.IsType<SaveResult.Saved>(await Store.SaveAsync(new SaveRequest(path, text, Administrator, "Beschermd", current.Revision)));
    }

    [Fact]
    public async Task SaveOnAPageProtectedWhileTheEditorWasOpen_IsRefused_AndTheProtectionStays()
    {
        const string path = "procedures/huurwaarborg";
        var page = await OpenEditorAsync(path);
        await ProtectAndChangeAsync(PagePath.Parse(path), "Huurwaarborg via het OCMW.", "Huurwaarborg via het OCMW (beheer).");
        var head = Store.Head;

        await ReplaceAsync(page, path, "Huurwaarborg via het OCMW.", "Huurwaarborg via het OCMW (werker).");
        await SaveAsync(page, "Mijn versie");

        await Expect(page.Locator(".edit-page .notice[role=status]")).ToContainTextAsync("beschermd");
        await Expect(page.Locator(".conflict")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" })).ToBeDisabledAsync();
        Assert.Equal(head, Store.Head);
        Assert.Contains("protected: true", Store.Read(PagePath.Parse(path))!.Text, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task KeepMine_AfterTheConflict_OnAPageProtectedMeanwhile_IsRefused()
    {
        const string path = "procedures/leefloon-aanvragen";
        var page = await OpenEditorAsync(path);
        // A colleague changes the same line: the worker gets the conflict screen.
        var current = Store.Read(PagePath.Parse(path))!;
        await Store.SaveAsync(new SaveRequest(current.Path, current.Text.Replace("De MA start de aanvraag.", "De MA start de aanvraag meteen.", StringComparison.Ordinal),
            new Author("Demo Jurist Backoffice", "jurist@demo.handbook.invalid"), "Collega", current.Revision));
        await ReplaceAsync(page, path, "De MA start de aanvraag.", "De MA start de aanvraag vandaag.");
        await SaveAsync(page, "Mijn versie");
        await Expect(page.Locator(".conflict")).ToBeVisibleAsync();

        // Then an administrator protects it; "Toch mijn versie bewaren" would drop the protection: refused.
        await ProtectAndChangeAsync(PagePath.Parse(path), "Vraag raad", "Vraag steeds raad");
        var head = Store.Head;
        await page.GetByRole(AriaRole.Button, new() { Name = "Toch mijn versie bewaren" }).ClickAsync();
        await Expect(page.Locator(".edit-page .notice[role=status]")).ToContainTextAsync("beschermd");
        Assert.Equal(head, Store.Head);
        var text = Store.Read(PagePath.Parse(path))!.Text;
        Assert.Contains("protected: true", text, StringComparison.Ordinal);
        Assert.Contains("Vraag steeds raad", text, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
