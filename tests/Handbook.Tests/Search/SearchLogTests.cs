using System.Net;
using System.Text.RegularExpressions;
using Handbook.Search;
using Handbook.Tests.Questions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Handbook.Tests.Search;

/// <summary>
/// Searches without an answer: kept with text and time only, shown on "Zoekvragen zonder antwoord", handled from there
/// through the page's own forms (in process, real git repository).
/// </summary>
public sealed class SearchLogTests : IDisposable
{
    private const string GapsUrl = "/zoeken/zonder-antwoord";
    private readonly HandbookFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AZeroResultQuery_AppearsOnThePage_AnAliasIsAddedThroughItsForm_AndTheQueryThenFindsThePage()
    {
        using var client = await _app.SignedInClientAsync();
        var search = await client.GetStringAsync(new Uri("/search?q=" + Uri.EscapeDataString("Kerstgeschenk Voor Grootouders"), UriKind.Relative));
        Assert.Contains("Geen pagina", search, StringComparison.Ordinal);

        var gaps = await client.GetStringAsync(new Uri(GapsUrl, UriKind.Relative));
        Assert.Contains("data-query=\"kerstgeschenk voor grootouders\"", gaps, StringComparison.Ordinal);
        Assert.Matches("1(×|&#xD7;) geen resultaten", gaps);
        Assert.Contains("/nieuw?title=Kerstgeschenk%20Voor%20Grootouders", gaps, StringComparison.Ordinal);

        var response = await QuestionTests.PostFormAsync(client, GapsUrl, gaps, "alias-kerstgeschenk-voor-grootouders",
            new Dictionary<string, string> { ["Page"] = "Leefloon aanvragen" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await response.Content.ReadAsStringAsync();
        Assert.Contains("is nu een alias van de pagina", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-query=\"kerstgeschenk voor grootouders\"", after, StringComparison.Ordinal);

        // A commit by that worker, one front matter line changed.
        var store = _app.Services.GetRequiredService<Handbook.GitStore.PageStore>();
        var page = store.Read(Handbook.GitStore.PagePath.Parse("procedures/leefloon-aanvragen"))!;
        Assert.Contains("aliases: [RMI, Kerstgeschenk Voor Grootouders]", page.Text, StringComparison.Ordinal);
        Assert.Equal("Demo Maatschappelijk Assistent", store.LastChange(page.Path)?.Author.Name);

        var again = await client.GetStringAsync(new Uri("/search?q=" + Uri.EscapeDataString("Kerstgeschenk Voor Grootouders"), UriKind.Relative));
        Assert.Matches("<h2><a href=\"/zoeken/open\\?t=[0-9a-f]+&amp;pad=procedures%2Fleefloon-aanvragen\">Leefloon aanvragen</a></h2>", again);
    }

    [Fact]
    public async Task APageMadeWithTheQueryAsItsTitle_AnswersTheGroup()
    {
        using var client = await _app.SignedInClientAsync();
        await client.GetStringAsync(new Uri("/search?q=Kerstpakket%20Ouderen", UriKind.Relative));
        var gaps = await client.GetStringAsync(new Uri(GapsUrl, UriKind.Relative));
        Assert.Contains("data-query=\"kerstpakket ouderen\"", gaps, StringComparison.Ordinal);
        Assert.Contains("/nieuw?title=Kerstpakket%20Ouderen", gaps, StringComparison.Ordinal);

        // "Pagina maken" opens the new page with the query as its title; the first save makes it.
        var store = _app.Services.GetRequiredService<Handbook.GitStore.PageStore>();
        var saved = await store.SaveAsync(new Handbook.GitStore.SaveRequest(Handbook.GitStore.PagePath.Parse("werking/kerstpakket-ouderen"),
            "---\ntitle: Kerstpakket ouderen\n---\nNog aan te vullen.\n", new Handbook.GitStore.Author("Demo Maatschappelijk Assistent", "ma@demo.handbook.invalid"), "Nieuwe pagina", null));
        Assert.IsType<Handbook.GitStore.SaveResult.Saved>(saved);

        var after = await client.GetStringAsync(new Uri(GapsUrl, UriKind.Relative));
        Assert.DoesNotContain("data-query=\"kerstpakket ouderen\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASynonymIsAddedFromThePage_AsACommitOfTheSynonymPage()
    {
        using var client = await _app.SignedInClientAsync();
        await client.GetStringAsync(new Uri("/search?q=kerstbonus", UriKind.Relative));
        var gaps = await client.GetStringAsync(new Uri(GapsUrl, UriKind.Relative));
        var response = await QuestionTests.PostFormAsync(client, GapsUrl, gaps, "synonym-kerstbonus", new Dictionary<string, string> { ["Meaning"] = "leefloon" });
        Assert.Contains("betekent nu ook", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var store = _app.Services.GetRequiredService<Handbook.GitStore.PageStore>();
        Assert.Contains("| kerstbonus | leefloon |", store.Read(Handbook.GitStore.PagePath.Parse("synoniemen"))!.Text, StringComparison.Ordinal);
        var found = await client.GetStringAsync(new Uri("/search?q=kerstbonus", UriKind.Relative));
        Assert.Contains("pad=procedures%2Fleefloon-aanvragen", found, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOpenedResult_AnswersTheSearch_AndTheLinkGoesOnlyToAPage()
    {
        using var client = await _app.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/search?q=leefloon", UriKind.Relative));
        var href = WebUtility.HtmlDecode(Regex.Match(html, "href=\"(/zoeken/open\\?[^\"]+)\"").Groups[1].Value);
        var log = _app.Services.GetRequiredService<SearchLog>();
        Assert.Equal(1, Count(log.FilePath));

        var response = await client.GetAsync(new Uri(href, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/wiki/procedures/leefloon-aanvragen", response.Headers.Location?.OriginalString);
        Assert.Equal(0, Count(log.FilePath));

        var elsewhere = await client.GetAsync(new Uri("/zoeken/open?t=x&pad=" + Uri.EscapeDataString("//evil.example/x"), UriKind.Relative));
        Assert.Equal("/search", elsewhere.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AQueryWithANationalRegisterNumber_IsNeverStored_AndWhoAskedIsNeverStored()
    {
        using var client = await _app.SignedInClientAsync();
        await client.GetStringAsync(new Uri("/search?q=" + Uri.EscapeDataString("leefloon 85.07.30-123.35"), UriKind.Relative));
        await client.GetStringAsync(new Uri("/search?q=" + Uri.EscapeDataString("85073012335"), UriKind.Relative));
        await client.GetStringAsync(new Uri("/search?q=" + Uri.EscapeDataString("BE68 5390 0754 7034"), UriKind.Relative));
        await client.GetStringAsync(new Uri("/search?q=onbekendwoord", UriKind.Relative));

        var file = _app.Services.GetRequiredService<SearchLog>().FilePath;
        var bytes = string.Concat(new[] { file, file + "-wal" }.Where(File.Exists).Select(f => File.ReadAllText(f, System.Text.Encoding.Latin1)));
        Assert.DoesNotContain("123.35", bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("85073012335", bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("5390", bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("ma@demo", bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo Maatschappelijk", bytes, StringComparison.Ordinal);
        Assert.Equal(["onbekendwoord"], Queries(file));

        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('searches') ORDER BY cid";
        var columns = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }
        }

        // Text, time and what it found; the token is random, made per search, and linked to no one.
        Assert.Equal(["token", "query", "normalized", "at", "results"], columns);
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'";
        Assert.Equal(1L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public void OldEntries_PastTheRetention_AreRemoved_AndGroupsAreCountedPerWeekNewestFirst()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new HandbookOptions { DataPath = Path.Combine(_app.Root, "log-data"), SearchLogDays = 30 });
        var log = new SearchLog(options, clock);
        log.Record("Kindergeld", 0);
        clock.Now = clock.Now.AddDays(20);
        log.Record("kindergeld", 0);
        log.Record("leefloon", 3);
        log.Record("kindergeld!", 0);

        var gap = Assert.Single(log.Gaps());
        Assert.Equal("kindergeld", gap.Key);
        Assert.Equal("kindergeld!", gap.Query);
        Assert.Equal(3, gap.NoResults);
        Assert.Equal(new[] { (new DateOnly(2026, 3, 16), 2), (new DateOnly(2026, 3, 2), 1) }, gap.Weeks.Select(w => (w.Week, w.Count)));

        // Not opened within the grace time: now it counts as well.
        clock.Now = clock.Now.Add(SearchLog.OpenGrace).AddMinutes(1);
        Assert.Equal(["kindergeld", "leefloon"], log.Gaps().Select(g => g.Key).Order());

        clock.Now = clock.Now.AddDays(15);
        Assert.Equal(4, Count(log.FilePath));
        var left = log.Gaps();
        Assert.Equal(3, Count(log.FilePath));
        Assert.Equal(2, left.Single(g => g.Key == "kindergeld").NoResults);

        log.Resolve("Kindergeld");
        Assert.Equal(["leefloon"], log.Gaps().Select(g => g.Key));
    }

    private static long Count(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM searches";
        return (long)command.ExecuteScalar()!;
    }

    private static List<string> Queries(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT query FROM searches ORDER BY at";
        var result = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
