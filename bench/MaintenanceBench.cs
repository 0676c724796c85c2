using System.Diagnostics;
using System.Globalization;
using System.Text;
using Handbook.GitStore;

namespace Handbook.Bench;

/// <summary>
/// Git maintenance after many saves through the store (the app's one door for writes): loose objects, packs,
/// repository size, and save and read times, before and after the store's own maintenance (PageStore.MaintainAsync,
/// what GitMaintenance runs on its schedule and past its threshold). Writes its section of docs/benchmarks.md.
/// </summary>
public static class MaintenanceBench
{
    private const string Start = "<!-- maintenance-bench -->";
    private const string End = "<!-- /maintenance-bench -->";

    public static async Task<int> RunAsync(string output, int pages, int saves)
    {
        return await BenchApp.InTempFolderAsync("maintenance-bench", async data =>
        {
            var repository = Path.Combine(data, "handbook.git");
            Console.WriteLine($"Generating {pages:N0} pages");
            Corpus.Generate(repository, pages, pages);
            using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = repository, IndexPath = Path.Combine(data, "history.idx") });
            var author = new Author("Bench", "bench@demo.handbook.invalid");
            var random = new Random(5);
            var saveTimes = new List<double>(saves);
            Console.WriteLine($"Saving {saves:N0} times");
            for (var i = 0; i < saves; i++)
            {
                var path = PagePath.Parse(Corpus.PagePath(random.Next(pages)));
                var page = store.Read(path)!;
                var watch = Stopwatch.StartNew();
                var saved = await store.SaveAsync(new SaveRequest(path, page.Text + $"\nRegel {i}.\n", author, $"Wijziging {i}", page.Revision));
                saveTimes.Add(watch.Elapsed.TotalMilliseconds);
                if (saved is not SaveResult.Saved)
                {
                    throw new InvalidOperationException($"Save {i} was not made: {saved}");
                }
            }

            var sample = Enumerable.Range(0, 500).Select(_ => PagePath.Parse(Corpus.PagePath(random.Next(pages)))).ToList();
            var before = Measure(store, repository, sample, author, saveTimes.TakeLast(500).ToList());
            var result = await store.MaintainAsync(force: true);
            var after = Measure(store, repository, sample, author, null);
            Corpus.Git(repository, "fsck --strict --no-progress"); // throws unless git fsck exits 0

            var section = new StringBuilder();
            section.AppendLine(Start);
            section.AppendLine("## Git maintenance after many saves").AppendLine();
            section.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench -- maintenance --pages {pages} --saves {saves}`. Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, load average: {BenchApp.LoadAverage()}.");
            section.AppendLine(CultureInfo.InvariantCulture, $"A generated handbook of {pages:N0} pages, then {saves:N0} saves through PageStore (one commit each, as the app makes them), then the store's own maintenance (`MaintainAsync`, which GitMaintenance runs nightly and when loose objects pass its threshold; forced here).").AppendLine();
            section.AppendLine("| | loose objects | packs | repository size | save p50 / p95 ms | read p50 / p95 ms |").AppendLine("|---|---|---|---|---|---|");
            Row(section, $"after {saves:N0} saves", before);
            Row(section, "after maintenance (and the 200 saves that time it)", after);
            section.AppendLine();
            section.AppendLine(CultureInfo.InvariantCulture, $"- Maintenance took {result.Duration.TotalSeconds:0.0} s (loose {result.LooseBefore:N0} → {result.LooseAfter:N0}, packs {result.PacksBefore} → {result.PacksAfter}); saves wait for it, reads do not.");
            section.AppendLine("- `git fsck --strict` afterwards: exit 0.");
            section.AppendLine(End);
            Console.WriteLine(section.ToString());
            await BenchApp.WriteSectionAsync(Path.GetFullPath(output), Start, End, section.ToString());
            return 0;
        });
    }

    private sealed record State(int Loose, int Packs, long Bytes, Stat Save, Stat Read);

    private static State Measure(PageStore store, string repository, List<PagePath> sample, Author author, List<double>? saveTimes)
    {
        var reads = new List<double>();
        foreach (var path in sample)
        {
            var watch = Stopwatch.StartNew();
            _ = store.Read(path);
            reads.Add(watch.Elapsed.TotalMilliseconds);
        }

        if (saveTimes is null)
        {
            saveTimes = [];
            foreach (var path in sample.Take(200))
            {
                var page = store.Read(path)!;
                var watch = Stopwatch.StartNew();
                store.SaveAsync(new SaveRequest(path, page.Text + "\nNa onderhoud.\n", author, "Na onderhoud", page.Revision)).GetAwaiter().GetResult();
                saveTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var (loose, packs) = store.ObjectCounts();
        var bytes = new DirectoryInfo(Path.Combine(repository, "objects")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        return new State(loose, packs, bytes, Stat.Of(saveTimes), Stat.Of(reads));
    }

    private static void Row(StringBuilder section, string name, State s) =>
        section.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {s.Loose:N0} | {s.Packs} | {s.Bytes / 1024.0 / 1024.0:0.0} MB | {s.Save.P50:0.0} / {s.Save.P95:0.0} | {s.Read.P50:0.00} / {s.Read.P95:0.00} |");
}
