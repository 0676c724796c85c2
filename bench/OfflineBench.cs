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
    private const string LargeStart = "<!-- offline-large-bench -->";
    private const string LargeEnd = "<!-- /offline-large-bench -->";

    private static readonly string[] Queries =
    [
        "svk", "huurwaarborgen", "gpmi", "leefloon aanvragen", "budgetbeheer", "schuldbemiddeling", "ocmw", "dringende medische hulp",
        "artikel 60", "kind en gezin", "huurwaarborg", "studeren", "vluchtelingen", "zitdag", "doorverwijzen",
    ];

    public static async Task<int> RunAsync(string output, int runs, int largePages)
    {
        var root = BenchApp.RepositoryRoot();
        return await BenchApp.InTempFolderAsync("offline-bench", async data =>
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
            await context.CloseAsync();

            // Page views online, with the offline parts in the layout (manifest link, scripts, the signed-in worker's
            // key): every starter page read 20 times by a signed-in client, after one warm-up round.
            var starter = Directory.EnumerateFiles(Path.Combine(root, "content", "handbook"), "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Path.Combine(root, "content", "handbook"), f).Replace('\\', '/')[..^3]).Order(StringComparer.Ordinal).ToList();
            var views = new List<double>();
            for (var round = 0; round < 21; round++)
            {
                foreach (var p in starter)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await app.Client.GetAsync(new Uri("/wiki/" + p, UriKind.Relative));
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"/wiki/{p}: {(int)response.StatusCode}");
                    }

                    if (round > 0)
                    {
                        views.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }
            }

            var load = BenchApp.LoadAverage();
            var large = largePages > 0 ? await LargeAsync(browser, largePages) : default;
            var take = Stat.Of(takes);
            var view = Stat.Of(views);
            var search = Stat.Of(full);
            var suggest = Stat.Of(typed);
            var sb = new StringBuilder();
            sb.AppendLine(Start).AppendLine("## Offline copy (chromium, service worker, lunr with the Dutch stemmer)").AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench -- offline --runs {runs}`. Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores (load average {load} right after the page views), chromium headless on loopback (no radio: a phone's network adds its own time).").AppendLine();
            sb.AppendLine("| measure | value | target |").AppendLine("|---|---|---|");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| starter handbook offline: pages | {pages} | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| starter handbook offline: bytes fetched (pages, scripts, styles, images) | {bytes / 1024 / 1024:0.00} MB | ≤ 2 MB |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| starter handbook offline: origin storage used (navigator.storage.estimate) | {usage / 1024 / 1024:0.00} MB | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| take the starter handbook offline, p50 / p95 (n={take.N}) | {take.P50:0} / {take.P95:0} ms | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| 1,000-page copy: lunr index (JSON) | {indexBytes / 1024 / 1024:0.00} MB | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| offline search, 1,000 pages, CPU 4× slower, p50 / p95 (n={search.N}) | {search.P50:0.0} / {search.P95:0.0} ms | p95 ≤ 50 ms |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| offline search as you type, same, p50 / p95 (n={suggest.N}) | {suggest.P50:0.0} / {suggest.P95:0.0} ms | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| first search of a page view (reads the copy, loads the index), same | {first:0} ms | |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| page view online, signed in, request to last byte on loopback, p50 / p95 (n={view.N}, {starter.Count} starter pages) | {view.P50:0.0} / {view.P95:0.0} ms | p95 ≤ 5 ms |");
            sb.AppendLine(End);

            var path = Path.GetFullPath(Path.Combine(root, output));
            await BenchApp.WriteSectionAsync(path, Start, End, sb.ToString());
            Console.WriteLine(sb.ToString());
            if (largePages > 0)
            {
                // Its own section: a run with --large-pages 0 (a few minutes instead of a quarter of an hour) keeps it.
                sb.Clear();
                sb.AppendLine(LargeStart).AppendLine(CultureInfo.InvariantCulture, $"### Offline copy of a {largePages:N0}-page handbook").AppendLine();
                sb.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench -- offline --large-pages {largePages}`. Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores (load average {load} when it started).").AppendLine();
                sb.AppendLine("| measure | value |").AppendLine("|---|---|");
                foreach (var (label, copy) in large.Copies)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| {largePages:N0}-page handbook, {label}: pages / bytes fetched / storage used | {copy.Pages:N0} / {copy.Bytes / 1024 / 1024:0.0} MB / {copy.Usage / 1024 / 1024:0.0} MB |");
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| {largePages:N0}-page handbook, {label}: taking it offline (fetch, store, build the index) / of which the index / index JSON | {copy.Seconds:0.0} s / {copy.IndexSeconds:0.0} s / {copy.IndexBytes / 1024 / 1024:0.0} MB |");
                }

                sb.AppendLine(CultureInfo.InvariantCulture, $"| {largePages:N0}-page copy (whole): offline search, CPU 4× slower, p50 / p95 (n={large.Search.N}); first search of a page view | {large.Search.P50:0.0} / {large.Search.P95:0.0} ms; {large.First:0} ms |");
                sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The {largePages:N0}-page handbook is the benchmark corpus (bench/Corpus.cs: six sections of generated pages of 1–20 KB) in a second app. The sizes are on loopback with no radio: on a phone's network the download time grows with the bytes. A worker chooses sections on /offline; one section is a sixth of the whole.");
                sb.AppendLine(LargeEnd);
                var text = await File.ReadAllTextAsync(path);
                if (!text.Contains(LargeStart, StringComparison.Ordinal))
                {
                    // The first time: right after the offline section.
                    await File.WriteAllTextAsync(path, text.Replace(End, End + "\n\n" + LargeStart + "\n" + LargeEnd, StringComparison.Ordinal));
                }

                await BenchApp.WriteSectionAsync(path, LargeStart, LargeEnd, sb.ToString());
                Console.WriteLine(sb.ToString());
            }

            return 0;
        });
    }

    private sealed record CopySize(int Pages, double Bytes, double Usage, double Seconds, double IndexSeconds, double IndexBytes);

    /// <summary>
    /// A handbook of <paramref name="pages"/> generated pages in its own app: one section taken offline, then the
    /// whole handbook (each in a fresh browser context), and the offline search on the whole copy.
    /// </summary>
    private static async Task<(List<(string Label, CopySize Copy)> Copies, Stat Search, double First)> LargeAsync(IBrowser browser, int pages)
    {
        return await BenchApp.InTempFolderAsync("offline-large", async data =>
        {
            Corpus.Generate(Path.Combine(data, "handbook.git"), pages, commits: 1);
            await using var app = await BenchApp.StartAsync(data);
            var baseUrl = app.BaseAddress.ToString().TrimEnd('/');
            var copies = new List<(string, CopySize)>();
            var search = new Stat(0, 0, 0);
            double first = 0;
            foreach (var (label, section) in new[] { ("one section (procedures)", "procedures"), ("whole handbook", (string?)null) })
            {
                var context = await browser.NewContextAsync(new() { Locale = "nl-BE" });
                var page = await context.NewPageAsync();
                await page.GotoAsync(baseUrl + "/");
                await page.ClickAsync("button[data-worker=ma]");
                await page.WaitForURLAsync(baseUrl + "/");
                await page.GotoAsync(baseUrl + "/offline");
                await page.Locator("[data-offline-form][data-offline-wired=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                if (section is not null)
                {
                    await page.EvaluateAsync("s => { document.querySelector('[data-offline-all]').checked = false; document.querySelectorAll('[data-offline-form] input[name=section]').forEach(c => { c.checked = c.value === s; }); }", section);
                }

                var watch = Stopwatch.StartNew();
                await page.ClickAsync("[data-offline-take]");
                await page.Locator("[data-offline-form][data-offline-ready=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 1_800_000 });
                var seconds = watch.Elapsed.TotalSeconds;
                var measured = await page.EvaluateAsync<double[]>("async () => { const c = await window.HandbookOffline.read(); const e = await navigator.storage.estimate(); "
                    + "const t = performance.now(); await window.HandbookOffline.build(c.docs); const built = performance.now() - t; "
                    + "return [c.bytes, e.usage || 0, Object.keys(c.pages).length, built, JSON.stringify(c.index).length]; }");
                copies.Add((label, new CopySize((int)measured[2], measured[0], measured[1], seconds, measured[3] / 1000, measured[4])));
                if (section is null)
                {
                    var cdp = await context.NewCDPSessionAsync(page);
                    await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 4 });
                    first = await page.EvaluateAsync<double>("async () => { const t = performance.now(); await window.HandbookOffline.search('leefloon', false, 20); return performance.now() - t; }");
                    var times = new List<double>();
                    foreach (var q in Queries)
                    {
                        times.Add(await page.EvaluateAsync<double>("async q => { const t = performance.now(); await window.HandbookOffline.search(q, false, 20); return performance.now() - t; }", q));
                    }

                    search = Stat.Of(times);
                }

                await context.CloseAsync();
            }

            return (copies, search, first);
        });
    }
}
