using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Handbook.GitStore;
using Handbook.Rendering;

namespace Handbook.Bench;

/// <summary>
/// The fault tests at full size and repeated, with their figures written to a report: concurrent writers, many
/// SIGKILL rounds of a saving process at random moments, and the hostile pages through the renderer. (The test suite
/// runs one round of each; the 1 GB upload and the app-process kill are browser/HTTP tests in tests/Handbook.EndToEnd.)
/// </summary>
internal static class Faults
{
    public static async Task<int> RunAsync(string output, int rounds)
    {
        var report = new StringBuilder("# Fault runs\n\n");
        report.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench -- faults --rounds {rounds}` (writes this file).").AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz} on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {Corpus.Git(".", "--version").Trim()}.").AppendLine();
        var failures = 0;
        var work = Directory.CreateTempSubdirectory("handbook-faults-").FullName;
        try
        {
            failures += await ConcurrentWritersAsync(Path.Combine(work, "writers"), report);
            failures += await KillRoundsAsync(Path.Combine(work, "kills"), rounds, report);
            failures += HostilePages(report);
            failures += await FaultsUnderLoad.RunAsync(Path.Combine(work, "load"), report,
                [FaultsUnderLoad.Scenario.Baseline, FaultsUnderLoad.Scenario.WorstPages, FaultsUnderLoad.Scenario.SuggestFlood,
                    FaultsUnderLoad.Scenario.HugePage], seconds: 20);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        report.AppendLine(failures == 0 ? "**All checks passed.**" : $"**{failures} checks failed.**");
        var path = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, report.ToString());
        Console.WriteLine($"Wrote {path}; {failures} failures");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>20 writers × 50 saves on 5 pages, each writer owning one line: every acknowledged save is in history.</summary>
    private static async Task<int> ConcurrentWritersAsync(string root, StringBuilder report)
    {
        const int writers = 20, saves = 50, pages = 5;
        using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = Path.Combine(root, "handbook.git") });
        for (var p = 0; p < pages; p++)
        {
            var lines = Enumerable.Range(0, writers / pages).Select(t => $"schrijver {p + (t * pages)}: 0\n\n\n");
            await store.SaveAsync(new SaveRequest(PagePath.Parse($"werking/gedeeld-{p}"), string.Concat(lines), new Author("Start", "start@demo.handbook.invalid"), "start", null));
        }

        var acknowledged = new ConcurrentBag<(string Revision, int Writer, int Value)>();
        int saved = 0, merged = 0, conflicts = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var path = PagePath.Parse($"werking/gedeeld-{w % pages}");
            for (var n = 1; n <= saves; n++)
            {
                while (true)
                {
                    var page = store.Read(path)!;
                    var text = Regex.Replace(page.Text, $"(?m)^schrijver {w}: .*$", $"schrijver {w}: {n}");
                    var result = await store.SaveAsync(new SaveRequest(path, text, new Author($"Schrijver {w}", $"s{w}@demo.handbook.invalid"), $"s{w} n{n}", page.Revision));
                    if (result is SaveResult.Saved s)
                    {
                        Interlocked.Increment(ref saved);
                        acknowledged.Add((s.Revision, w, n));
                        break;
                    }

                    if (result is SaveResult.Merged m)
                    {
                        Interlocked.Increment(ref merged);
                        acknowledged.Add((m.Revision, w, n));
                        break;
                    }

                    // A conflict goes back to its writer, who reads again and retries (as the editor offers).
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));
        var elapsed = watch.Elapsed;
        var repository = Path.Combine(root, "handbook.git");
        var onBranch = Corpus.Git(repository, "rev-list main").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var missing = acknowledged.Count(a => !onBranch.Contains(a.Revision)
            || !Corpus.Git(repository, $"show {a.Revision}:werking/gedeeld-{a.Writer % pages}.md").Contains($"schrijver {a.Writer}: {a.Value}\n", StringComparison.Ordinal));
        var fsck = Fsck(repository);
        report.AppendLine("## Concurrent writers").AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{writers} writers × {saves} saves on {pages} pages in {elapsed.TotalSeconds:0.0} s: {acknowledged.Count} acknowledged ({saved} saved directly, {merged} merged with a concurrent save), {conflicts} conflicts reported back to their writer and retried; {missing} acknowledged saves missing from history; `git fsck --strict`: {fsck}.").AppendLine();
        return (acknowledged.Count == writers * saves ? 0 : 1) + (missing == 0 ? 0 : 1) + (fsck == "clean" ? 0 : 1);
    }

    /// <summary>A saving process killed with SIGKILL at a random moment, many times; the repository is checked after each.</summary>
    private static async Task<int> KillRoundsAsync(string root, int rounds, StringBuilder report)
    {
        report.AppendLine("## SIGKILL during a burst of saves").AppendLine();
        report.AppendLine("Each round: a process saves in a loop (`bench burst`), is killed after a random number of acknowledged saves plus a random 0–30 ms, and the repository is then checked and saved to again.").AppendLine();
        report.AppendLine("| round | acknowledged | commits on branch | acknowledged missing | fsck | lock files left by the kill | next save |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        var random = new Random(20261123);
        var failures = 0;
        var self = typeof(Faults).Assembly.Location;
        for (var round = 1; round <= rounds; round++)
        {
            var repository = Path.Combine(root, $"r{round}", "handbook.git");
            using (var seed = PageStore.Open(new PageStoreOptions { RepositoryPath = repository }))
            {
                await seed.SaveAsync(new SaveRequest(PagePath.Parse("werking/start"), "start\n", new Author("Start", "start@demo.handbook.invalid"), "start", null));
            }

            var target = random.Next(1, 80);
            var extra = random.Next(0, 30);
            using var writer = Process.Start(new ProcessStartInfo("dotnet", [self, "burst", repository]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            _ = writer.StandardError.ReadToEndAsync();
            var acknowledged = new List<string>();
            while (acknowledged.Count < target && await writer.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    acknowledged.Add(line[4..]);
                }
            }

            await Task.Delay(extra);
            writer.Kill();
            await writer.WaitForExitAsync();
            // Lines already written before the kill were acknowledged too.
            while (await writer.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    acknowledged.Add(line[4..]);
                }
            }

            var fsck = Fsck(repository);
            var locks = Directory.EnumerateFiles(repository, "*.lock", SearchOption.AllDirectories).Count();
            var onBranch = Corpus.Git(repository, "rev-list main").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            var missing = acknowledged.Count(a => !onBranch.Contains(a));
            string next;
            using (var store = PageStore.Open(new PageStoreOptions { RepositoryPath = repository, IndexPath = Path.Combine(repository, "..", "history.idx") }))
            {
                var result = await store.SaveAsync(new SaveRequest(PagePath.Parse("werking/na-de-crash"), "na de crash\n", new Author("T", "t@demo.handbook.invalid"), "na de crash", null));
                next = result is SaveResult.Saved ? "saved" : result.ToString();
            }

            var ok = missing == 0 && fsck == "clean" && next == "saved";
            failures += ok ? 0 : 1;
            report.AppendLine(CultureInfo.InvariantCulture, $"| {round} | {acknowledged.Count} | {onBranch.Count - 1} | {missing} | {fsck} | {locks} | {next} |");
        }

        report.AppendLine().AppendLine("A leftover `*.lock` would block saves; the next save after each kill shows none did.").AppendLine();
        return failures;
    }

    /// <summary>The hostile pages of the fault list at full size through the renderer every page view uses.</summary>
    private static int HostilePages(StringBuilder report)
    {
        var bomb = new StringBuilder("---\ntitle: Bom\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (var level = 'b'; level <= 'k'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append(level).Append(": &").Append(level).Append(" [*").Append(previous).Append(string.Concat(Enumerable.Repeat(",*" + previous, 8))).Append("]\n");
        }

        bomb.Append("---\nTekst onder de bom.\n");
        var cases = new (string Name, string Markdown, string Expected)[]
        {
            ("10 MB page", string.Concat(Enumerable.Repeat("Een lange alinea over het leefloon en de huurwaarborg. ", 10 * 1024 * 1024 / 55)), "te groot om op te maken"),
            ("100,000 wiki links", string.Concat(Enumerable.Range(0, 100_000).Select(i => $"[[werking/p{i}]] ")), "te veel onderdelen"),
            ("10,000-deep quotes", new string('>', 10_000) + " diep\n", "te diep genest"),
            ("10,000-deep list", string.Concat(Enumerable.Repeat("- ", 10_000)) + "x\n", "te diep genest"),
            ("YAML bomb in front matter", bomb.ToString(), "Tekst onder de bom."),
            ("50,000 nested <div>", string.Concat(Enumerable.Repeat("<div>", 50_000)) + "x" + string.Concat(Enumerable.Repeat("</div>", 50_000)), "te diep genest"),
            ("27,000 footnote references", string.Concat(Enumerable.Repeat("[^1]", 27_000)), "te veel haakjes"),
            ("200 blocks of 1,999 '[a](b'", string.Concat(Enumerable.Repeat(string.Concat(Enumerable.Repeat("[a](b", 1_999)) + "\n\n", 200)), "te veel haakjes"),
            ("one block of 1,999 '[a](b' (just under the limit)", string.Concat(Enumerable.Repeat("[a](b", 1_999)), "[a](b"),
            ("120 blocks of 3,999 '*a_ '", string.Concat(Enumerable.Repeat(string.Concat(Enumerable.Repeat("*a_ ", 3_999)) + "\n\n", 120)), "te veel"),
            ("front matter with title and Title", "---\ntitle: a\nTitle: b\n---\nTekst.\n", "Tekst."),
            ("2,000 wiki links (a long real overview)", string.Concat(Enumerable.Range(0, 2_000).Select(i => $"- [[werking/p{i}]]\n")), "wikilink-missing"),
        };
        var renderer = new MarkdownRenderer();
        var context = new NoPages();
        var failures = 0;
        report.AppendLine("## Hostile pages").AppendLine();
        report.AppendLine("As they arrive through git (the editor refuses pages over 2 MB), through the page renderer and sanitiser, one at a time; each must answer within the render budget (2 s).").AppendLine();
        report.AppendLine("| input | size | render ms | HTML | answer |").AppendLine("|---|---|---|---|---|");
        foreach (var (name, markdown, expected) in cases)
        {
            var watch = Stopwatch.StartNew();
            var page = renderer.Render(markdown, "test", context);
            var ms = watch.Elapsed.TotalMilliseconds;
            var ok = page.Html.Contains(expected, StringComparison.Ordinal) && !page.Html.Contains("<script", StringComparison.OrdinalIgnoreCase)
                && ms < MarkdownRenderer.TimeBudget.TotalMilliseconds;
            failures += ok ? 0 : 1;
            var answer = Regex.Match(page.Html, "role=\"alert\">([^<]*)<") is { Success: true } m ? "notice: " + System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)
                : page.Meta.Error is { } error ? "formatted; front matter refused: " + error
                : "formatted";
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {markdown.Length / 1024:N0} KB | {ms:0} | {page.Html.Length / 1024:N0} KB | {(ok ? "" : "**unexpected** ")}{answer} |");
        }

        report.AppendLine();
        return failures;
    }

    private static string Fsck(string repository)
    {
        try
        {
            Corpus.Git(repository, "fsck --strict --no-dangling");
            return "clean";
        }
        catch (InvalidOperationException e)
        {
            return "**" + e.Message.ReplaceLineEndings(" ") + "**";
        }
    }

    private sealed class NoPages : IRenderContext
    {
        public Rendering.Glossary.Glossary Glossary => Rendering.Glossary.Glossary.Empty;

        public (string Href, bool Exists, string? Title) Resolve(string target) => ("/wiki/" + target, false, null);
    }
}
