using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Handbook.GitStore;

namespace Handbook.Bench;

/// <summary>
/// Hostile requests while the handbook is in use: the app as a separate process on the starter handbook, 16 workers
/// reading (pages, search, history, recent changes) and 4 saving, for a baseline and then with each kind of hostile
/// load beside them. Reported: the other workers' times, the hostile requests' answers, the app's peak memory, and
/// how long its CPU takes to return to idle after the hostile clients stop.
/// </summary>
internal static class FaultsUnderLoad
{
    private const int Readers = 16;
    private const int Savers = 4;

    private static readonly string[] Queries = ["leefloon", "huurwaarborg", "schuldbemiddeling", "artikel 60"];

    /// <summary>The worst pages of the hostile corpus, as they would arrive through git.</summary>
    private static readonly (string Path, Func<string> Text)[] HostilePages =
    [
        ("werking/diep-html", () => Repeat("<div>", 50_000) + "x" + Repeat("</div>", 50_000)),
        ("werking/voetnoten", () => Repeat("[^1]", 27_000)),
        ("werking/haakjes", () => Repeat(Repeat("[a](b", 1_999) + "\n\n", 200)),
        ("werking/nadruk", () => Repeat(Repeat("*a_ ", 3_999) + "\n\n", 120)),
        ("werking/dubbel-veld", () => "---\ntitle: a\nTitle: b\n---\nTekst.\n"),
    ];

    public static async Task<int> RunAsync(string work, StringBuilder report, IReadOnlyList<Scenario> scenarios, int seconds)
    {
        var data = Path.Combine(work, "data");
        var repository = Path.Combine(data, "handbook.git");
        Directory.CreateDirectory(data);
        using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = repository, SeedPath = ContentPath() });
        var pages = store.ListPages().Select(p => p.Value).ToArray();
        var hostile = Path.Combine(work, "power");
        Corpus.Git(work, $"clone -q \"{repository}\" power");
        foreach (var (path, text) in HostilePages.Concat(scenarios.SelectMany(s => s.Pages)))
        {
            var file = Path.Combine(hostile, path + ".md");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, text());
        }

        Scenario.HugeFrom = Corpus.Git(hostile, "rev-parse HEAD").Trim();
        Corpus.Git(hostile, "add -A");
        Corpus.Git(hostile, "-c user.name=Power -c user.email=power@demo.handbook.invalid commit -q -m \"Vijandige pagina's\"");
        Corpus.Git(hostile, "push -q origin HEAD:main");
        Scenario.HugeTo = Corpus.Git(hostile, "rev-parse HEAD").Trim();
        Directory.Delete(hostile, recursive: true);

        report.AppendLine("## Hostile requests under load").AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"The app as a separate process on the starter handbook ({pages.Length} pages) plus the hostile pages; {Readers} workers read (pages, search, history, recent changes) and {Savers} save a page each every second, for {seconds} s per row, first alone and then with the hostile clients beside them. \"CPU back to idle\" is the time from the hostile clients' stop until the app used less than 10 % of one core over half a second; \"peak memory\" is the highest resident set sampled every 250 ms during the row.").AppendLine();
        report.AppendLine("| load | other requests p50 / p95 / max | other errors | hostile requests: answered, p50 / p95, statuses | peak memory | CPU back to idle |");
        report.AppendLine("|---|---|---|---|---|---|");
        var failures = 0;
        await using var app = await BenchApp.StartAsync(data);
        foreach (var scenario in scenarios)
        {
            var row = await RunScenarioAsync(app, store, pages, scenario, seconds);
            report.AppendLine(row.Line);
            failures += row.Ok ? 0 : 1;
        }

        report.AppendLine();
        return failures;
    }

    /// <summary>A kind of hostile load: its clients, the URLs they ask for in turn, and the pages it needs in the handbook.</summary>
    internal sealed record Scenario(string Name, int Clients, Func<Random, string>? Url, (string Path, Func<string> Text)[] Pages)
    {
        public static Scenario Baseline { get; } = new("none (baseline)", 0, null, []);

        public static Scenario WorstPages { get; } = new("6 clients asking for the worst hostile pages in turn", 6,
            r => "/wiki/" + HostilePages[r.Next(HostilePages.Length)].Path, []);

        /// <summary>Search-as-you-type with random 200-letter words, 16 at a time.</summary>
        public static Scenario SuggestFlood { get; } = new("16 clients typing random 200-letter words into search-as-you-type", 16,
            r => "/api/search/suggest?q=" + new string(Enumerable.Range(0, 200).Select(_ => (char)('a' + r.Next(26))).ToArray()), []);

        /// <summary>A 100 MB page from git, asked for on every read path by 4 clients.</summary>
        public static Scenario HugePage { get; } = new("4 clients asking for a 100 MB page (page, blame, diff, history, raw download) in turn", 4,
            r => r.Next(5) switch
            {
                0 => "/wiki/werking/reus",
                1 => "/blame/werking/reus",
                2 => "/diff/werking/reus?from=" + HugeFrom + "&to=" + HugeTo,
                3 => "/history/werking/reus",
                _ => "/raw/werking/reus",
            },
            [("werking/reus", () => Repeat("Een lange regel tekst over het leefloon en de huurwaarborg, keer op keer.\n", 100 * 1024 * 1024 / 75))]);

        /// <summary>The commits before and after the 100 MB page arrived (set when the handbook is prepared).</summary>
        internal static string HugeFrom { get; set; } = "";

        internal static string HugeTo { get; set; } = "";
    }

    private static async Task<(string Line, bool Ok)> RunScenarioAsync(BenchApp app, PageStore store, string[] pages, Scenario scenario, int seconds)
    {
        var timings = new ConcurrentBag<double>();
        var hostileTimings = new ConcurrentBag<double>();
        var statuses = new ConcurrentDictionary<string, int>();
        var errors = new ConcurrentBag<string>();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        using var sampling = new CancellationTokenSource();
        var peak = Task.Run(async () =>
        {
            long highest = 0;
            while (!sampling.IsCancellationRequested)
            {
                highest = Math.Max(highest, app.ResidentBytes());
                await Task.Delay(250, CancellationToken.None);
            }

            return highest;
        });
        var readers = Enumerable.Range(0, Readers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            while (DateTime.UtcNow < until)
            {
                var url = random.Next(10) switch
                {
                    < 6 => "/wiki/" + pages[random.Next(pages.Length)],
                    < 8 => "/search?q=" + Uri.EscapeDataString(Queries[random.Next(Queries.Length)]),
                    < 9 => "/history/" + pages[random.Next(pages.Length)],
                    _ => "/changes",
                };
                var t = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await app.Client.GetAsync(new Uri(url, UriKind.Relative));
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        errors.Add($"{url}: {(int)response.StatusCode}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    errors.Add($"{url}: {e.GetType().Name}");
                }

                timings.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }));
        var savers = Enumerable.Range(0, Savers).Select(s => Task.Run(async () =>
        {
            var path = PagePath.Parse($"werking/last-{s}");
            for (var n = 0; DateTime.UtcNow < until; n++)
            {
                var current = store.Read(path);
                var result = await store.SaveAsync(new SaveRequest(path, (current?.Text ?? "# Last\n") + $"Regel {n}.\n",
                    new Author($"Schrijver {s}", $"s{s}@demo.handbook.invalid"), $"regel {n}", current?.Revision));
                if (result is not (SaveResult.Saved or SaveResult.Merged))
                {
                    errors.Add($"save {path}: {result}");
                }

                await Task.Delay(1000);
            }
        }));
        var hostile = Enumerable.Range(0, scenario.Clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(100 + c);
            using var client = app.NewClient();
            while (DateTime.UtcNow < until)
            {
                var url = scenario.Url!(random);
                var t = Stopwatch.GetTimestamp();
                string status;
                try
                {
                    using var response = await client.GetAsync(new Uri(url, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
                    await response.Content.CopyToAsync(Stream.Null);
                    status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    status = e.GetType().Name;
                }

                hostileTimings.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                statuses.AddOrUpdate(status, 1, (_, v) => v + 1);
            }
        }));
        var hostileTasks = hostile.ToList();
        await Task.WhenAll(readers.Concat(savers).Concat(hostileTasks));
        var idle = await app.TimeToIdleAsync(TimeSpan.FromSeconds(60));
        await sampling.CancelAsync();
        var peakBytes = await peak;
        var other = Stat.Of([.. timings]);
        var max = timings.Max();
        var hostileText = scenario.Clients == 0
            ? "—"
            : hostileTimings.IsEmpty
                ? "none answered"
                : string.Create(CultureInfo.InvariantCulture, $"{hostileTimings.Count}, {Stat.Of([.. hostileTimings]).P50:0} / {Stat.Of([.. hostileTimings]).P95:0} ms, ") +
                  string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Value}× {s.Key}"));
        var ok = errors.IsEmpty && idle is not null && (scenario.Clients == 0 || !hostileTimings.IsEmpty);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {scenario.Name} | {other.P50:0} / {other.P95:0} / {max:0} ms (n={other.N}) | {(errors.IsEmpty ? "0" : $"**{errors.Count}** ({string.Join("; ", errors.Distinct().Take(3))})")} | {hostileText} | {peakBytes / 1024 / 1024} MB | {(idle is { } i ? $"{i.TotalSeconds:0.0} s" : "**not within 60 s**")} |");
        Console.WriteLine(line);
        return (line, ok);
    }

    private static string Repeat(string unit, int times) => string.Concat(Enumerable.Repeat(unit, times));

    internal static string ContentPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var content = Path.Combine(dir.FullName, "content", "handbook");
            if (Directory.Exists(content) && File.Exists(Path.Combine(dir.FullName, "Handbook.sln")))
            {
                return content;
            }
        }

        throw new DirectoryNotFoundException("content/handbook not found above " + AppContext.BaseDirectory);
    }
}
