using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Handbook.GitStore;
using Handbook.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>
/// The handbook in the pocket: a worker takes it offline, reads, follows links, sees images and searches with the
/// network cut (Playwright's SetOfflineAsync), the copy catches up by blob id when she is back, and sign-out deletes it.
/// </summary>
public sealed class OfflineTests(StarterHandbookFixture fixture) : IClassFixture<StarterHandbookFixture>
{
    private static readonly Author Jurist = new("Demo Jurist Backoffice", "jurist@demo.handbook.invalid");

    private const string Stored = """
        async () => {
          const keys = await caches.keys();
          let entries = 0;
          for (const k of keys) { entries += (await (await caches.open(k)).keys()).length; }
          const dbs = (await indexedDB.databases()).map(d => d.name);
          const workers = (await navigator.serviceWorker.getRegistrations()).length;
          return [keys.length, entries, dbs.length, workers];
        }
        """;

    private static AttachmentPath File(string path) =>
        AttachmentPath.TryParse(path, out var file, out var error) ? file : throw new ArgumentException(error.ToString(), nameof(path));

    private static async Task<int[]> StoredAsync(IPage page) => await page.EvaluateAsync<int[]>(Stored);

    /// <summary>On /offline, the whole handbook taken offline, as a worker does it.</summary>
    private async Task TakeOfflineAsync(IPage page)
    {
        await page.GotoAsync(fixture.BaseUrl + "/offline");
        await Expect(page.Locator("[data-offline-form][data-offline-wired=true]")).ToBeAttachedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Beschikbaar maken offline" }).ClickAsync();
        await Expect(page.Locator("[data-offline-form][data-offline-ready=true]")).ToBeAttachedAsync(new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task Worker_TakesTheHandbookOffline_ReadsAndSearchesWithoutNetwork_CatchesUp_AndSignOutDeletesIt()
    {
        var store = fixture.Store;
        // An image on a page (taken along) and one over the size limit (left online), and a protected page (left online).
        var icon = await System.IO.File.ReadAllBytesAsync(Path.Combine(StarterContentTests.RepositoryRoot, "src", "Handbook", "wwwroot", "icons", "icon-192.png"));
        Assert.IsType<SaveResult.Saved>(await store.SaveAttachmentAsync(File("procedures/huurwaarborg-schema.png"), icon, Jurist, "Schema"));
        var big = new byte[1_300_000];
        icon.CopyTo(big, 0);
        Assert.IsType<SaveResult.Saved>(await store.SaveAttachmentAsync(File("procedures/huurwaarborg-groot.png"), big, Jurist, "Groot"));
        var path = PagePath.Parse("procedures/huurwaarborg");
        var page0 = store.Read(path)!;
        Assert.IsType<SaveResult.Saved>(await store.SaveAsync(new SaveRequest(path,
            page0.Text + "\n![Schema van de huurwaarborg](/files/procedures/huurwaarborg-schema.png)\n\n![Groot schema](/files/procedures/huurwaarborg-groot.png)\n",
            Jurist, "Schema's", page0.Revision)));
        Assert.IsType<SaveResult.Saved>(await store.SaveAsync(new SaveRequest(PagePath.Parse("werking/beveiligd"),
            "---\ntitle: Beveiligde pagina\nprotected: true\n---\n# Beveiligde pagina\n\nAlleen online.\n",
            Jurist with { MayChangeProtected = true }, "Beveiligd", null)));

        // Nothing is kept before sign-in.
        var context = await fixture.Browser.NewContextAsync(new() { Locale = "nl-BE", ViewportSize = new() { Width = 390, Height = 844 } });
        var anonymous = await context.NewPageAsync();
        await anonymous.GotoAsync(fixture.BaseUrl + "/signin");
        Assert.Equal("0,0,0,0", string.Join(",", await StoredAsync(anonymous)));
        await context.CloseAsync();

        var page = await fixture.SignedInPageAsync("ma", new() { Locale = "nl-BE", ViewportSize = new() { Width = 390, Height = 844 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/huurwaarborg");
        Assert.Equal("0,0,0,0", string.Join(",", await StoredAsync(page))); // signed in, but not asked for: still nothing

        await page.GotoAsync(fixture.BaseUrl + "/offline");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Offline beschikbaar maken");
        var axe = await page.RunAxe();
        Assert.DoesNotContain(axe.Violations, v => v.Impact is "serious" or "critical");
        await Expect(page.Locator("[data-offline-form][data-offline-wired=true]")).ToBeAttachedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Beschikbaar maken offline" }).ClickAsync();
        await Expect(page.Locator("[data-offline-form][data-offline-ready=true]")).ToBeAttachedAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-offline-status]")).ToContainTextAsync("offline beschikbaar");
        var copy = await StoredAsync(page);
        Assert.Equal(1, copy[0]);
        Assert.True(copy[1] > StarterHandbookFixture.StarterPages.Count, $"{copy[1]} cached responses");
        Assert.Equal(1, copy[3]);

        // What the copy holds: the small image, not the big one; not the protected page.
        Assert.True(await page.EvaluateAsync<bool>("async () => !!(await (await caches.open('handbook-offline-v1')).match('/files/procedures/huurwaarborg-schema.png'))"));
        Assert.False(await page.EvaluateAsync<bool>("async () => !!(await (await caches.open('handbook-offline-v1')).match('/files/procedures/huurwaarborg-groot.png'))"));
        Assert.False(await page.EvaluateAsync<bool>("async () => !!(await (await caches.open('handbook-offline-v1')).match('/wiki/werking/beveiligd'))"));

        // --- Offline ---
        await page.Context.SetOfflineAsync(true);
        await page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/huurwaarborg");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Huurwaarborg");
        var banner = page.Locator("#offline-banner");
        await Expect(banner).ToHaveTextAsync(new Regex("^Offline — versie van \\d{1,2} \\w+ \\d{4} om \\d{2}:\\d{2}$"));
        var image = page.Locator(".page-body img[alt='Schema van de huurwaarborg']");
        await Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector(\".page-body img[alt='Schema van de huurwaarborg']\"); return i.complete && i.naturalWidth === 192; }");
        Directory.CreateDirectory(BrowserFixture.ArtifactsPath);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "offline-page-390.png") });
        axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id + ": " + string.Join(", ", v.Nodes.Take(2).Select(n => n.Html))).ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));

        // A wiki link leads to the next page of the copy.
        var link = page.Locator(".page-body a.wikilink:not(.wikilink-missing)").First;
        var target = await link.GetAttributeAsync("href");
        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(fixture.BaseUrl + target);
        await Expect(page.Locator("main h1")).Not.ToHaveTextAsync("Huurwaarborg");
        await Expect(page.Locator("#offline-banner")).ToBeVisibleAsync();

        // Search in the copy: an acronym, a Dutch plural (stemmed), an acronym answered with its meaning.
        await page.GotoAsync(fixture.BaseUrl + "/search?q=svk");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Zoeken in de offline kopie");
        await Expect(page.Locator(".acronym-answers")).ToContainTextAsync("SVK — Sociaal verhuurkantoor");
        await Expect(page.Locator(".search-results h2").First).ToHaveTextAsync("SVK (sociaal verhuurkantoor)");
        await page.GotoAsync(fixture.BaseUrl + "/search?q=huurwaarborgen");
        await Expect(page.Locator(".search-results h2").First).ToHaveTextAsync("Huurwaarborg");
        await page.GotoAsync(fixture.BaseUrl + "/search?q=gpmi");
        await Expect(page.Locator(".acronym-answers")).ToContainTextAsync("GPMI — Geïndividualiseerd project voor maatschappelijke integratie");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsPath, "offline-search-390.png") });
        // The header's search box answers from the copy too.
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = "Zoeken in het handboek" });
        await box.ClickAsync();
        await box.PressSequentiallyAsync("svk", new() { Delay = 30 });
        await Expect(page.GetByRole(AriaRole.Listbox).GetByRole(AriaRole.Option).First).ToContainTextAsync("SVK — Sociaal verhuurkantoor");

        // Editing and protected pages say plainly that they are online only.
        await page.GotoAsync(fixture.BaseUrl + "/edit/procedures/huurwaarborg");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Niet beschikbaar offline");
        await Expect(page.Locator("main")).ToContainTextAsync("Bewerken");
        await page.GotoAsync(fixture.BaseUrl + "/wiki/werking/beveiligd");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Niet beschikbaar offline");

        // --- Back online: a page changed meanwhile is fetched again, and only the pages that changed ---
        var budget = PagePath.Parse("procedures/budgethulp");
        var before = store.Read(budget)!;
        Assert.IsType<SaveResult.Saved>(await store.SaveAsync(new SaveRequest(budget, before.Text + "\nBijgewerkt terwijl je op huisbezoek was.\n",
            Jurist, "Aanvulling", before.Revision)));
        await page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/huurwaarborg");
        await page.Context.SetOfflineAsync(false);
        await page.WaitForFunctionAsync("() => document.documentElement.hasAttribute('data-offline-refreshed') || document.documentElement.hasAttribute('data-offline-refresh-failed')",
            null, new() { Timeout = 45_000 });
        Assert.Null(await page.EvaluateAsync<string?>("() => document.documentElement.getAttribute('data-offline-refresh-failed')"));
        var fetched = int.Parse(await page.EvaluateAsync<string>("() => document.documentElement.getAttribute('data-offline-refreshed')"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(fetched is > 0 and < 10, $"{fetched} pages fetched again: the changed one and the copy's own pages, not the handbook");
        await page.Context.SetOfflineAsync(true);
        await page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/budgethulp");
        await Expect(page.Locator("#offline-banner")).ToBeVisibleAsync();
        await Expect(page.Locator(".page-body")).ToContainTextAsync("Bijgewerkt terwijl je op huisbezoek was.");
        await page.Context.SetOfflineAsync(false);

        // Online, the banner is gone: pages come from the server again.
        await page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/huurwaarborg");
        await Expect(page.Locator("#offline-banner")).ToHaveCountAsync(0);

        // Sign-out deletes the copy: caches, IndexedDB and the service worker.
        await page.Locator("form.signout button").ClickAsync();
        await page.WaitForURLAsync("**/signin**");
        await page.WaitForFunctionAsync("async () => (await caches.keys()).length === 0 && (await indexedDB.databases()).length === 0");
        Assert.Equal("0,0,0,0", string.Join(",", await StoredAsync(page)));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnotherWorkerSigningIn_OnTheSameBrowser_FindsNoCopyOfTheFirst()
    {
        var page = await fixture.SignedInPageAsync("ma");
        await TakeOfflineAsync(page);
        Assert.Equal(1, (await StoredAsync(page))[0]);

        // Her session ends without signing out (the cookie expired, the browser was shared), and a colleague signs in.
        await page.Context.ClearCookiesAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");
        await page.WaitForURLAsync("**/signin**");
        await page.ClickAsync("button[data-worker=manager]");
        await page.WaitForURLAsync(fixture.BaseUrl + "/");
        // The first worker's copy is deleted before anything of it is shown, and her pages are not served from it.
        await page.WaitForFunctionAsync("async () => (await caches.keys()).length === 0 && (await indexedDB.databases()).length === 0", null, new() { Timeout = 20_000 });
        Assert.Equal("0,0,0,0", string.Join(",", await StoredAsync(page)));
        await page.Context.SetOfflineAsync(true);
        await Assert.ThrowsAnyAsync<PlaywrightException>(() => page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/budgethulp"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ACopyPastItsDate_IsDeletedInsteadOfShown()
    {
        var page = await fixture.SignedInPageAsync("ma");
        await TakeOfflineAsync(page);

        // Fifteen days later (Handbook:OfflineDays is 14) without a signed-in visit: the device deletes the copy.
        await page.EvaluateAsync("""
            () => new Promise((resolve, reject) => {
              const open = indexedDB.open('handbook-offline', 1);
              open.onsuccess = () => {
                const tx = open.result.transaction('meta', 'readwrite');
                const meta = tx.objectStore('meta');
                const get = meta.get('copy');
                get.onsuccess = () => { const c = get.result; c.validUntil = Date.now() - 24 * 3600 * 1000; meta.put(c, 'copy'); };
                tx.oncomplete = () => { open.result.close(); resolve(); };
                tx.onerror = () => reject(tx.error);
              };
            })
            """);
        await page.Context.SetOfflineAsync(true);
        await Assert.ThrowsAnyAsync<PlaywrightException>(() => page.GotoAsync(fixture.BaseUrl + "/wiki/procedures/budgethulp"));
        await page.Context.SetOfflineAsync(false);
        await page.GotoAsync(fixture.BaseUrl + "/signin");
        await page.WaitForFunctionAsync("async () => (await caches.keys()).length === 0");
        await page.Context.CloseAsync();
    }
}
