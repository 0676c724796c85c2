using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace Handbook.Bench;

/// <summary>
/// The offline copy in chromium against the real app (a separate process, Development sign-in): its size and the time
/// to take it for the starter handbook, and the offline search (the app's own js/offline.js) on a copy of 1,000 pages
/// with the CPU throttled 4× (a mid-range phone). Writes its section of docs/benchmarks.md between markers.
/// </summary>
public static class OfflineBench
{
    private const string Start = "<!-- offline-bench -->";
    private const string End = "<!-- /offline-bench -->";

    private static readonly string[] Queries =
    [
        "svk", "huurwaarborgen", "gpmi", "leefloon aanvragen", "budgetbeheer", "schuldbemiddeling", "ocmw", "dringende medische hulp",
        "artikel 60", "kind en gezin", "huurwaarborg", "studeren", "vluchtelingen", "zitdag", "doorverwijzen",
    ];

    public static async Task<int> RunAsync(string output, int runs)
    {
        var root = BenchApp.RepositoryRoot();
        var data = Path.Combine(Path.GetTempPath(), "handbook-offline-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        try
        {
            await using var app = await BenchApp.StartAsync(data, seedPath: Path.Combine(root, "content", "handbook"));
            var baseUrl = app.BaseAddress.ToString().TrimEnd('/');
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BenchApp.LaunchChromiumAsync(playwright);
            var context = await browser.NewContextAsync(new() { Locale = "nl-BE" });
            var page = await context.NewPageAsync();
            await page.GotoAsync(baseUrl + "/");
            await page.ClickAsync("button[data-worker=ma]");
            await page.WaitForURLAsync(baseUrl + "/");

            // Taking the starter handbook offline (wall clock, loopback: the app's work and the browser's, no radio).
            var takes = new List<double>();
            double bytes = 0, usage = 0;
            var pages = 0;
            for (var i = 0; i < 3; i++)
            {
                await page.GotoAsync(baseUrl + "/offline");
                await page.Locator("[data-offline-form][data-offline-wired=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                var watch = Stopwatch.StartNew();
                await page.ClickAsync("[data-offline-take]");
                await page.Locator("[data-offline-form][data-offline-ready=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 120_000 });
                takes.Add(watch.Elapsed.TotalMilliseconds);
                var measured = await page.EvaluateAsync<double[]>("async () => { const c = await window.HandbookOffline.read(); const e = await navigator.storage.estimate(); return [c.bytes, e.usage || 0, Object.keys(c.pages).length]; }");
                (bytes, usage, pages) = (measured[0], measured[1], (int)measured[2]);
            }

            // A copy of 1,000 pages: the starter's pages repeated with numbered titles, indexed as offline.js indexes.
            await page.EvaluateAsync("""
                async () => {
                  const copy = await window.HandbookOffline.read();
                  const base = Object.values(copy.docs);
                  const docs = {};
                  for (let i = 0; i < 1000; i++) {
                    const d = base[i % base.length];
                    const href = d.href + '-' + i;
                    docs[href] = { href, title: d.title + ' ' + i, section: d.section, summary: d.summary, body: d.body + ' variant ' + i };
                  }
                  copy.docs = docs;
                  copy.index = await window.HandbookOffline.build(docs);
                  await window.HandbookOffline.write(copy);
                }
                """);
            var indexBytes = await page.EvaluateAsync<double>("async () => JSON.stringify((await window.HandbookOffline.read()).index).length");
            var cdp = await context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 4 });
            // The first search loads the copy and its index into memory (once a page view); it is reported on its own.
            var first = await page.EvaluateAsync<double>("async () => { const t = performance.now(); await window.HandbookOffline.search('leefloon', false, 20); return performance.now() - t; }");
            var full = new List<double>();
            var typed = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                foreach (var q in Queries)
                {
                    full.Add(await page.EvaluateAsync<double>("async q => { const t = performance.now(); await window.HandbookOffline.search(q, false, 20); return performance.now() - t; }", q));
                    typed.Add(await page.EvaluateAsync<double>("async q => { const t = performance.now(); await window.HandbookOffline.suggest(q.slice(0, Math.max(3, q.length - 2))); return performance.now() - t; }", q));
                }
            }

            await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 1 });
            var take = Stat.Of(takes);
            var search = Stat.Of(full);
            var suggest = Stat.Of(typed);
            var sb = new StringBuilder();
            sb.AppendLine(Start).AppendLine("## Offline copy (chromium, service worker, lunr with the Dutch stemmer)").AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench -- offline --runs {runs}`. Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores, chromium headless on loopback (no radio: a phone's network adds its own time).").AppendLine();
            sb.AppendLine("| measure | value | target |").AppendLine("|---|---|---|");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| starter handbook offline: pages | {pages} | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| starter handbook offline: bytes fetched (pages, scripts, styles, images) | {bytes / 1024 / 1024:0.00} MB | ≤ 2 MB |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| starter handbook offline: origin storage used (navigator.storage.estimate) | {usage / 1024 / 1024:0.00} MB | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| take the starter handbook offline, p50 / p95 (n={take.N}) | {take.P50:0} / {take.P95:0} ms | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| 1,000-page copy: lunr index (JSON) | {indexBytes / 1024 / 1024:0.00} MB | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| offline search, 1,000 pages, CPU 4× slower, p50 / p95 (n={search.N}) | {search.P50:0.0} / {search.P95:0.0} ms | p95 ≤ 50 ms |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| offline search as you type, same, p50 / p95 (n={suggest.N}) | {suggest.P50:0.0} / {suggest.P95:0.0} ms | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| first search of a page view (reads the copy, loads the index), same | {first:0} ms | |");
            sb.AppendLine().AppendLine("Not measured yet: a 10,000-page copy (size and download time); the per-section choice on /offline is how a phone avoids it.");
            sb.AppendLine(End);

            var path = Path.GetFullPath(Path.Combine(root, output));
            await BenchApp.WriteSectionAsync(path, Start, End, sb.ToString());
            Console.WriteLine(sb.ToString());
            await context.CloseAsync();
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
