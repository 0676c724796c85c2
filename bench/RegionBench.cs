using System.Diagnostics;
using System.Globalization;
using System.Text;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Pages;
using Handbook.Rendering;
using Handbook.Search;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Handbook.Bench;

/// <summary>
/// One city's handbook with a shared regional one mounted under regio/: a regional repository and a local one of the
/// given sizes, the region imported (every regional commit replayed), a share of the regional pages adapted, a regional
/// change imported over those adaptations; then page views, searches and page histories over both layers, with the
/// targets of one handbook of their combined size. Writes its section of docs/benchmarks.md.
/// </summary>
public static class RegionBench
{
    private const string Start = "<!-- region-bench -->";
    private const string End = "<!-- /region-bench -->";

    private static readonly string[] Queries =
    [
        "leefloon", "huur waarborg", "budgethulp", "schulden bemiddeling", "dementie mantelzorg", "tewerkstelling artikel",
        "opvang gezin", "ziekenfonds pensioen", "kind school opleiding", "wat als iemand zijn huur niet kan betalen",
    ];

    public static async Task<int> RunAsync(string output, int regionalPages, int regionalCommits, int localPages, int localCommits, int runs)
    {
        return await BenchApp.InTempFolderAsync("region-bench", async data =>
        {
            var regional = Path.Combine(data, "regio.git");
            var local = Path.Combine(data, "handbook.git");
            Console.WriteLine($"Generating the region ({regionalPages:N0} pages, {regionalCommits:N0} commits) and the city ({localPages:N0} pages, {localCommits:N0} commits)");
            Corpus.Generate(regional, regionalPages, regionalCommits, seed: 7);
            Corpus.Generate(local, localPages, localCommits);
            var load = BenchApp.LoadAverage();
            var mount = new RegionMount("regio");
            var remote = new UpstreamOptions(regional);

            using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = local, IndexPath = Path.Combine(data, "history.idx"), Region = mount });
            // Saves of the city's own pages go on during the import: how long does one wait for the writer lock?
            var author = new Author("Demo Maatschappelijk Assistent", "ma@demo.handbook.invalid");
            var watch = Stopwatch.StartNew();
            var importing = store.FetchRegionAsync(remote);
            var savesDuring = await SavesWhileAsync(store, author, importing);
            var import = await importing;
            var firstImport = watch.Elapsed;

            // The city adapts 1 % of the regional pages; then the region changes 200 pages, those among them.
            var adaptedIndexes = Enumerable.Range(0, regionalPages).Where(i => i % 100 == 0).ToList();
            var adapted = adaptedIndexes.Select(i => mount.ToLocal(PagePath.Parse(Corpus.PagePath(i)))).ToList();
            foreach (var path in adapted)
            {
                var page = store.Read(path)!;
                await store.SaveAsync(new SaveRequest(path, page.Text + "\nBij ons anders geregeld.\n", author, "Aangepast voor onze stad", page.Revision));
            }

            var changed = ChangeRegion(regional, regionalPages, Math.Min(200, regionalPages));
            var overlap = changed.Intersect(adaptedIndexes).Count();
            watch.Restart();
            var secondImporting = store.FetchRegionAsync(remote);
            var savesDuringSecond = await SavesWhileAsync(store, author, secondImporting);
            var second = await secondImporting;
            var secondImport = watch.Elapsed;
            var flagged = store.RegionalOverrides().Count(o => o.NeedsReview);

            var options = Options.Create(new HandbookOptions { DataPath = data });
            options.Value.Region.Url = regional;
            watch.Restart();
            var catalog = new HandbookCatalog(store, options);
            var snapshot = catalog.Current;
            var catalogBuild = watch.Elapsed;
            using var search = new SearchIndex(store, catalog, options, NullLogger<SearchIndex>.Instance);
            watch.Restart();
            await search.RebuildAsync();
            var searchBuild = watch.Elapsed;
            using var cache = PageService.CreateCache();
            var pages = new PageService(store, catalog, new MarkdownRenderer(), cache);

            var regionalPaths = Enumerable.Range(0, regionalPages).Select(i => mount.ToLocal(PagePath.Parse(Corpus.PagePath(i)))).ToList();
            var localPaths = Enumerable.Range(0, localPages).Select(i => PagePath.Parse(Corpus.PagePath(i))).ToList();
            var random = new Random(11);
            // Warm: the pages read are rendered once, as on a server that has been up a while.
            var viewed = Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? regionalPaths[random.Next(regionalPaths.Count)] : localPaths[random.Next(localPaths.Count)]).ToList();
            foreach (var path in viewed)
            {
                pages.Get(path);
            }

            var viewRegional = new List<double>();
            var viewLocal = new List<double>();
            var historyRegional = new List<double>();
            var historyLocal = new List<double>();
            var searchTimes = new List<double>();
            var sharedHits = 0;
            for (var i = 0; i < runs; i++)
            {
                var path = viewed[i % viewed.Count];
                var shared = mount.Contains(path);
                var t = Stopwatch.GetTimestamp();
                _ = pages.Get(path) ?? throw new InvalidOperationException($"{path} was not read.");
                (shared ? viewRegional : viewLocal).Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);

                t = Stopwatch.GetTimestamp();
                _ = store.History(path, 0, 50);
                (shared ? historyRegional : historyLocal).Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);

                t = Stopwatch.GetTimestamp();
                var results = await search.SearchAsync(new SearchRequest(Queries[i % Queries.Length]));
                searchTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                sharedHits += results.Hits.Count(h => mount.Contains(h.Path));
            }

            // A regional page's links name regional pages (the corpus links within each repository).
            var sample = snapshot.Pages[regionalPaths[3]];
            var resolved = sample.Parsed.LinkTargets.Count(t => snapshot.Find(t, sample.Path) is { } found && mount.Contains(found));

            var section = new StringBuilder();
            section.AppendLine(Start);
            section.AppendLine("## A shared regional handbook under a city's own").AppendLine();
            section.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench -- region --regional-pages {regionalPages} --regional-commits {regionalCommits} --pages {localPages} --commits {localCommits} --runs {runs}`. Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, load average before: {load}.");
            section.AppendLine(CultureInfo.InvariantCulture, $"A regional repository of {regionalPages:N0} pages and {regionalCommits:N0} commits mounted under `regio/` in a city's repository of {localPages:N0} pages and {localCommits:N0} commits: {snapshot.Pages.Count:N0} pages in one catalog. The store, catalog, search index and page service in process, as the app has them; milliseconds unless said otherwise.").AppendLine();
            section.AppendLine("| operation | p50 | p95 | n | target (one handbook of 10,000 pages) |").AppendLine("|---|---|---|---|---|");
            Row(section, "page view, warm, regional page", viewRegional, "≤ 5 ms");
            Row(section, "page view, warm, the city's page", viewLocal, "≤ 5 ms");
            Row(section, "search, full results with snippets, both layers", searchTimes, "≤ 20 ms");
            Row(section, "page history, regional page", historyRegional, "≤ 20 ms");
            Row(section, "page history, the city's page", historyLocal, "≤ 20 ms");
            section.AppendLine();
            section.AppendLine(CultureInfo.InvariantCulture, $"- First import: {import.Commits:N0} regional commits replayed (one commit here each, with its author and message) in {firstImport.TotalSeconds:0.0} s ({firstImport.TotalMilliseconds / Math.Max(1, import.Commits):0.00} ms a commit), history index caught up included.");
            section.AppendLine(CultureInfo.InvariantCulture, $"- The city adapted {adapted.Count} regional pages; the region then changed {changed.Count} pages in {changed.Count} commits, {overlap} of the adapted ones among them: imported in {secondImport.TotalSeconds:0.00} s ({second.Commits} commits), {flagged} adaptations flagged for review.");
            section.AppendLine(CultureInfo.InvariantCulture, $"- A save of the city's own page every 100 ms during the imports (it waits for the writer lock between batches): during the first, p50 {Stat.Of(savesDuring).P50:0} / p95 {Stat.Of(savesDuring).P95:0} / longest {savesDuring.DefaultIfEmpty().Max():0} ms ({savesDuring.Count} saves); during the second, p50 {Stat.Of(savesDuringSecond).P50:0} / p95 {Stat.Of(savesDuringSecond).P95:0} / longest {savesDuringSecond.DefaultIfEmpty().Max():0} ms ({savesDuringSecond.Count} saves). A batch holds the lock for at most 200 commits or about 250 ms.");
            section.AppendLine(CultureInfo.InvariantCulture, $"- Catalog of both layers built from git in {catalogBuild.TotalSeconds:0.0} s; search index rebuilt in {searchBuild.TotalSeconds:0.0} s (both in the background in the app). {sharedHits:N0} of the search hits were regional pages.");
            section.AppendLine(CultureInfo.InvariantCulture, $"- Links of a regional page resolved to regional pages: {resolved} of {sample.Parsed.LinkTargets.Count}.");
            section.AppendLine(End);
            Console.WriteLine(section.ToString());
            await BenchApp.WriteSectionAsync(Path.GetFullPath(output), Start, End, section.ToString());
            return 0;
        });
    }

    /// <summary>Saves one of the city's pages every 100 ms until <paramref name="until"/> completes; how long each took (ms).</summary>
    private static async Task<List<double>> SavesWhileAsync(PageStore store, Author author, Task until)
    {
        var times = new List<double>();
        var path = PagePath.Parse("werking/tijdens-de-import");
        for (var i = 0; i == 0 || !until.IsCompleted; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var result = await store.SaveAsync(new SaveRequest(path, $"# Tijdens de import\n\nVersie {i}.\n", author, "Tijdens de import", store.Read(path)?.Revision));
            times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (result is not (SaveResult.Saved or SaveResult.Merged))
            {
                throw new InvalidOperationException("A save during the import failed: " + result);
            }

            await Task.WhenAny(until, Task.Delay(100));
        }

        return times;
    }

    private static void Row(StringBuilder section, string name, List<double> times, string target)
    {
        var stat = Stat.Of(times);
        section.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {stat.P50:0.00} | {stat.P95:0.00} | {stat.N} | {target} |");
    }

    /// <summary>The region's editors change <paramref name="count"/> pages spread over the region, one commit each; returns which.</summary>
    private static List<int> ChangeRegion(string regional, int pages, int count)
    {
        var step = Math.Max(1, pages / count);
        var indexes = Enumerable.Range(0, count).Select(i => (i * step) % pages).Distinct().ToList();
        var stream = new StringBuilder();
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86400;
        var head = Corpus.Git(regional, "rev-parse main").Trim();
        stream.Append("commit refs/heads/main\n");
        for (var i = 0; i < indexes.Count; i++)
        {
            var path = Corpus.PagePath(indexes[i]) + ".md";
            var text = Corpus.Git(regional, $"show main:{path}") + $"\nGewijzigd door de regio ({i}).\n";
            if (i > 0)
            {
                stream.Append("commit refs/heads/main\n");
            }

            var message = $"Regionale wijziging {i}";
            stream.Append(CultureInfo.InvariantCulture, $"author Regio Redactie <redactie@regio.handbook.invalid> {time + i} +0100\n")
                .Append(CultureInfo.InvariantCulture, $"committer Handbook <handbook@localhost> {time + i} +0100\n")
                .Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            if (i == 0)
            {
                stream.Append(CultureInfo.InvariantCulture, $"from {head}\n");
            }

            stream.Append(CultureInfo.InvariantCulture, $"M 100644 inline {path}\ndata {Encoding.UTF8.GetByteCount(text)}\n{text}\n");
        }

        stream.Append("done\n");
        using var git = Process.Start(new ProcessStartInfo("git", "fast-import --quiet --done")
        {
            WorkingDirectory = regional, RedirectStandardInput = true, UseShellExecute = false,
        })!;
        git.StandardInput.Write(stream.ToString());
        git.StandardInput.Close();
        git.WaitForExit();
        return git.ExitCode == 0 ? indexes : throw new InvalidOperationException("git fast-import failed");
    }
}
