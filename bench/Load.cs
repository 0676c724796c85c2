using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Handbook.Bench;

/// <summary>
/// The load test through the real stack: HTTP workers that read pages, history and recent changes and search (the
/// search page and the search-as-you-type endpoint), and editors who change pages in the real editor over the
/// Blazor circuit (SignalR over a WebSocket), each in Debian's chromium driven by Playwright.
/// </summary>
internal sealed class Load(string baseUrl, HttpClient client, int pages)
{
    private static readonly string[] Queries =
        ["leefloon aanvraag", "huur waarborg", "schuld bemiddeling", "dementie mantelzorg", "artikel tewerkstelling", "budget begeleiding", "opvang gezin", "pensioen attest"];

    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _timings = new();
    private readonly ConcurrentBag<string> _errors = [];

    /// <summary>Runs <paramref name="workers"/> workers for <paramref name="seconds"/>; one in ten is an editor.</summary>
    public async Task<LoadReport> RunAsync(IBrowser browser, int seconds, int workers)
    {
        var editors = Math.Max(1, workers / 10);
        // Editors sign in and open their first page before the clock starts, as people who are already at work.
        var contexts = await Task.WhenAll(Enumerable.Range(0, editors).Select(_ => SignedInPageAsync(browser)));
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var tasks = Enumerable.Range(0, workers - editors).Select(w => Task.Run(() => ReaderAsync(w, until)))
            .Concat(contexts.Select((page, e) => Task.Run(() => EditorAsync(page, e, editors, until))))
            .ToList();
        await Task.WhenAll(tasks);
        foreach (var page in contexts)
        {
            await page.Context.CloseAsync();
        }

        return new LoadReport(workers, editors, seconds,
            _timings.ToDictionary(kv => kv.Key, kv => Stat.Of(kv.Value.ToList())), _errors.ToList());
    }

    /// <summary>
    /// Memory of idle editor circuits: the app's memory after a full collection, before and after opening
    /// <paramref name="count"/> editor tabs that stay open (each tab is one circuit), divided by the count.
    /// </summary>
    public async Task<string> CircuitMemoryAsync(IBrowser browser, int count)
    {
        var page = await SignedInPageAsync(browser);
        await page.CloseAsync();
        var before = await MemoryAsync();
        var tabs = new List<IPage>();
        var opens = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var tab = await page.Context.NewPageAsync();
            var t = Stopwatch.GetTimestamp();
            await tab.GotoAsync($"{baseUrl}/edit/{Corpus.PagePath(i * 37 % pages)}");
            await tab.Locator(".edit-page[data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
            opens.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            tabs.Add(tab);
        }

        var open = Stat.Of(opens);

        await Task.Delay(2000);
        var after = await MemoryAsync();
        await page.Context.CloseAsync();
        if (before is null || after is null)
        {
            return "memory per circuit: the app's memory endpoint did not answer.";
        }

        double Per(long b, long a) => (a - b) / 1024.0 / 1024.0 / count;
        return string.Create(CultureInfo.InvariantCulture,
            $"Memory per idle editor circuit ({count} editor tabs opened and left open, measured after a full collection): working set {Per(before.WorkingSet, after.WorkingSet):0.00} MB, " +
            $"GC heap {Per(before.GcHeap, after.GcHeap):0.00} MB per circuit (working set {Mb(before.WorkingSet)} → {Mb(after.WorkingSet)} MB, GC heap {Mb(before.GcHeap)} → {Mb(after.GcHeap)} MB). " +
            $"Opening an editor until interactive, one at a time without other load: p50 {open.P50:0} ms, p95 {open.P95:0} ms (n={open.N}).");
    }

    /// <summary>The app's memory (Development-only endpoint), after a forced full collection when asked.</summary>
    public async Task<Memory?> MemoryAsync(bool collect = true)
    {
        try
        {
            return await client.GetFromJsonAsync<Memory>(new Uri($"/dev/memory?collect={(collect ? "true" : "false")}", UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static long Mb(long bytes) => bytes / 1024 / 1024;

    /// <summary>Where the resident memory is: the process's own (GC heap and native) and mapped files.</summary>
    public static string Describe(Memory m) =>
        $"GC heap {Mb(m.GcHeap)} MB of {Mb(m.GcCommitted)} MB committed; resident: {Mb(m.ResidentAnonymous)} MB own (GC heap, native heaps, stacks), {Mb(m.ResidentFiles)} MB mapped files (code, git pack, Lucene)";

    private async Task<IPage> SignedInPageAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "nl-BE" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/signin");
        await page.ClickAsync("button[data-worker=ma]");
        await page.WaitForURLAsync(baseUrl + "/", new() { Timeout = 60_000 });
        return page;
    }

    private async Task ReaderAsync(int worker, DateTime until)
    {
        var random = new Random(worker);
        while (DateTime.UtcNow < until)
        {
            var query = Queries[random.Next(Queries.Length)];
            var (action, url) = random.Next(20) switch
            {
                < 9 => ("page", "/wiki/" + Corpus.PagePath(random.Next(pages))),
                < 12 => ("history", "/history/" + Corpus.PagePath(random.Next(pages))),
                < 14 => ("changes", "/changes"),
                < 17 => ("search", "/search?q=" + Uri.EscapeDataString(query)),
                // As typed: the first 3 to 8 letters.
                _ => ("suggest", "/api/search/suggest?q=" + Uri.EscapeDataString(query[..(3 + random.Next(6))])),
            };
            var t = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    _errors.Add($"{action} {url}: {(int)response.StatusCode}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                _errors.Add($"{action} {url}: {e.GetType().Name}");
            }

            Add(action, Stopwatch.GetElapsedTime(t));
        }
    }

    /// <summary>
    /// One worker editing: opens the editor of a page of their own (editors never share a page, so no save is a
    /// merge or a conflict), types a line, writes a summary, saves, and waits for the page it lands on.
    /// </summary>
    private async Task EditorAsync(IPage page, int editor, int editors, DateTime until)
    {
        var random = new Random(1000 + editor);
        var n = 0;
        while (DateTime.UtcNow < until)
        {
            var path = Corpus.PagePath((random.Next(pages / editors) * editors) + editor);
            if (await EditOnceAsync(page, path, $"{editor}-{++n}") is { } error)
            {
                _errors.Add(error);
            }
        }
    }

    /// <summary>Opens the editor, types a line, saves; the two timings go to <paramref name="timings"/> (or the load's).</summary>
    private async Task<string?> EditOnceAsync(IPage page, string path, string label, Dictionary<string, List<double>>? timings = null)
    {
        void Record(string action, TimeSpan elapsed)
        {
            if (timings is null)
            {
                Add(action, elapsed);
            }
            else
            {
                (timings.TryGetValue(action, out var list) ? list : timings[action] = []).Add(elapsed.TotalMilliseconds);
            }
        }

        var step = "open";
        try
        {
            var t = Stopwatch.GetTimestamp();
            await page.GotoAsync($"{baseUrl}/edit/{path}", new() { Timeout = 60_000 });
            await page.Locator(".edit-page[data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
            Record("editor open (until interactive)", Stopwatch.GetElapsedTime(t));

            step = "type";
            var editorArea = page.Locator(".editor-host .hb-content, .editor-host textarea.plain-editor").First;
            await editorArea.ClickAsync(new() { Timeout = 60_000, Position = new() { X = 5, Y = 5 } });
            await page.Keyboard.PressAsync("Control+End");
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.TypeAsync($"Lasttest regel {label}.");
            await page.Locator("#save-summary").FillAsync($"Lasttest {label}");

            step = "save";
            t = Stopwatch.GetTimestamp();
            await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync(new() { Timeout = 60_000 });
            await page.WaitForURLAsync($"{baseUrl}/wiki/{path}", new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
            Record("save through the editor", Stopwatch.GetElapsedTime(t));
            return null;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return $"editor {step} {path}: {e.Message.Split('\n')[0]}";
        }
    }

    /// <summary>One editor alone on the app (no other load): what a worker sees when the server is not saturated.</summary>
    public async Task<string> EditorAloneAsync(IBrowser browser, int count)
    {
        var page = await SignedInPageAsync(browser);
        var timings = new Dictionary<string, List<double>>();
        var errors = new List<string>();
        for (var i = 0; i < count; i++)
        {
            if (await EditOnceAsync(page, Corpus.PagePath((i * 53) + 7), $"alleen-{i}", timings) is { } error)
            {
                errors.Add(error);
            }
        }

        await page.Context.CloseAsync();
        var parts = timings.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Stat.Of(kv.Value) is var s
            ? string.Create(CultureInfo.InvariantCulture, $"{kv.Key} p50 {s.P50:0} ms / p95 {s.P95:0} ms (n={s.N})")
            : "");
        return $"One editor alone, {count} edits in a row (the first opens a fresh browser context, so it loads the editor bundle): {(errors.Count == 0 ? "0 errors" : string.Join("; ", errors))}; " + string.Join("; ", parts) + ".";
    }

    private void Add(string action, TimeSpan elapsed) => _timings.GetOrAdd(action, _ => []).Add(elapsed.TotalMilliseconds);
}

/// <summary>What the load test measured.</summary>
internal sealed record LoadReport(int Workers, int Editors, int Seconds, Dictionary<string, Stat> Actions, List<string> Errors)
{
    public override string ToString()
    {
        var parts = Actions.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
            string.Create(CultureInfo.InvariantCulture, $"{kv.Key} p50 {kv.Value.P50:0.0} ms / p95 {kv.Value.P95:0.0} ms (n={kv.Value.N})"));
        var errors = Errors.Count == 0 ? "0 errors" : $"{Errors.Count} errors (first: {string.Join("; ", Errors.Distinct().Take(3))})";
        return $"{errors}; " + string.Join("; ", parts) + ".";
    }
}

/// <summary>The app's answer on /dev/memory (bytes).</summary>
internal sealed record Memory(long WorkingSet, long ResidentAnonymous, long ResidentFiles, long Private, long GcLive, long GcHeap, long GcCommitted, bool ServerGc, int Gen2Collections);
