using System.Text.RegularExpressions;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

public sealed class EditingTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private PageStore Store => fixture.App.Services.GetRequiredService<PageStore>();

    private async Task<IPage> OpenEditorAsync(string path, string worker = "ma", IPage? page = null)
    {
        page ??= await fixture.SignedInPageAsync(worker);
        await page.GotoAsync($"{fixture.BaseUrl}/edit/{path}");
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        return page;
    }

    /// <summary>The visual editor's text (ProseMirror's content element).</summary>
    internal static ILocator Editor(IPage page) => page.Locator(".editor-host .hb-content");

    internal static async Task AppendAsync(IPage page, string text)
    {
        // Near the top-left corner: a click on a wiki link would open the page picker.
        await Editor(page).ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await Expect(Editor(page)).ToBeFocusedAsync();
        // The caret must be at the end of the text before Enter (under load a key can arrive before the click's caret).
        const string atEnd = "() => { const s = getSelection(); const c = document.querySelector('.editor-host .hb-content'); if (!s.rangeCount || !c.contains(s.focusNode)) return false; "
            + "const r = document.createRange(); r.selectNodeContents(c); r.setStart(s.focusNode, s.focusOffset); return r.toString().trim() === ''; }";
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Control+End");
            // At the end, and still there a moment later (a click's caret can land after the key on a busy machine).
            if (await page.EvaluateAsync<bool>(atEnd))
            {
                await page.WaitForTimeoutAsync(250);
                if (await page.EvaluateAsync<bool>(atEnd))
                {
                    break;
                }
            }
        }

        Assert.True(await page.EvaluateAsync<bool>(atEnd), "the caret did not reach the end of the text");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync(text);
    }

    private static async Task SaveAsync(IPage page, string summary)
    {
        await page.Locator("#save-summary").FillAsync(summary);
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
    }

    [Fact]
    public async Task Worker_EditsWithLivePreview_AndSavesOneCommitInTheirName()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/wiki/procedures/huurwaarborg");
        await page.Locator("a.button", new() { HasText = "Bewerken" }).ClickAsync();
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        Assert.Equal("rich", await page.Locator(".editor-host").GetAttributeAsync("data-editor"));

        await AppendAsync(page, "Vraag het SVK om advies.");
        // The preview uses the page pipeline: the acronym is marked from the glossary.
        await Expect(page.Locator(".preview-body abbr[title='sociaal verhuurkantoor']")).ToBeVisibleAsync();
        await SaveAsync(page, "Advies SVK toegevoegd");
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/huurwaarborg$"));
        await Expect(page.Locator(".page-body")).ToContainTextAsync("Vraag het SVK om advies.");

        var last = Store.LastChange(PagePath.Parse("procedures/huurwaarborg"))!;
        Assert.Equal("Demo Maatschappelijk Assistent", last.Author.Name);
        Assert.Equal("Advies SVK toegevoegd", last.Summary);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Editor_RefusesAPageOverTheLimitWithAClearMessage_AndKeepsWorking()
    {
        const string path = "doelgroepen/oekrainers";
        var before = Store.LastChange(PagePath.Parse(path))!.Revision;
        // The plain editor (as when the rich editor's bundle cannot load): the rich one needs minutes for 3 MB.
        var page = await fixture.SignedInPageAsync();
        await page.RouteAsync("**/lib/editor/**", route => route.AbortAsync());
        page = await OpenEditorAsync(path, page: page);
        Assert.Equal("plain", await page.Locator(".editor-host").GetAttributeAsync("data-editor"));
        // About 3 MB pasted in (the limit is 2 MB): refused in the browser, the circuit stays up.
        await page.EvaluateAsync("async (p) => { const m = await import('/js/edit.js'); m.setMarkdown(p, 'Een lange regel tekst over de procedure.\\n'.repeat(75000)); }", path);
        await page.Locator("#save-summary").FillAsync("Te groot");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(page.Locator(".edit-page [role=status]")).ToContainTextAsync("te groot om te bewaren", new() { Timeout = 20000 });
        Assert.Equal(before, Store.LastChange(PagePath.Parse(path))!.Revision);

        await page.EvaluateAsync("async (p) => { const m = await import('/js/edit.js'); m.setMarkdown(p, '# Oekraïners\\n\\nKort en goed.\\n'); }", path);
        await page.Locator("#save-summary").FillAsync("Ingekort");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/doelgroepen/oekrainers$"), new() { Timeout = 20000 });
        Assert.Equal("Ingekort", Store.LastChange(PagePath.Parse(path))!.Summary);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Editor_KeyboardShortcutsAndUndoWork()
    {
        var page = await OpenEditorAsync("procedures/huurwaarborg", "ma");
        await AppendAsync(page, "vet");
        // Ctrl+B on the selected word makes it bold (no Markdown markers appear); Ctrl+Z takes it away again.
        // (The editor's undo groups edits less than 500 ms apart: wait so typing and bold are two steps.)
        await page.WaitForTimeoutAsync(800);
        await page.Keyboard.PressAsync("Shift+Home");
        await page.Keyboard.PressAsync("Control+b");
        await Expect(Editor(page).Locator("strong", new() { HasText = "vet" })).ToBeVisibleAsync();
        await Expect(page.Locator(".hb-toolbar [data-action=bold]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Editor(page)).Not.ToContainTextAsync("**");
        await page.Keyboard.PressAsync("Control+z");
        await Expect(Editor(page).Locator("strong", new() { HasText = "vet" })).ToHaveCountAsync(0);
        await Expect(Editor(page)).ToContainTextAsync("vet");
        await page.Keyboard.PressAsync("Control+y");
        await Expect(Editor(page).Locator("strong", new() { HasText = "vet" })).ToBeVisibleAsync();
        var markdown = await page.EvaluateAsync<string>("async () => (await import('/js/edit.js')).getMarkdown('procedures/huurwaarborg')");
        Assert.EndsWith("\n\n**vet**\n", markdown, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Editor_RoundTripsEveryStarterPageUnchanged()
    {
        var page = await OpenEditorAsync("werking/vijandig");
        var root = Handbook.Tests.StarterContentTests.RepositoryRoot;
        var files = Directory.EnumerateFiles(Path.Combine(root, "content", "handbook"), "*.md", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count >= 40);
        var changed = new List<string>();
        foreach (var file in files)
        {
            var body = Handbook.Rendering.FrontMatterText.Split(await File.ReadAllTextAsync(file)).Body;
            var back = await page.EvaluateAsync<string>(
                "text => { const el = document.createElement('div'); document.body.appendChild(el); const ed = window.HandbookEditor.create(el, text, {}); const out = ed.getMarkdown(); ed.destroy(); el.remove(); return out; }",
                body);
            if (back != body)
            {
                changed.Add(Path.GetRelativePath(root, file));
            }
        }

        Assert.True(changed.Count == 0, "changed by the editor: " + string.Join(", ", changed));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SavingUnchanged_MakesNoCommit_AndOneWordMakesAOneLineDiff()
    {
        var path = PagePath.Parse("procedures/leefloon-aanvragen");
        var before = Store.Head;
        var page = await OpenEditorAsync(path.Value);
        await SaveAsync(page, "niets gewijzigd");
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen$"));
        Assert.Equal(before, Store.Head);

        var original = Store.Read(path)!;
        await OpenEditorAsync(path.Value, page: page);
        var body = await page.EvaluateAsync<string>("async () => (await import('/js/edit.js')).getMarkdown('procedures/leefloon-aanvragen')");
        await page.EvaluateAsync("async t => (await import('/js/edit.js')).setMarkdown('procedures/leefloon-aanvragen', t)", body.Replace("De MA start", "De MA begint", StringComparison.Ordinal));
        await SaveAsync(page, "Eén woord");
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen$"));
        var diff = Store.Diff(path, original.Revision, Store.Head!)!;
        Assert.Equal((1, 1), (diff.LinesAdded, diff.LinesDeleted));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TwoWorkers_EditTheSamePage_MergeWhenApart_ConflictWhenOverlapping()
    {
        const string path = "procedures/leefloon-aanvragen";
        var a = await OpenEditorAsync(path, "ma");
        var b = await OpenEditorAsync(path, "jurist");

        // Apart: A appends at the end, B changes a heading higher up.
        await AppendAsync(a, "Aanvulling van A.");
        await SaveAsync(a, "A vult aan");
        await Expect(a).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen$"));
        var bodyB = await b.EvaluateAsync<string>("async () => (await import('/js/edit.js')).getMarkdown('procedures/leefloon-aanvragen')");
        await b.EvaluateAsync("async t => (await import('/js/edit.js')).setMarkdown('procedures/leefloon-aanvragen', t)", bodyB.Replace("## Voorwaarden", "## Voorwaarden (B)", StringComparison.Ordinal));
        await SaveAsync(b, "B verduidelijkt");
        await Expect(b).ToHaveURLAsync(new Regex("samengevoegd=1"));
        await Expect(b.Locator(".notice-new")).ToBeVisibleAsync();
        var text = Store.Read(PagePath.Parse(path))!.Text;
        Assert.Contains("Aanvulling van A.", text, StringComparison.Ordinal);
        Assert.Contains("(B)", text, StringComparison.Ordinal);

        // Overlapping: both change the same line.
        await OpenEditorAsync(path, page: a);
        await OpenEditorAsync(path, page: b);
        foreach (var (p, word) in new[] { (a, "AAA"), (b, "BBB") })
        {
            var body = await p.EvaluateAsync<string>("async () => (await import('/js/edit.js')).getMarkdown('procedures/leefloon-aanvragen')");
            await p.EvaluateAsync("async t => (await import('/js/edit.js')).setMarkdown('procedures/leefloon-aanvragen', t)", body.Replace("Aanvulling van A.", "Aanvulling " + word + ".", StringComparison.Ordinal));
        }

        await SaveAsync(a, "A herschrijft");
        await Expect(a).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen$"));
        await SaveAsync(b, "B herschrijft");
        await Expect(b.Locator(".conflict")).ToBeVisibleAsync();
        await Expect(b.Locator(".conflict-mine")).ToHaveValueAsync(new Regex("Aanvulling BBB\\."));
        await Expect(b.Locator(".conflict .diff-inline")).ToContainTextAsync("AAA");
        Assert.Contains("Aanvulling AAA.", Store.Read(PagePath.Parse(path))!.Text, StringComparison.Ordinal);

        // B continues from A's version and saves: both texts are in history.
        await b.GetByRole(AriaRole.Button, new() { Name = "Toch mijn versie bewaren" }).ClickAsync();
        await Expect(b).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen"));
        var history = Store.History(PagePath.Parse(path));
        Assert.Equal("B herschrijft", history[0].Summary);
        Assert.Equal("A herschrijft", history[1].Summary);
        Assert.Contains("Aanvulling AAA.", Store.Read(PagePath.Parse(path), history[1].Revision)!.Text, StringComparison.Ordinal);
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }

    [Fact]
    public async Task Reload_MidEdit_OffersTheDraftBack()
    {
        var page = await OpenEditorAsync("procedures/huurwaarborg", "jurist");
        await AppendAsync(page, "Nog niet bewaarde zin.");
        await page.WaitForTimeoutAsync(800); // the draft is written 350 ms after the last keystroke
        page.Dialog += (_, d) => _ = d.AcceptAsync();
        await page.ReloadAsync();
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(page.Locator("[data-draft]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Concept herstellen" }).ClickAsync();
        await Expect(Editor(page)).ToContainTextAsync("Nog niet bewaarde zin.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Upload_ImageAppearsInPage_SvgIsRefused()
    {
        var page = await OpenEditorAsync("procedures/huurwaarborg", "manager");
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        // The toolbar's "Afbeelding of bestand" button opens this file input.
        await Editor(page).ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await page.Keyboard.PressAsync("Control+End");
        await page.Locator(".hb-file-input").SetInputFilesAsync(new FilePayload { Name = "plan.png", MimeType = "image/png", Buffer = png });
        await Expect(page.Locator(".edit-page .notice")).ToContainTextAsync("plan.png");
        await Expect(page.Locator(".preview-body img[src='/files/procedures/huurwaarborg/plan.png']")).ToBeVisibleAsync();
        await Expect(Editor(page).Locator("img[src='/files/procedures/huurwaarborg/plan.png']")).ToBeVisibleAsync();

        await page.Locator(".hb-file-input").SetInputFilesAsync(new FilePayload { Name = "kwaad.svg", MimeType = "image/svg+xml", Buffer = "<svg onload=\"alert(1)\"/>"u8.ToArray() });
        await Expect(page.Locator(".edit-page .notice")).ToContainTextAsync("SVG-bestanden worden geweigerd");

        // Over the upload limit: refused in the browser with the reason, before anything is sent.
        var uploads = 0;
        page.Request += (_, request) => uploads += request.Url.Contains("/api/files/", StringComparison.Ordinal) ? 1 : 0;
        // The fixture's limit is 2 MB (see BrowserFixture): 3 MB through Playwright's pipe.
        await page.Locator(".hb-file-input").SetInputFilesAsync(new FilePayload { Name = "groot.png", MimeType = "image/png", Buffer = new byte[3 * 1024 * 1024] }, new() { Timeout = 120_000 });
        await Expect(page.Locator(".edit-page .notice")).ToContainTextAsync("groter dan 2 MB", new() { Timeout = 30_000 });
        Assert.Equal(0, uploads);

        await SaveAsync(page, "Plan toegevoegd");
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/huurwaarborg$"));
        var image = page.Locator(".page-body img[src='/files/procedures/huurwaarborg/plan.png']");
        await Expect(image).ToBeVisibleAsync();
        Assert.True(await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 1"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PrivacyGuard_StopsAValidNationalNumber_LetsAnInvalidOneThrough()
    {
        var path = PagePath.Parse("procedures/leefloon-aanvragen");
        var page = await OpenEditorAsync(path.Value, "jurist");
        await AppendAsync(page, "Cliënt met nummer 85.07.30-123.35.");
        var head = Store.Head;
        await SaveAsync(page, "Voorbeeld");
        await Expect(page.Locator(".privacy")).ToContainTextAsync("85.07.30-123.35");
        await Expect(page.Locator(".privacy")).ToContainTextAsync("Rijksregisternummer");
        Assert.Equal(head, Store.Head);

        // Confirming with a reason records it in the commit message trailer.
        await page.Locator("#privacy-confirm").CheckAsync();
        await page.Locator("#privacy-reason").FillAsync("fictief voorbeeldnummer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen"));
        Assert.NotEqual(head, Store.Head);

        var second = await OpenEditorAsync(path.Value, "jurist");
        await AppendAsync(second, "Ongeldig nummer 85.07.30-123.36 is geen probleem.");
        await SaveAsync(second, "Ongeldig voorbeeld");
        await Expect(second).ToHaveURLAsync(new Regex("/wiki/procedures/leefloon-aanvragen$"));
        await page.Context.CloseAsync();
        await second.Context.CloseAsync();
    }
}

public sealed class PageManagementTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private PageStore Store => fixture.App.Services.GetRequiredService<PageStore>();

    [Fact]
    public async Task ProtectedPage_OnlyAnAdministratorCanSave()
    {
        var worker = await fixture.SignedInPageAsync("ma");
        await worker.GotoAsync($"{fixture.BaseUrl}/edit/werking/beleid");
        await Expect(worker.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(worker.Locator(".edit-page .notice-warning")).ToContainTextAsync("beschermd");
        await Expect(worker.GetByRole(AriaRole.Button, new() { Name = "Bewaren" })).ToBeDisabledAsync();
        await worker.GotoAsync($"{fixture.BaseUrl}/delete/werking/beleid");
        await worker.Locator("#delete-summary").FillAsync("weg");
        await worker.GetByRole(AriaRole.Button, new() { Name = "Verwijderen" }).ClickAsync();
        await Expect(worker.Locator(".notice-warning")).ToContainTextAsync("beschermd");
        Assert.True(Store.Exists(PagePath.Parse("werking/beleid")));

        var admin = await fixture.SignedInPageAsync("manager");
        await admin.GotoAsync($"{fixture.BaseUrl}/edit/werking/beleid");
        await Expect(admin.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await admin.Locator(".editor-host .hb-content").ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await admin.Keyboard.PressAsync("Control+End");
        await admin.Keyboard.TypeAsync(" Aangevuld.");
        await admin.Locator("#save-summary").FillAsync("Beleid aangevuld");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/wiki/werking/beleid$"));
        Assert.Equal("Demo Teamverantwoordelijke", Store.LastChange(PagePath.Parse("werking/beleid"))!.Author.Name);
        await worker.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task RenameWithLinkUpdate_ThenDeleteAndRestore()
    {
        var page = await fixture.SignedInPageAsync("jurist");
        await page.GotoAsync($"{fixture.BaseUrl}/wiki/procedures/huurwaarborg");
        await page.Locator(".page-menu summary").ClickAsync();
        await page.Locator(".page-menu a", new() { HasText = "Hernoemen" }).ClickAsync();
        await page.Locator("#rename-to").FillAsync("procedures/huurwaarborg-aanvragen");
        await page.Locator("#rename-summary").FillAsync("Duidelijkere naam");
        await page.GetByRole(AriaRole.Button, new() { Name = "Hernoemen" }).ClickAsync();
        // The only page that links to it by path is protected: a worker's rename leaves it alone and says so.
        await Expect(page.Locator(".notice-warning")).ToContainTextAsync("werking/beleid");
        await page.Locator("a.button", new() { HasText = "procedures/huurwaarborg-aanvragen" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/huurwaarborg-aanvragen$"));
        Assert.Contains("[[procedures/huurwaarborg]]", Store.Read(PagePath.Parse("werking/beleid"))!.Text, StringComparison.Ordinal);

        await page.GotoAsync($"{fixture.BaseUrl}/wiki/procedures/huurwaarborg");
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/huurwaarborg-aanvragen\\?van="));

        await page.GotoAsync($"{fixture.BaseUrl}/delete/procedures/huurwaarborg-aanvragen");
        await page.Locator("#delete-summary").FillAsync("Verouderd");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verwijderen" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/history/procedures/huurwaarborg-aanvragen$"));
        Assert.False(Store.Exists(PagePath.Parse("procedures/huurwaarborg-aanvragen")));
        // Deleted pages are listed for editors, leading to their history.
        await page.GotoAsync($"{fixture.BaseUrl}/onderhoud");
        await page.Locator(".deleted-pages a", new() { HasText = "procedures/huurwaarborg-aanvragen" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/history/procedures/huurwaarborg-aanvragen$"));
        await page.Locator(".history-table tbody tr").Nth(1).Locator("a", new() { HasText = "Zet deze versie terug" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Zet deze versie terug" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/history/procedures/huurwaarborg-aanvragen$"));
        Assert.True(Store.Exists(PagePath.Parse("procedures/huurwaarborg-aanvragen")));
        await page.Context.CloseAsync();
    }
}
