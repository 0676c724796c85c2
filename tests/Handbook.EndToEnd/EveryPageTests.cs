using System.Text;
using System.Text.RegularExpressions;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>The starter handbook of content/handbook plus hostile pages (the test handbook's and the hardening list's).</summary>
public sealed class HostileHandbookFixture : BrowserFixture
{
    protected override void Seed()
    {
        var seed = Path.Combine(App.Root, "starter");
        var content = Path.Combine(StarterContentTests.RepositoryRoot, "content", "handbook");
        foreach (var file in Directory.EnumerateFiles(content, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(seed, Path.GetRelativePath(content, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        TestHandbook.AddHostilePage(seed);
        foreach (var (path, text) in HostilePages)
        {
            File.WriteAllText(Path.Combine(seed, path + ".md"), text, new UTF8Encoding(false));
        }

        App.Settings["Handbook:SeedPath"] = seed;
    }

    /// <summary>One page for each defect of the hardening list that a page's text could cause.</summary>
    public static readonly IReadOnlyDictionary<string, string> HostilePages = new Dictionary<string, string>
    {
        ["werking/dubbel-veld"] = "---\ntitle: a\nTitle: b\n---\nTekst.\n",
        ["werking/diep-html"] = string.Concat(Enumerable.Repeat("<div>", 50_000)) + "x" + string.Concat(Enumerable.Repeat("</div>", 50_000)),
        ["werking/voetnoten"] = string.Concat(Enumerable.Repeat("[^1]", 27_000)),
        ["werking/id-globaal"] = "# Globals\n\n<img id=\"__x\" src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\" alt=\"x\"> <span id=\"Blazor\">b</span>\n",
        ["werking/uitlijning"] = "# Uitlijning\n\n| Links | Midden | Rechts |\n|:---|:---:|---:|\n| a | b | c |\n\n<p style=\"text-align: center\">midden</p>\n",
    };
}

/// <summary>Every page of ours, opened in chromium: no CSP violation, no console error, no script error.</summary>
public sealed class EveryPageTests(HostileHandbookFixture fixture) : IClassFixture<HostileHandbookFixture>
{
    /// <summary>Records CSP violations in the page (an init script runs outside the page's CSP, before its own scripts).</summary>
    private const string RecordViolations = """
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e =>
          window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber + ' ' + (e.sample || '')));
        """;

    [Fact]
    public async Task EveryStarterAndHostilePage_LoadsWithoutCspViolationOrConsoleError()
    {
        var catalog = fixture.App.Services.GetRequiredService<HandbookCatalog>();
        var store = fixture.App.Services.GetRequiredService<PageStore>();
        var paths = catalog.Current.Pages.Keys.Order().ToList();
        Assert.True(paths.Count >= 60, $"{paths.Count} pages");
        var page = await fixture.SignedInPageAsync("ma");
        await page.Context.AddInitScriptAsync(RecordViolations);

        // The recorder itself works: an inline style set by script is refused by the CSP and recorded.
        var probe = await page.Context.NewPageAsync();
        await probe.GotoAsync(fixture.BaseUrl + "/");
        await probe.EvaluateAsync("() => document.body.setAttribute('style', 'color: red')");
        await probe.WaitForFunctionAsync("() => window.__violations.length > 0");
        await probe.CloseAsync();

        var problems = new List<string>();
        var current = "";
        page.Console += (_, m) =>
        {
            // The test handbook's hostile page has an <img src="x"> (kept, harmless): its 404 is expected.
            if (m.Type is "error" or "warning" && !(current == "/wiki/werking/vijandig" && m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)))
            {
                problems.Add($"{current}: console {m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => problems.Add($"{current}: script error: {e}");
        var head = store.Head!;
        var routes = paths.Select(p => CatalogSnapshot.Href(p))
            .Concat(["/", "/search?q=leefloon", "/changes", "/onderhoud", "/review", "/nieuw", "/history/procedures/leefloon-aanvragen",
                "/blame/procedures/leefloon-aanvragen", $"/diff/procedures/leefloon-aanvragen?from={head}&to={head}",
                "/offline", "/offline/zoeken?q=svk", "/offline/niet-beschikbaar"]);
        foreach (var route in routes)
        {
            current = route;
            var response = await page.GotoAsync(fixture.BaseUrl + route);
            Assert.True(response?.Status == 200, $"{route}: {response?.Status}");
            await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
            foreach (var violation in await page.EvaluateAsync<string[]>("() => window.__violations"))
            {
                problems.Add($"{route}: CSP: {violation}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HostilePages_ShowTheirNotice_AndTheRestOfTheSiteKeepsWorking()
    {
        var page = await fixture.SignedInPageAsync("jurist");
        await page.GotoAsync(fixture.BaseUrl + "/wiki/werking/diep-html");
        await Expect(page.Locator(".page-body .notice-warning")).ToContainTextAsync("te diep genest");
        await page.GotoAsync(fixture.BaseUrl + "/wiki/werking/dubbel-veld");
        await Expect(page.Locator(".page-header .notice-warning")).ToContainTextAsync("meer dan eens");
        await Expect(page.Locator(".page-actions a", new() { HasText = "Bewerken" })).ToBeVisibleAsync();
        // No element of a page becomes a global of the app's scripts.
        await page.GotoAsync(fixture.BaseUrl + "/wiki/werking/id-globaal");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__x === undefined && typeof window.Blazor === 'object' && !!document.getElementById('user-content-__x')"));
        // Aligned table cells are aligned, by class.
        await page.GotoAsync(fixture.BaseUrl + "/wiki/werking/uitlijning");
        Assert.Equal("center", await page.Locator(".page-body td.align-center").EvaluateAsync<string>("td => getComputedStyle(td).textAlign"));
        Assert.Equal("right", await page.Locator(".page-body td.align-right").EvaluateAsync<string>("td => getComputedStyle(td).textAlign"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OwnSave_IsNotAChangeSinceTheVisit_AndTheNoticeIsNotPrinted()
    {
        const string path = "procedures/huurwaarborg";
        var page = await fixture.SignedInPageAsync("jurist");
        await page.GotoAsync($"{fixture.BaseUrl}/wiki/{path}");
        await page.GotoAsync($"{fixture.BaseUrl}/edit/{path}");
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.EvaluateAsync("async p => { const m = await import('/js/edit.js'); m.setMarkdown(p, m.getMarkdown(p) + '\\nEigen aanvulling.\\n'); }", path);
        await page.Locator("#save-summary").FillAsync("Eigen aanvulling");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/wiki/{path}$"));
        await Expect(page.Locator(".page-body")).ToContainTextAsync("Eigen aanvulling.");
        Assert.Equal(0, await page.Locator(".changed-since-visit").CountAsync());

        // Someone else changes it: now the notice is there, on screen but not on paper.
        var store = fixture.App.Services.GetRequiredService<PageStore>();
        var current = store.Read(PagePath.Parse(path))!;
        await store.SaveAsync(new SaveRequest(current.Path, current.Text + "\nVan een collega.\n", new Author("Demo Teamverantwoordelijke", "manager@demo.handbook.invalid"), "Collega", current.Revision));
        await page.GotoAsync($"{fixture.BaseUrl}/wiki/{path}");
        await Expect(page.Locator(".changed-since-visit")).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator(".changed-since-visit")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }
}
