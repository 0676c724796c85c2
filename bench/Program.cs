using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Handbook;
using Handbook.Bench;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Pages;
using Handbook.Rendering;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

// dotnet run -c Release --project bench [-- --sizes small,large --out docs/benchmarks.md --seconds 60]
// dotnet run -c Release --project bench -- --sizes large --app-only --seconds 30   (reuses the corpus; only the app run)
// dotnet run -c Release --project bench -- burst <repository>   (used by the crash test: saves until killed)
if (args.Length >= 2 && args[0] == "burst")
{
    return await Burst.RunAsync(args[1]);
}

// dotnet run -c Release --project bench -- faults [--rounds 10] [--out docs/faults.md]   (fault tests at full size)
if (args.Length >= 1 && args[0] == "faults")
{
    string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    return await Faults.RunAsync(Option("--out", "docs/faults.md"), int.Parse(Option("--rounds", "10"), CultureInfo.InvariantCulture));
}

// dotnet run -c Release --project bench -- editor [--runs 30] [--out docs/benchmarks.md]   (the visual editor in chromium)
if (args.Length >= 1 && args[0] == "editor")
{
    string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    return await EditorBench.RunAsync(Option("--out", "docs/benchmarks.md"), int.Parse(Option("--runs", "30"), CultureInfo.InvariantCulture));
}

// dotnet run -c Release --project bench -- offline [--runs 20] [--large-pages 10000] [--out docs/benchmarks.md]   (the offline copy in chromium)
if (args.Length >= 1 && args[0] == "offline")
{
    string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    return await OfflineBench.RunAsync(Option("--out", "docs/benchmarks.md"), int.Parse(Option("--runs", "20"), CultureInfo.InvariantCulture),
        int.Parse(Option("--large-pages", "10000"), CultureInfo.InvariantCulture));
}

// dotnet run -c Release --project bench -- notifications [--pages 10000] [--runs 5000] [--out docs/benchmarks.md]   (questions, bell, fan-out)
if (args.Length >= 1 && args[0] == "notifications")
{
    string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    return await NotificationsBench.RunAsync(Option("--out", "docs/benchmarks.md"), int.Parse(Option("--pages", "10000"), CultureInfo.InvariantCulture),
        int.Parse(Option("--runs", "5000"), CultureInfo.InvariantCulture));
}

// dotnet run -c Release --project bench -- search [--pages 10000] [--pairs 500] [--runs 2000] [--out docs/benchmarks.md]   (synonyms, compounds, sentences)
if (args.Length >= 1 && args[0] == "search")
{
    string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    return await SearchBench.RunAsync(Option("--out", "docs/benchmarks.md"), int.Parse(Option("--pages", "10000"), CultureInfo.InvariantCulture),
        int.Parse(Option("--pairs", "500"), CultureInfo.InvariantCulture), int.Parse(Option("--runs", "2000"), CultureInfo.InvariantCulture));
}

// dotnet run -c Release --project bench -- first-start [--pages 10000] [--commits 100000] [--out docs/benchmarks.md]   (a start without index files)
if (args.Length >= 1 && args[0] == "first-start")
{
    string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    return await FirstStartBench.RunAsync(Option("--out", "docs/benchmarks.md"), int.Parse(Option("--pages", "10000"), CultureInfo.InvariantCulture),
        int.Parse(Option("--commits", "100000"), CultureInfo.InvariantCulture));
}

// dotnet run -c Release --project bench -- region [--regional-pages 5000] [--regional-commits 20000] [--pages 5000] [--commits 50000] [--runs 2000] [--out docs/benchmarks.md]
if (args.Length >= 1 && args[0] == "region")
{
    string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    int Number(string name, string fallback) => int.Parse(Option(name, fallback), CultureInfo.InvariantCulture);
    return await RegionBench.RunAsync(Option("--out", "docs/benchmarks.md"), Number("--regional-pages", "5000"), Number("--regional-commits", "20000"),
        Number("--pages", "5000"), Number("--commits", "50000"), Number("--runs", "2000"));
}

// dotnet run -c Release --project bench -- maintenance [--pages 1000] [--saves 10000] [--out docs/benchmarks.md]   (loose objects, then git maintenance)
if (args.Length >= 1 && args[0] == "maintenance")
{
    string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    return await MaintenanceBench.RunAsync(Option("--out", "docs/benchmarks.md"), int.Parse(Option("--pages", "1000"), CultureInfo.InvariantCulture),
        int.Parse(Option("--saves", "10000"), CultureInfo.InvariantCulture));
}

var options = Args.Parse(args);
var report = new StringBuilder();
report.AppendLine("# Benchmarks").AppendLine();
report.AppendLine($"Reproduce: `dotnet run -c Release --project bench -- --sizes {string.Join(',', options.Sizes)} --seconds {options.LoadSeconds}{(options.Reuse ? " --reuse" : "")}` (writes this file).").AppendLine();
report.AppendLine($"Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz} on {Environment.ProcessorCount} cores, {Machine.MemoryGiB():0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {Corpus.Git(".", "--version").Trim()}.");
report.AppendLine("Times are wall-clock milliseconds measured in process unless said otherwise; p50/p95 over the number of runs shown (n).").AppendLine();
var results = new Dictionary<string, Dictionary<string, Stat>>();
foreach (var size in options.Sizes)
{
    var (pages, commits) = size switch { "small" => (1_000, 10_000), "large" => (10_000, 100_000), _ => Args.Custom(size) };
    Console.WriteLine($"== {size}: {pages} pages, {commits} commits");
    results[size] = await Suite.RunAsync(size, pages, commits, options, report);
}

if (results.TryGetValue("small", out var small) && results.TryGetValue("large", out var large))
{
    report.AppendLine("## Growth with history").AppendLine();
    report.AppendLine("| operation | p95 small | p95 large | large ÷ small |").AppendLine("|---|---|---|---|");
    foreach (var key in new[] { "page history (50)", "recent changes (50)", "warm page view", "save (commit + index)", "search, full results with snippets" })
    {
        if (small.TryGetValue(key, out var s) && large.TryGetValue(key, out var l))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {s.P95:0.00} | {l.P95:0.00} | {l.P95 / Math.Max(0.001, s.P95):0.0}× |");
        }
    }

    report.AppendLine();
}

var output = Path.GetFullPath(options.Output);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
// The sections of the other runs (`-- editor`, `-- offline`) are kept as they are.
var previous = File.Exists(output) ? await File.ReadAllTextAsync(output) : "";
foreach (var kept in new[] { "editor-bench", "offline-bench", "offline-large-bench", "notifications-bench" })
{
    var (open, close) = ($"<!-- {kept} -->", $"<!-- /{kept} -->");
    if (previous.IndexOf(open, StringComparison.Ordinal) is var from and >= 0 && previous.IndexOf(close, StringComparison.Ordinal) is var to && to > from)
    {
        report.AppendLine(previous[from..(to + close.Length)]).AppendLine();
    }
}

await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine($"Wrote {output}");
return 0;

internal sealed record Stat(double P50, double P95, int N)
{
    public static Stat Of(List<double> samples)
    {
        samples.Sort();
        return new Stat(samples[samples.Count / 2], samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(samples.Count * 0.95) - 1)], samples.Count);
    }
}

internal sealed record Args(string[] Sizes, string Output, int LoadSeconds, string Work, bool Reuse, bool AppOnly)
{
    public static Args Parse(string[] args)
    {
        string Get(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        return new Args(Get("--sizes", "small,large").Split(','), Get("--out", "docs/benchmarks.md"),
            int.Parse(Get("--seconds", "60"), CultureInfo.InvariantCulture), Get("--work", Path.Combine(Path.GetTempPath(), "handbook-bench")),
            args.Contains("--reuse") || args.Contains("--app-only"), args.Contains("--app-only"));
    }

    public static (int, int) Custom(string size)
    {
        var parts = size.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}

internal static class Machine
{
    public static double MemoryGiB() =>
        File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb
            ? double.Parse(kb, CultureInfo.InvariantCulture) / 1024 / 1024
            : 0;
}

internal static class Suite
{
    public static async Task<Dictionary<string, Stat>> RunAsync(string name, int pages, int commits, Args options, StringBuilder report)
    {
        var work = Path.Combine(options.Work, name);
        var data = Path.Combine(work, "data");
        var repository = Path.Combine(data, "handbook.git");
        var reuse = options.Reuse && Directory.Exists(repository);
        if (!reuse && Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        var generated = reuse ? TimeSpan.Zero : Corpus.Generate(repository, pages, commits);
        var stats = new Dictionary<string, Stat>();
        var notes = new List<string>();
        report.AppendLine(CultureInfo.InvariantCulture, $"## {name}: {pages:N0} pages, {commits:N0} commits").AppendLine();
        report.AppendLine(reuse
            ? $"Corpus of an earlier run reused (`--reuse`; it also holds that run's benchmark saves), {Size(repository)}; its history index snapshot too."
            : string.Create(CultureInfo.InvariantCulture, $"Corpus generated with `git fast-import` in {generated.TotalSeconds:0.0} s ({Size(repository)}).")).AppendLine();

        if (options.AppOnly && reuse)
        {
            // Only the app as a separate process: start-up, memory, load (for iterating on those).
            (await AppRun.MeasureAsync(data, options.LoadSeconds, pages)).ForEach(n => report.AppendLine("- " + n));
            report.AppendLine();
            Console.WriteLine(report.ToString());
            return [];
        }

        var watch = Stopwatch.StartNew();
        var storeOptions = new PageStoreOptions { RepositoryPath = repository, IndexPath = Path.Combine(data, "history.idx") };
        using (PageStore.Open(storeOptions))
        {
            if (!reuse)
            {
                notes.Add($"First open, history index built from all {commits:N0} commits: {watch.Elapsed.TotalSeconds:0.0} s (once; then kept as a snapshot).");
            }
        }

        watch.Restart();
        using var store = PageStore.Open(storeOptions);
        notes.Add($"Open with the index snapshot: {watch.Elapsed.TotalMilliseconds:0} ms.");
        // The catalog: parsed from git (no snapshot file), then as the app starts, from its snapshot file.
        var handbookOptions = Options.Create(new HandbookOptions { DataPath = data });
        var snapshotFile = new CatalogSnapshotFile(Path.Combine(data, "catalog.bin"));
        File.Delete(snapshotFile.Path);
        var catalog = new HandbookCatalog(store, handbookOptions, snapshotFile);
        watch.Restart();
        _ = catalog.Current;
        notes.Add($"Catalog (titles, links, backlinks of all pages), built by parsing every page: {watch.Elapsed.TotalMilliseconds:0} ms.");
        await catalog.PersistedAsync();
        watch.Restart();
        var reloaded = new HandbookCatalog(store, handbookOptions, new CatalogSnapshotFile(snapshotFile.Path));
        _ = reloaded.Current;
        notes.Add($"Catalog from its snapshot file ({new FileInfo(snapshotFile.Path).Length / 1024} KB), as at a restart: {watch.Elapsed.TotalMilliseconds:0} ms ({reloaded.LastBuildParsed} pages parsed).");
        var service = new PageService(store, catalog, new MarkdownRenderer(), PageService.CreateCache());
        var random = new Random(7);
        var sample = Enumerable.Range(0, 300).Select(_ => PagePath.Parse(Corpus.PagePath(random.Next(pages)))).ToList();

        stats["cold page view"] = Measure(sample.Distinct().Take(200), p => service.Get(p));
        stats["warm page view"] = Measure(sample.Take(200), p => service.Get(p));
        stats["page history (50)"] = Measure(sample, p => store.History(p, 0, 50));
        stats["recent changes (50)"] = Measure(Enumerable.Range(0, 200), i => store.RecentChanges(new ChangeQuery(Skip: i % 5 * 50, Take: 50)));
        stats["recent changes, author filter"] = Measure(Enumerable.Range(0, 100), _ => store.RecentChanges(new ChangeQuery(Take: 50, Author: "Jurist")));
        stats["diff of two revisions"] = Measure(sample.Take(100), p =>
        {
            var h = store.History(p, 0, 2);
            return h.Count == 2 ? store.Diff(p, h[1].Revision, h[0].Revision) : null;
        });
        stats["blame"] = Measure(sample.Take(50), p => store.Blame(p));
        stats["save (commit + index)"] = await MeasureAsync(sample.Take(200), async p =>
        {
            var page = store.Read(p)!;
            await store.SaveAsync(new SaveRequest(p, page.Text + "\nBenchmark-regel.\n", new Author("Bench", "bench@demo.handbook.invalid"), "benchmark", page.Revision));
        });

        // Search: full rebuild, queries with snippets, the as-you-type dropdown, and the index update after a save.
        using (var search = new Handbook.Search.SearchIndex(store, catalog, handbookOptions,
                   Microsoft.Extensions.Logging.Abstractions.NullLogger<Handbook.Search.SearchIndex>.Instance))
        {
            watch.Restart();
            await search.RebuildAsync();
            notes.Add($"Search index full rebuild ({pages:N0} pages): {watch.Elapsed.TotalSeconds:0.0} s.");
            string[] queries = ["leefloon aanvraag", "huur waarborg", "schuld bemiddeling", "dementie mantelzorg", "artikel tewerkstelling", "budget begeleiding", "opvang gezin", "pensioen attest"];
            // Warm: a server that has been up a while has its search code compiled at full optimisation (tiered JIT)
            // and the index's files in the page cache. The first 100 queries of a fresh process are not counted.
            for (var i = 0; i < 100; i++)
            {
                await search.SearchAsync(new Handbook.Search.SearchRequest(queries[i % queries.Length]));
            }

            stats["search, full results with snippets"] = await MeasureAsync(Enumerable.Range(0, 200).Select(i => queries[i % queries.Length]), q => search.SearchAsync(new Handbook.Search.SearchRequest(q)));
            stats["search as you type (dropdown)"] = await MeasureAsync(Enumerable.Range(0, 200).Select(i => queries[i % queries.Length][..(3 + (i % 6))]), q => search.SuggestAsync(q, 8));
            stats["search index update after a save"] = await MeasureAsync(sample.Skip(200).Take(50), async p =>
            {
                var page = store.Read(p)!;
                await store.SaveAsync(new SaveRequest(p, page.Text + "\nZoekregel.\n", new Author("Bench", "bench@demo.handbook.invalid"), "benchmark", page.Revision));
                var t = Stopwatch.GetTimestamp();
                await search.UpdateAsync();
                return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }, timedByAction: true);
        }

        // What git-backed wikis such as Gollum and Jingo run for the same answers.
        var gitLog = Measure(sample.Take(5), p => Corpus.Git(repository, $"log --follow --format=%H%x09%an%x09%s -- {p.FileName}"));
        var gitGrep = Measure(new[] { "leefloon", "waarborg", "dementie", "pensioen", "opvang" }, w => Corpus.Git(repository, $"grep -i -l {w} main"));
        stats["git log --follow (Gollum/Jingo history)"] = gitLog;
        stats["git grep -i (Gollum/Jingo search)"] = gitGrep;

        var app = await AppRun.MeasureAsync(data, options.LoadSeconds, pages);
        report.AppendLine("| operation | p50 ms | p95 ms | n | target (large) |").AppendLine("|---|---|---|---|---|");
        var targets = new Dictionary<string, string>
        {
            ["warm page view"] = "≤ 5", ["save (commit + index)"] = "≤ 50", ["page history (50)"] = "≤ 20, ≤ 2× small",
            ["search, full results with snippets"] = "≤ 20",
        };
        foreach (var (key, stat) in stats)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {stat.P50:0.00} | {stat.P95:0.00} | {stat.N} | {targets.GetValueOrDefault(key, "")} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"- Page history vs `git log --follow`: {gitLog.P50 / Math.Max(0.001, stats["page history (50)"].P50):N0}× faster (p50).");
        report.AppendLine(CultureInfo.InvariantCulture, $"- Search vs `git grep -i`: {gitGrep.P50 / Math.Max(0.001, stats["search, full results with snippets"].P50):N0}× faster (p50), and ours ranks, stems, expands acronyms and tolerates typos.");
        notes.ForEach(n => report.AppendLine("- " + n));
        app.ForEach(n => report.AppendLine("- " + n));
        report.AppendLine();
        Console.WriteLine(report.ToString());
        return stats;
    }

    private static Stat Measure<T>(IEnumerable<T> inputs, Func<T, object?> action)
    {
        var samples = new List<double>();
        foreach (var input in inputs)
        {
            var t = Stopwatch.GetTimestamp();
            _ = action(input);
            samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        return Stat.Of(samples);
    }

    private static async Task<Stat> MeasureAsync<T>(IEnumerable<T> inputs, Func<T, Task<double>> action, bool timedByAction)
    {
        var samples = new List<double>();
        foreach (var input in inputs)
        {
            samples.Add(await action(input));
        }

        return Stat.Of(samples);
    }

    private static async Task<Stat> MeasureAsync<T>(IEnumerable<T> inputs, Func<T, Task> action)
    {
        var samples = new List<double>();
        foreach (var input in inputs)
        {
            var t = Stopwatch.GetTimestamp();
            await action(input);
            samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        return Stat.Of(samples);
    }

    private static string Size(string path) =>
        $"{new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / 1024.0 / 1024.0:0} MB on disk";
}

/// <summary>The real app as a separate process: start-up until the first page, memory, and an HTTP load of many workers.</summary>
internal static class AppRun
{
    public static async Task<List<string>> MeasureAsync(string data, int seconds, int pages)
    {
        var notes = new List<string>();
        var watch = Stopwatch.StartNew();
        BenchApp app;
        try
        {
            app = await BenchApp.StartAsync(data, logPath: Path.Combine(data, "..", "app.log"));
        }
        catch (InvalidOperationException e)
        {
            notes.Add(e.Message);
            return notes;
        }

        await using (app)
        {
            var client = app.Client;
            var first = await client.GetAsync(new Uri("/wiki/" + Corpus.PagePath(1), UriKind.Relative));
            notes.Add($"App start-up until the first page is served (separate process, existing index): {watch.Elapsed.TotalSeconds:0.00} s (status {(int)first.StatusCode}).");
            var load = new Load(app.BaseAddress.ToString().TrimEnd('/'), client, pages);
            var started = await load.MemoryAsync(collect: false);
            notes.Add($"Working set after start and first page: {app.ResidentBytes() / 1024 / 1024} MB" +
                (started is null ? "." : $" ({Load.Describe(started)}, {(started.ServerGc ? "server" : "workstation")} GC)."));
            // Settle: the background search index check and the first renders are done after a few seconds.
            await Task.Delay(5000);
            var settled = await load.MemoryAsync(collect: false);
            if (settled is not null)
            {
                notes.Add($"Five seconds later: working set {Load.Mb(settled.WorkingSet)} MB ({Load.Describe(settled)}).");
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BenchApp.LaunchChromiumAsync(playwright);
            // The working set during the load, once a second from the start of the load to its end.
            using var sampling = new CancellationTokenSource();
            var samples = new List<double>();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    samples.Add(app.ResidentBytes() / 1024.0 / 1024.0);
                    await Task.Delay(1000, CancellationToken.None);
                }
            }, CancellationToken.None);
            var report = await load.RunAsync(browser, seconds, workers: 100);
            await sampling.CancelAsync();
            await sampler;
            var during = Stat.Of(samples);
            var loaded = await load.MemoryAsync(collect: false);
            notes.Add($"Load through HTTP and the Blazor circuit: {report.Workers} concurrent workers for {seconds} s, of which {report.Editors} edit pages in chromium " +
                $"(open the editor, type a line, save over the circuit) and the others read pages, history, recent changes and search (search page and search-as-you-type): {report}");
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Working set during the load, sampled every second (n={during.N}): median {during.P50:0} MB, p95 {during.P95:0} MB, highest {samples.Max():0} MB."));
            notes.Add($"Working set after the load: {app.ResidentBytes() / 1024 / 1024} MB" + (loaded is null ? "." : $" ({Load.Describe(loaded)})."));
            var collected = await load.MemoryAsync(collect: true);
            if (collected is not null)
            {
                notes.Add($"After a full collection: working set {Load.Mb(collected.WorkingSet)} MB ({Load.Describe(collected)}).");
            }
            foreach (var measure in new Func<Task<string>>[] { () => load.EditorAloneAsync(browser, count: 10), () => load.CircuitMemoryAsync(browser, count: 20) })
            {
                try
                {
                    notes.Add(await measure());
                }
                catch (Exception e) when (e is PlaywrightException or TimeoutException)
                {
                    notes.Add("A browser measurement failed: " + e.Message.Split('\n')[0]);
                }
            }
        }

        return notes;
    }

    internal static async Task SignInAsync(HttpClient client)
    {
        var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["worker"] = "ma", ["returnUrl"] = "/" });
        var response = await client.PostAsync(new Uri("/signin/dev", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("Development sign-in failed: " + response.StatusCode);
        }
    }
}

/// <summary>Saves in a loop and prints every acknowledged revision, until it is killed (crash test).</summary>
internal static class Burst
{
    public static async Task<int> RunAsync(string repository)
    {
        using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = repository, IndexPath = Path.Combine(repository, "..", "history.idx") });
        var author = new Author("Crash Test", "crash@demo.handbook.invalid");
        Console.WriteLine("ready");
        for (var i = 0; ; i++)
        {
            var path = PagePath.Parse($"werking/burst-{i % 5}");
            var page = store.Read(path);
            var result = await store.SaveAsync(new SaveRequest(path, (page?.Text ?? "") + $"regel {i}\n", author, $"burst {i}", page?.Revision));
            if (result is SaveResult.Saved saved)
            {
                Console.WriteLine("ack " + saved.Revision);
            }
        }
    }
}
