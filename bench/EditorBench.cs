using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Handbook.GitStore;
using Microsoft.Playwright;

namespace Handbook.Bench;

/// <summary>
/// The visual editor in chromium on a 20 KB page: open until interactive, keystroke to paint, selective
/// serialisation, and the bundle's size. Runs the built bundle in a blank page (no app, no circuit: the app's own
/// "editor open" is in the load run), and writes its section of docs/benchmarks.md between markers.
/// </summary>
public static class EditorBench
{
    private const string Start = "<!-- editor-bench -->";
    private const string End = "<!-- /editor-bench -->";

    public static async Task<int> RunAsync(string output, int runs)
    {
        var root = BenchApp.RepositoryRoot();
        var lib = Path.Combine(root, "src", "Handbook", "wwwroot", "lib", "editor");
        var bundle = Path.Combine(lib, "editor.bundle.js");
        var css = Path.Combine(lib, "editor.bundle.css");
        if (!File.Exists(bundle))
        {
            Console.Error.WriteLine("Build the app first (dotnet build): " + bundle + " is missing.");
            return 1;
        }

        var markdown = Handbook.Rendering.FrontMatterText.Split(Corpus.PageOfSize(new Random(20261122), 7, 1000, 20_000)).Body;
        var glossary = Enumerable.Range(0, 40).ToDictionary(i => "AB" + (char)('A' + (i % 26)) + (i / 26), i => "afkorting " + i);
        glossary["SVK"] = "sociaal verhuurkantoor";
        glossary["OCMW"] = "openbaar centrum voor maatschappelijk welzijn";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchApp.LaunchChromiumAsync(playwright);

        // Open: a page served like the app serves its files (here from memory), measured from the start of the
        // navigation until the editor has been created and two frames have passed.
        var appCss = await File.ReadAllBytesAsync(Path.Combine(root, "src", "Handbook", "wwwroot", "css", "app.css"));
        var bundleBytes = await File.ReadAllBytesAsync(bundle);
        var cssBytes = await File.ReadAllBytesAsync(css);
        var html = "<!doctype html><html lang=nl><head><link rel=stylesheet href=/app.css><link rel=stylesheet href=/editor.bundle.css></head>"
            + "<body><main class=edit-page><div class=editor-host id=host></div></main><script src=/editor.bundle.js></script><script src=/start.js></script></body></html>";
        var start = "window.bundled = performance.now(); fetch('/page.md').then(r => r.text()).then(md => fetch('/glossary.json').then(r => r.json()).then(glossary => { const t = performance.now();"
            + " window.ed = HandbookEditor.create(document.getElementById('host'), md, { glossary }); const c = performance.now() - t;"
            + " requestAnimationFrame(() => requestAnimationFrame(() => { window.ready = [performance.now(), c, window.bundled]; })); }));";
        // A small loopback HTTP server holds the files (Playwright's request interception would add its own IPC).
        var files = new Dictionary<string, (byte[] Body, string Type)>
        {
            ["/app.css"] = (appCss, "text/css"),
            ["/editor.bundle.css"] = (cssBytes, "text/css"),
            ["/editor.bundle.js"] = (bundleBytes, "text/javascript"),
            ["/page.md"] = (Encoding.UTF8.GetBytes(markdown), "text/plain; charset=utf-8"),
            ["/glossary.json"] = (Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(glossary)), "application/json"),
            ["/start.js"] = (Encoding.UTF8.GetBytes(start), "text/javascript"),
            ["/"] = (Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8"),
        };
        var port = FreePort();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }

                var found = files.TryGetValue(context.Request.Url!.AbsolutePath, out var file);
                context.Response.StatusCode = found ? 200 : 404;
                context.Response.ContentType = found ? file.Type : "text/plain";
                if (found)
                {
                    context.Response.ContentLength64 = file.Body.Length;
                    await context.Response.OutputStream.WriteAsync(file.Body);
                }

                context.Response.Close();
            }
        });

        // The bundle alone in a blank page, nothing cached (a fresh browser context each time).
        var open = new List<double>();
        var bundled = new List<double>();
        var create = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            await page.GotoAsync($"http://127.0.0.1:{port}/");
            await page.WaitForFunctionAsync("() => window.ready", null, new() { Timeout = 30_000 });
            var ready = await page.EvaluateAsync<double[]>("() => window.ready");
            open.Add(ready[0]);
            create.Add(ready[1]);
            bundled.Add(ready[2]);
            await page.CloseAsync();
        }

        var (appCold, appWarm, reading, fromPage) = await InAppAsync(browser, markdown, runs);

        // Keystrokes at the end of a paragraph in the middle of the page: the work (event → transaction → DOM
        // updated and laid out) and the time to the next frame (rAF, so it includes waiting for vsync).
        var keyPage = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await keyPage.SetContentAsync("<!doctype html><html lang=nl><head></head><body><main class=edit-page><div class=editor-host id=host></div></main></body></html>");
        await keyPage.AddStyleTagAsync(new() { Path = Path.Combine(root, "src", "Handbook", "wwwroot", "css", "app.css") });
        await keyPage.AddStyleTagAsync(new() { Path = css });
        await keyPage.AddScriptTagAsync(new() { Path = bundle });
        await keyPage.EvaluateAsync(
            "([md, glossary]) => { window.samples = { work: [], frame: [] }; let t0 = 0; " +
            "document.addEventListener('keydown', () => { t0 = performance.now(); }, true); " +
            "window.ed = HandbookEditor.create(document.getElementById('host'), md, { glossary, onChange: () => { " +
            "  if (!t0) return; const start = t0; t0 = 0; void document.body.offsetHeight; samples.work.push(performance.now() - start); " +
            "  requestAnimationFrame(() => samples.frame.push(performance.now() - start)); } }); }",
            new object[] { markdown, glossary });
        var paragraphs = keyPage.Locator(".hb-content > p");
        var middle = paragraphs.Nth(await paragraphs.CountAsync() / 2);
        await middle.ScrollIntoViewIfNeededAsync();
        await middle.ClickAsync(new() { Position = new() { X = 3, Y = 3 } });
        await keyPage.Keyboard.PressAsync("End");
        for (var k = 0; k < 10; k++)
        {
            await keyPage.Keyboard.TypeAsync("x"); // warm-up
        }

        await keyPage.EvaluateAsync("() => { samples.work.length = 0; samples.frame.length = 0; }");
        for (var k = 0; k < 200; k++)
        {
            await keyPage.Keyboard.TypeAsync(k % 7 == 6 ? " " : "e");
            await keyPage.WaitForTimeoutAsync(20);
        }

        var work = (await keyPage.EvaluateAsync<double[]>("() => samples.work")).ToList();
        var frame = (await keyPage.EvaluateAsync<double[]>("() => samples.frame")).ToList();

        // Selective serialisation of the edited 20 KB page (each run after one more keystroke, so never the fast path).
        var serialise = new List<double>();
        for (var k = 0; k < 60; k++)
        {
            await keyPage.Keyboard.TypeAsync("s");
            serialise.Add(await keyPage.EvaluateAsync<double>("() => { const t = performance.now(); window.ed.getMarkdown(); return performance.now() - t; }"));
        }

        var unchanged = await keyPage.EvaluateAsync<bool>("md => { const el = document.createElement('div'); document.body.append(el); const e = HandbookEditor.create(el, md, {}); const same = e.getMarkdown() === md; e.destroy(); return same; }", markdown);
        await keyPage.CloseAsync();

        await stop.CancelAsync();
        listener.Stop();
        await serving.ContinueWith(_ => { }, TaskScheduler.Default);
        var js = await File.ReadAllBytesAsync(bundle);
        var styles = await File.ReadAllBytesAsync(css);
        var rows = new[]
        {
            ("open from the page being read, as workers do: \"Bewerken\" clicked (enhanced navigation; the page loaded the bundle while it was read, in a fresh browser) until the editor takes keystrokes (the page's clock: click event → editor built)", Stat.Of(fromPage.Select(a => a.Editable).ToList()), "≤ 500"),
            ("  the same until the circuit is there too and the save button enabled", Stat.Of(fromPage.Select(a => a.Ready).ToList()), ""),
            ("open by its address (a bookmark or a link from elsewhere: a full page load) until the editor takes keystrokes, first edit in a fresh browser (nothing cached): navigation → prerendered page, bundle, editor built", Stat.Of(appCold.Select(a => a.Editable).ToList()), "≤ 500"),
            ("open by its address until the editor takes keystrokes, later edits (bundle and compiled code cached)", Stat.Of(appWarm.Select(a => a.Editable).ToList()), "≤ 500"),
            ("  of which (first edit, the page's clock): the prerendered HTML received", Stat.Of(appCold.Select(a => a.Html).ToList()), ""),
            ("  of which: the bundle has run", Stat.Of(appCold.Where(a => a.BundleRun >= 0).Select(a => a.BundleRun).ToList()), ""),
            ("  of which: the editor built on the prerendered page (before the circuit)", Stat.Of(appCold.Where(a => a.EditorBuilt >= 0).Select(a => a.EditorBuilt).ToList()), ""),
            ("  the same opens until the circuit is there too and the save button enabled (first edit)", Stat.Of(appCold.Select(a => a.Ready).ToList()), ""),
            ("  the same opens until the circuit is there too and the save button enabled (later edits)", Stat.Of(appWarm.Select(a => a.Ready).ToList()), ""),
            ("for comparison: the same page read (no editor, no circuit), navigation → DOMContentLoaded", Stat.Of(reading), ""),
            ("the bundle alone in a blank page, nothing cached: navigation start → editor built, two frames", Stat.Of(open), ""),
            ("  of which: navigation start → bundle loaded and run", Stat.Of(bundled), ""),
            ("  of which: HandbookEditor.create (parse with markdown-it, build the document and the view)", Stat.Of(create), ""),
            ("keystroke: event → document, DOM and layout updated (work)", Stat.Of(work), "≤ 16"),
            ("keystroke: event → next animation frame (includes waiting for vsync)", Stat.Of(frame), ""),
            ("selective serialisation of the edited page (getMarkdown)", Stat.Of(serialise), "≤ 20"),
        };

        var sb = new StringBuilder();
        sb.AppendLine(Start).AppendLine("## Visual editor (chromium, 20 KB page)").AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench -- editor` (updates this section only). " +
            $"Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores (load average {BenchApp.LoadAverage()} when it started), headless chromium {browser.Version}; " +
            $"page of {Encoding.UTF8.GetByteCount(markdown):N0} bytes shaped like the corpus (headings, paragraphs with wiki links, lists, tables), " +
            "a glossary of 42 acronyms. \"In the app\": the app as a separate process (Development sign-in) on the starter handbook plus this page, " +
            "measured from the click on \"Bewerken\" on the page being read, and from a navigation to /edit/… by its address, until the editor takes keystrokes: the edit page is prerendered and its own module opens the editor as soon as the bundle has run, " +
            "before the circuit has started (what is typed meanwhile is kept; Blazor's page adopts the same editor when it takes over), and until the circuit is there as well. " +
            "The other rows run the built bundle in a blank page (no app, no circuit) to show where its own time goes.").AppendLine();
        sb.AppendLine("| measurement | p50 ms | p95 ms | n | target |").AppendLine("|---|---|---|---|---|");
        foreach (var (name, stat, target) in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {stat.P50:0.0} | {stat.P95:0.0} | {stat.N} | {target} |");
        }

        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Bundle: editor.bundle.js {js.Length / 1024.0:0} KB ({Gzip(js) / 1024.0:0} KB gzip), editor.bundle.css {styles.Length / 1024.0:0.0} KB ({Gzip(styles) / 1024.0:0.0} KB gzip). " +
            $"Unchanged page written back byte for byte: {(unchanged ? "yes" : "NO")}.");
        sb.AppendLine(End);

        var path = Path.GetFullPath(Path.Combine(root, output));
        await BenchApp.WriteSectionAsync(path, Start, End, sb.ToString());
        Console.WriteLine(sb.ToString());
        Console.WriteLine($"Wrote {path}");
        return unchanged ? 0 : 1;
    }

    /// <summary>
    /// The editor opened in the app, as a worker opens it: the first edit in a fresh browser context (nothing cached)
    /// and later ones in the same context (the fourth of four, so the bundle and V8's code cache are warm).
    /// </summary>
    /// <summary>One editor open in the app: until editable and until ready (from the test's clock), and the page's own marks.</summary>
    private sealed record Open(double Editable, double Ready, double Html, double BundleRun, double EditorBuilt);

    private static async Task<(List<Open> Cold, List<Open> Warm, List<double> Reading, List<(double Editable, double Ready)> FromPage)> InAppAsync(IBrowser browser, string markdown, int runs)
    {
        var work = Path.Combine(Path.GetTempPath(), "handbook-editor-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(work, "data");
        Directory.CreateDirectory(data);
        const string Path20K = "procedures/twintig-kilobyte";
        using (var store = PageStore.Open(new PageStoreOptions { RepositoryPath = Path.Combine(data, "handbook.git"), SeedPath = FaultsUnderLoad.ContentPath() }))
        {
            var saved = await store.SaveAsync(new SaveRequest(PagePath.Parse(Path20K), "---\ntitle: Twintig kilobyte\n---\n" + markdown,
                new Author("Bench", "bench@demo.handbook.invalid"), "Bench page", null));
            if (saved is not SaveResult.Saved)
            {
                throw new InvalidOperationException("The bench page was not saved: " + saved);
            }
        }

        var cold = new List<Open>();
        var warm = new List<Open>();
        var reading = new List<double>();
        var fromPage = new List<(double Editable, double Ready)>();
        try
        {
            await using var app = await BenchApp.StartAsync(data);
            for (var r = 0; r < runs + 1; r++)
            {
                await using var context = await browser.NewContextAsync(new() { Locale = "nl-BE", ViewportSize = new() { Width = 1280, Height = 900 } });
                var signIn = await context.NewPageAsync();
                await signIn.GotoAsync(new Uri(app.BaseAddress, "/signin").ToString());
                await signIn.ClickAsync("button[data-worker=ma]");
                await signIn.WaitForURLAsync(new Uri(app.BaseAddress, "/").ToString(), new() { Timeout = 60_000 });
                await signIn.CloseAsync();
                // For comparison, the same page read (no editor, no circuit): navigation → DOMContentLoaded.
                var readingPage = await context.NewPageAsync();
                await readingPage.GotoAsync(new Uri(app.BaseAddress, "/wiki/" + Path20K).ToString());
                var read = await readingPage.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventStart");
                // As a worker opens the editor: "Bewerken" on the page she is reading (an enhanced navigation in the
                // same window), after the page has loaded the editor in idle time (js/reading.js).
                await readingPage.WaitForFunctionAsync("() => window.HandbookEditor", null, new() { Timeout = 60_000 });
                // Timed in the page's own clock (the window stays): from the click event to the editor built (it takes
                // keystrokes from then on) and to the save button enabled. Playwright's own click (its actionability
                // checks and round trips) is not what a worker waits for.
                await readingPage.EvaluateAsync("() => { document.addEventListener('click', () => { window.clickedAt = performance.now(); }, { capture: true, once: true }); "
                    + "new MutationObserver((_, o) => { if (document.querySelector('.edit-page[data-ready=true]')) { window.readyAt = performance.now(); o.disconnect(); } }).observe(document.body, { subtree: true, childList: true, attributes: true }); }");
                await readingPage.Locator(".page-actions a[href^='/edit/']").ClickAsync();
                await readingPage.Locator(".editor-host[data-editor=rich] .hb-content[contenteditable=true]").WaitForAsync(new() { Timeout = 60_000 });
                await readingPage.Locator(".edit-page[data-ready=true] .editor-host[data-editor=rich] .hb-content").WaitForAsync(new() { Timeout = 60_000 });
                var clock = await readingPage.EvaluateAsync<double[]>("() => { const built = performance.getEntriesByName('handbook-editor-early').pop(); "
                    + "return [built ? built.startTime - window.clickedAt : window.readyAt - window.clickedAt, window.readyAt - window.clickedAt]; }");
                var (fromPageEditable, fromPageReady) = (clock[0], clock[1]);
                await readingPage.CloseAsync();
                if (r > 0)
                {
                    reading.Add(read);
                    fromPage.Add((fromPageEditable, fromPageReady));
                }

                for (var e = 0; e < 4; e++)
                {
                    var page = await context.NewPageAsync();
                    var t = Stopwatch.GetTimestamp();
                    await page.GotoAsync(new Uri(app.BaseAddress, "/edit/" + Path20K).ToString(), new() { WaitUntil = WaitUntilState.Commit });
                    // Editable: the editor on the prerendered page takes keystrokes (the circuit may still be starting).
                    await page.Locator(".editor-host[data-editor=rich] .hb-content[contenteditable=true]").WaitForAsync(new() { Timeout = 60_000 });
                    var editable = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    // Ready: the circuit is there and the editor connected to it (the save button is enabled).
                    await page.Locator(".edit-page[data-ready=true] .editor-host[data-editor=rich] .hb-content").WaitForAsync(new() { Timeout = 60_000 });
                    var ready = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    // Where the time went, in the page's own clock (navigation start = 0); -1: the circuit came first.
                    var marks = await page.EvaluateAsync<double[]>("() => [performance.getEntriesByType('navigation')[0].responseEnd, "
                        + "window.HandbookEditor ? HandbookEditor.loadedAt : -1, (performance.getEntriesByName('handbook-editor-early')[0] || { startTime: -1 }).startTime]");
                    var open = new Open(editable, ready, marks[0], marks[1], marks[2]);
                    await page.CloseAsync();
                    if (r == 0)
                    {
                        continue; // the app's own first requests (JIT, first circuit) are not what a worker waits for
                    }

                    if (e == 0)
                    {
                        cold.Add(open);
                    }
                    else if (e == 3)
                    {
                        warm.Add(open);
                    }
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return (cold, warm, reading, fromPage);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static long Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.Length;
    }
}
