using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
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
        var root = FindRoot();
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
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("HANDBOOK_CHROMIUM") is { Length: > 0 } chromium ? chromium : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        var open = new List<double>();
        var create = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            await page.SetContentAsync("<!doctype html><html lang=nl><head></head><body><main class=edit-page><div class=editor-host id=host></div></main></body></html>");
            await page.AddStyleTagAsync(new() { Path = Path.Combine(root, "src", "Handbook", "wwwroot", "css", "app.css") });
            await page.AddStyleTagAsync(new() { Path = css });
            var watch = Stopwatch.StartNew();
            await page.AddScriptTagAsync(new() { Path = bundle });
            var inPage = await page.EvaluateAsync<double>(
                "async ([md, glossary]) => { const t = performance.now(); window.ed = HandbookEditor.create(document.getElementById('host'), md, { glossary }); " +
                "await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); return performance.now() - t; }",
                new object[] { markdown, glossary });
            open.Add(watch.Elapsed.TotalMilliseconds);
            create.Add(inPage);
            await page.CloseAsync();
        }

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

        var js = await File.ReadAllBytesAsync(bundle);
        var styles = await File.ReadAllBytesAsync(css);
        var rows = new[]
        {
            ("open until interactive (load + evaluate the bundle, parse the page, first frame)", Stat.Of(open), "≤ 500"),
            ("  of which: create the editor until the second frame (in page)", Stat.Of(create), ""),
            ("keystroke: event → document, DOM and layout updated (work)", Stat.Of(work), "≤ 16"),
            ("keystroke: event → next animation frame (includes waiting for vsync)", Stat.Of(frame), ""),
            ("selective serialisation of the edited page (getMarkdown)", Stat.Of(serialise), "≤ 20"),
        };

        var sb = new StringBuilder();
        sb.AppendLine(Start).AppendLine("## Visual editor (chromium, 20 KB page)").AppendLine();
        sb.AppendLine("Reproduce: `dotnet run -c Release --project bench -- editor` (updates this section only). " +
            $"Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores, headless chromium {browser.Version}; " +
            $"page of {Encoding.UTF8.GetByteCount(markdown):N0} bytes shaped like the corpus (headings, paragraphs with wiki links, lists, tables), " +
            "a glossary of 42 acronyms. The built bundle runs in a blank page, so the app's circuit is not included (the load run's " +
            "\"editor open (until interactive)\" is the whole page).").AppendLine();
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
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "# Benchmarks\n";
        var from = text.IndexOf(Start, StringComparison.Ordinal);
        var to = text.IndexOf(End, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? text[..from] + sb.ToString().TrimEnd('\n', '\r') + text[(to + End.Length)..]
            : text.TrimEnd('\n') + "\n\n" + sb;
        await File.WriteAllTextAsync(path, text);
        Console.WriteLine(sb.ToString());
        Console.WriteLine($"Wrote {path}");
        return unchanged ? 0 : 1;
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

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Handbook.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
