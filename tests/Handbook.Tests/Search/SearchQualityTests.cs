using System.Globalization;
using System.Text;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Search;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Handbook.Tests.Search;

/// <summary>
/// Search quality on the real starter handbook: every line of <c>tests/search-judgments.tsv</c> is a query and the
/// page a worker expects. Reports recall@3 (the expected page is among the first three) and MRR (mean of 1/rank),
/// to the test output and to <c>docs/search-quality.md</c>. The bar is recall@3 ≥ 0.9.
/// </summary>
public sealed class SearchQualityTests(ITestOutputHelper output)
{
    public const double RecallBar = 0.9;

    [Fact]
    public async Task JudgmentSet_RecallAt3IsAtLeast90Percent()
    {
        var root = StarterContentTests.RepositoryRoot;
        var content = Path.Combine(root, "content", "handbook");
        var judgmentsFile = Path.Combine(root, "tests", "search-judgments.tsv");
        Assert.True(Directory.Exists(content), $"The starter handbook is missing: {content}");
        Assert.True(File.Exists(judgmentsFile), $"The judgment set is missing: {judgmentsFile}");
        var judgments = File.ReadAllLines(judgmentsFile)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Where(c => c.Length >= 2)
            .Select(c => (Query: c[0].Trim(), Expected: c[1].Trim()))
            .ToList();
        Assert.True(judgments.Count >= 10, $"Too few judgments in {judgmentsFile}");

        var temp = Directory.CreateTempSubdirectory("handbook-quality-").FullName;
        try
        {
            var options = Options.Create(new HandbookOptions { DataPath = temp, SeedPath = content });
            using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = Path.Combine(temp, "handbook.git"), SeedPath = content });
            var catalog = new HandbookCatalog(store, options);
            using var index = new SearchIndex(store, catalog, options, NullLogger<SearchIndex>.Instance);
            await index.UpdateAsync();

            var unknown = judgments.Where(j => !catalog.Current.Pages.ContainsKey(PagePath.Parse(j.Expected))).ToList();
            Assert.True(unknown.Count == 0, "Judgments name pages that do not exist: " + string.Join(", ", unknown.Select(u => u.Expected)));

            var hitsAt3 = 0;
            var reciprocal = 0.0;
            var misses = new List<string>();
            foreach (var (query, expected) in judgments)
            {
                var results = await index.SearchAsync(new SearchRequest(query, Take: 10));
                var rank = results.Hits.Select((h, i) => (h.Path.Value, i + 1)).FirstOrDefault(h => h.Value == expected).Item2;
                if (rank is > 0 and <= 3)
                {
                    hitsAt3++;
                }

                reciprocal += rank > 0 ? 1.0 / rank : 0;
                if (rank != 1)
                {
                    misses.Add($"| {query} | {expected} | {(rank == 0 ? "not in top 10" : rank.ToString(CultureInfo.InvariantCulture))} | {string.Join(", ", results.Hits.Take(3).Select(h => h.Path.Value))} |");
                }
            }

            var recall = (double)hitsAt3 / judgments.Count;
            var mrr = reciprocal / judgments.Count;
            var report = Report(judgments.Count, recall, mrr, misses);
            output.WriteLine(report);
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            await File.WriteAllTextAsync(Path.Combine(root, "docs", "search-quality.md"), report);
            Assert.True(recall >= RecallBar, $"recall@3 = {recall:0.000} (bar {RecallBar}), MRR = {mrr:0.000}\n{string.Join('\n', misses)}");
        }
        finally
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Report(int count, double recall, double mrr, List<string> misses)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Search quality");
        sb.AppendLine();
        sb.AppendLine("Measured by `SearchQualityTests` on the starter handbook (`content/handbook`) with the judgment set");
        sb.AppendLine("`tests/search-judgments.tsv` (one query and the page a worker expects per line). This file is written by the test.");
        sb.AppendLine();
        sb.AppendLine("Reproduce:");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine("dotnet test tests/Handbook.Tests --filter FullyQualifiedName~SearchQualityTests --logger \"console;verbosity=detailed\"");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("| measure | value |");
        sb.AppendLine("|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| judgments | {count} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| recall@3 | {recall:0.000} (bar: {RecallBar:0.0}) |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| MRR | {mrr:0.000} |");
        sb.AppendLine();
        sb.AppendLine("recall@3: share of queries whose expected page is among the first three results. MRR: mean of 1/rank of the");
        sb.AppendLine("expected page (0 when it is not in the first ten).");
        sb.AppendLine();
        if (misses.Count > 0)
        {
            sb.AppendLine("Queries whose page is not the first result:");
            sb.AppendLine();
            sb.AppendLine("| query | expected | rank | first three |");
            sb.AppendLine("|---|---|---|---|");
            misses.ForEach(m => sb.AppendLine(m));
        }

        return sb.ToString();
    }
}
