using System.Diagnostics;
using System.Globalization;
using System.Text;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Search;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Handbook.Bench;

/// <summary>
/// Search in the worker's own words at size: a generated handbook of 10,000 pages whose synonym page holds 500
/// pairs, queried with words, compounds written apart and together, sentences, synonym phrases and misspellings.
/// Also what the Dutch word list costs: its loading and memory, and the index build with compound splitting.
/// Writes its section of docs/benchmarks.md.
/// </summary>
public static class SearchBench
{
    private const string Start = "<!-- search-bench -->";
    private const string End = "<!-- /search-bench -->";

    private static readonly string[] Queries =
    [
        "leefloon", "huur waarborg", "huurwaarborgaanvraag", "schulden bemiddeling", "energieschulden", "budgethulp",
        "mag mijn cliënt nog naar school als hij leefloon krijgt", "wat als iemand zijn huur niet kan betalen",
        "wanneer is het sociaal huis open", "wie bel ik bij geweld in het gezin", "op straat gezet", "geen centen meer",
        "mutualiteit", "uitkering", "leeflon aanvrag", "dementie mantelzorg", "tewerkstelling artikel", "opvang gezin",
        "ziekenfonds pensioen", "kind school opleiding",
    ];

    public static async Task<int> RunAsync(string output, int pages, int pairs, int runs)
    {
        return await BenchApp.InTempFolderAsync("search-bench", async data =>
        {
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            var words = DutchWords.List;
            var listLoad = watch.Elapsed;
            var listMemory = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
            GC.KeepAlive(words);

            var repository = Path.Combine(data, "handbook.git");
            Console.WriteLine($"Generating {pages:N0} pages");
            Corpus.Generate(repository, pages, pages);
            using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = repository, IndexPath = Path.Combine(data, "history.idx") });
            var options = Options.Create(new HandbookOptions { DataPath = data });
            var synonymPage = PagePath.Parse(options.Value.SynonymPage);
            var saved = await store.SaveAsync(new SaveRequest(synonymPage, SynonymPage(pairs), new Author("Bench", "bench@demo.handbook.invalid"), "Synoniemen", null));
            if (saved is not SaveResult.Saved)
            {
                throw new InvalidOperationException("The synonym page was not saved: " + saved);
            }

            var catalog = new HandbookCatalog(store, options);
            if (catalog.Current.Synonyms.Rows.Count != pairs)
            {
                throw new InvalidOperationException($"The synonym page holds {catalog.Current.Synonyms.Rows.Count} rows, not {pairs}.");
            }

            using var search = new SearchIndex(store, catalog, options, NullLogger<SearchIndex>.Instance);
            watch.Restart();
            await search.RebuildAsync();
            var rebuild = watch.Elapsed;

            // Warm, as a server that has been up a while.
            for (var i = 0; i < 200; i++)
            {
                await search.SearchAsync(new SearchRequest(Queries[i % Queries.Length]));
                await search.SuggestAsync(Queries[i % Queries.Length][..Math.Min(6, Queries[i % Queries.Length].Length)], 8);
            }

            var perQuery = Queries.ToDictionary(q => q, _ => new List<double>());
            var perPrefix = Queries.ToDictionary(q => q, _ => new List<double>());
            var full = new List<double>(runs);
            var typing = new List<double>(runs);
            var hits = 0;
            for (var i = 0; i < runs; i++)
            {
                var query = Queries[i % Queries.Length];
                var t = Stopwatch.GetTimestamp();
                var results = await search.SearchAsync(new SearchRequest(query));
                full.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                perQuery[query].Add(full[^1]);
                hits += results.Hits.Count > 0 ? 1 : 0;

                // Each keystroke of the query's start: "l", "le", "lee", …
                var prefix = query[..(1 + (i % Math.Min(12, query.Length)))];
                t = Stopwatch.GetTimestamp();
                await search.SuggestAsync(prefix, 8);
                typing.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                perPrefix[query].Add(typing[^1]);
            }

            var fullStat = Stat.Of(full);
            var slowestTyping = perPrefix.Select(q => (Query: q.Key, Stat: Stat.Of(q.Value))).OrderByDescending(q => q.Stat.P95).Take(5).ToList();
            var slowest = perQuery.Select(q => (Query: q.Key, Stat: Stat.Of(q.Value))).OrderByDescending(q => q.Stat.P95).Take(5).ToList();
            var typingStat = Stat.Of(typing);
            var section = new StringBuilder();
            section.AppendLine(Start);
            section.AppendLine("## Search in the worker's own words").AppendLine();
            section.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench -- search --pages {pages} --pairs {pairs} --runs {runs}`. Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, load average before: {BenchApp.LoadAverage()}.");
            section.AppendLine(CultureInfo.InvariantCulture, $"A generated handbook of {pages:N0} pages; its synonym page holds {pairs} pairs. {Queries.Length} queries in turn: words, compounds written apart and together, sentences, synonym phrases, misspellings ({hits} of {runs} searches had results). The app's SearchIndex in process; milliseconds.").AppendLine();
            section.AppendLine("| operation | p50 | p95 | n | target |").AppendLine("|---|---|---|---|---|");
            section.AppendLine(CultureInfo.InvariantCulture, $"| search, full results with snippets | {fullStat.P50:0.00} | {fullStat.P95:0.00} | {fullStat.N} | ≤ 20 ms p95 |");
            section.AppendLine(CultureInfo.InvariantCulture, $"| search as you type (a prefix of each query) | {typingStat.P50:0.00} | {typingStat.P95:0.00} | {typingStat.N} | ≤ 5 ms p95 |");
            section.AppendLine();
            section.AppendLine("- Slowest queries (p50 / p95): " + string.Join("; ", slowest.Select(q => string.Create(CultureInfo.InvariantCulture, $"\"{q.Query}\" {q.Stat.P50:0.0} / {q.Stat.P95:0.0} ms"))) + ".");
            section.AppendLine("- Slowest while typing (prefixes of): " + string.Join("; ", slowestTyping.Select(q => string.Create(CultureInfo.InvariantCulture, $"\"{q.Query}\" {q.Stat.P50:0.0} / {q.Stat.P95:0.0} ms"))) + ".");
            section.AppendLine(CultureInfo.InvariantCulture, $"- The Dutch word list ({words.Count:N0} words, Search/Dutch): loaded in {listLoad.TotalMilliseconds:0} ms, {listMemory / 1024.0 / 1024.0:0.0} MB of managed memory (64-bit hashes, not strings).");
            section.AppendLine(CultureInfo.InvariantCulture, $"- Search index full rebuild of {pages:N0} pages, compounds split along the word list: {rebuild.TotalSeconds:0.0} s (in the background; the app serves meanwhile).");
            section.AppendLine(End);
            Console.WriteLine(section.ToString());
            await BenchApp.WriteSectionAsync(Path.GetFullPath(output), Start, End, section.ToString());
            return 0;
        });
    }

    /// <summary>
    /// A synonym page of <paramref name="pairs"/> rows: the starter page's kind of rows first, then generated words and
    /// phrases that mean one or two of the corpus's words (so the synonyms expand into words that are in the pages).
    /// </summary>
    private static string SynonymPage(int pairs)
    {
        string[] real =
        [
            "| uitkering | leefloon, equivalent leefloon |", "| op straat gezet | uithuiszetting |", "| schulden | schuldbemiddeling, budgethulp |",
            "| mutualiteit | ziekenfonds |", "| geen centen | budgethulp, leefloon |", "| partnergeweld | intrafamiliaal geweld |",
            "| waarborg | huurwaarborg |", "| open | openingsuren |", "| bellen | telefoon, contact |", "| school | studeren, opleiding |",
        ];
        string[] targets = ["leefloon", "huur", "woning", "schuld", "budget", "opvang", "gezin", "werk", "pensioen", "ziekenfonds", "energie", "premie", "dementie", "taal", "kind"];
        var sb = new StringBuilder("---\ntitle: Synoniemen\n---\n\n| Woord of uitdrukking | Betekent ook |\n|---|---|\n");
        foreach (var row in real.Take(pairs))
        {
            sb.AppendLine(row);
        }

        for (var i = real.Length; i < pairs; i++)
        {
            var word = i % 3 == 0 ? $"volkswoord{i} uitdrukking" : $"volkswoord{i}";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {word} | {targets[i % targets.Length]}, {targets[(i * 7 + 3) % targets.Length]} |");
        }

        return sb.ToString();
    }
}
