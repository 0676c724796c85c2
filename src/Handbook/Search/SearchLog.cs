using System.Security.Cryptography;
using Handbook.Editing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Handbook.Search;

/// <summary>Why a search is in the log: it found nothing, or none of what it found was opened.</summary>
public enum SearchGapKind
{
    NoResults,
    NothingOpened,
}

/// <summary>A query (grouped by its normalised text) that search did not answer, counted per week (newest first).</summary>
/// <param name="Key">The normalised query: what the group is known by in the actions.</param>
/// <param name="Query">The query as it was last typed.</param>
/// <param name="NoResults">Searches that found nothing.</param>
/// <param name="NothingOpened">Searches whose results were not opened.</param>
/// <param name="Weeks">Monday of each week and the searches in it, newest week first.</param>
/// <param name="Last">The latest of these searches.</param>
public sealed record SearchGap(string Key, string Query, int NoResults, int NothingOpened, IReadOnlyList<(DateOnly Week, int Count)> Weeks, DateTimeOffset Last)
{
    public int Total => NoResults + NothingOpened;
}

/// <summary>
/// Where search fails, for the editors' page "Zoekvragen zonder antwoord": searches that found nothing, and searches
/// none of whose results was opened. A search is kept with its text and time only — never who asked — in a small
/// SQLite file under the data folder (search state, not handbook content, so it stays out of git). A query the
/// privacy guard flags (a national register number, an IBAN, an outside e-mail address) is never written. Entries
/// older than <see cref="HandbookOptions.SearchLogDays"/> are removed whenever the log is written or read.
/// <para>
/// A search with results gets a random token that its result links carry (<see cref="SearchEndpoints.OpenPath"/>):
/// opening a result removes the search, so what remains after <see cref="OpenGrace"/> was not opened.
/// </para>
/// </summary>
public sealed class SearchLog
{
    /// <summary>How long a worker has to open a result before the search counts as unanswered.</summary>
    public static readonly TimeSpan OpenGrace = TimeSpan.FromMinutes(30);

    /// <summary>The longest query kept (longer text is cut; search itself reads no more).</summary>
    public const int MaxQueryLength = SearchIndex.MaxQueryLength;

    private readonly string _connectionString;
    private readonly PrivacyGuard _privacy;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _retention;

    public SearchLog(IOptions<HandbookOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = options.Value.DataFullPath;
        Directory.CreateDirectory(folder);
        FilePath = Path.Combine(folder, "searchlog.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = true }.ToString();
        _privacy = new PrivacyGuard(options.Value.OrganisationDomains);
        _clock = clock;
        _retention = TimeSpan.FromDays(options.Value.SearchLogDays);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS searches (
                token TEXT PRIMARY KEY, query TEXT NOT NULL, normalized TEXT NOT NULL, at INTEGER NOT NULL, results INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS searches_at ON searches (at);
            CREATE INDEX IF NOT EXISTS searches_normalized ON searches (normalized);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>The SQLite file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Keeps a search from the results page: its text, time and whether it found anything. Returns the token its
    /// result links carry, or null when nothing was kept (an empty query, or one the privacy guard flags).
    /// </summary>
    public string? Record(string query, int results)
    {
        var text = (query ?? "").Trim();
        if (text.Length > MaxQueryLength)
        {
            text = text[..MaxQueryLength];
        }

        var normalized = SearchQueryBuilder.Normalize(text);
        if (normalized.Length == 0 || _privacy.Check(text).Count > 0)
        {
            return null;
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        using var connection = Open();
        Purge(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO searches (token, query, normalized, at, results) VALUES ($t, $q, $n, $at, $r)";
        command.Parameters.AddWithValue("$t", token);
        command.Parameters.AddWithValue("$q", text);
        command.Parameters.AddWithValue("$n", normalized);
        command.Parameters.AddWithValue("$at", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$r", results);
        command.ExecuteNonQuery();
        return token;
    }

    /// <summary>A result of the search with this token was opened: the search was answered and is forgotten.</summary>
    public void Opened(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return;
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM searches WHERE token = $t AND results > 0";
        command.Parameters.AddWithValue("$t", token);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The unanswered queries, grouped by normalised text, the most asked (then the latest) first. A group that
    /// <paramref name="answered"/> accepts is left out: a page made since with the query as its title or alias
    /// ("Pagina maken" opens the new page with it) answers it.
    /// </summary>
    public IReadOnlyList<SearchGap> Gaps(int take = 200, Func<SearchGap, bool>? answered = null)
    {
        var now = _clock.GetUtcNow();
        using var connection = Open();
        Purge(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT query, normalized, at, results FROM searches WHERE results = 0 OR at < $opened ORDER BY at DESC";
        command.Parameters.AddWithValue("$opened", (now - OpenGrace).ToUnixTimeMilliseconds());
        var rows = new List<(string Query, string Key, DateTimeOffset At, bool Found)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetInt64(3) > 0));
            }
        }

        return rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => new SearchGap(g.Key, g.First().Query, g.Count(r => !r.Found), g.Count(r => r.Found),
                g.GroupBy(r => WeekOf(r.At)).OrderByDescending(w => w.Key).Select(w => (w.Key, w.Count())).ToList(), g.First().At))
            .Where(g => answered?.Invoke(g) != true)
            .OrderByDescending(g => g.Weeks[0].Week).ThenByDescending(g => g.Total).ThenByDescending(g => g.Last)
            .Take(take)
            .ToList();
    }

    /// <summary>A group was handled (a synonym, an alias or a page was added) or dismissed: it leaves the list.</summary>
    public void Resolve(string key)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM searches WHERE normalized = $n";
        command.Parameters.AddWithValue("$n", SearchQueryBuilder.Normalize(key));
        command.ExecuteNonQuery();
    }

    /// <summary>The Monday of the week (ISO) a moment falls in, in UTC.</summary>
    public static DateOnly WeekOf(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    private void Purge(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM searches WHERE at < $before";
        command.Parameters.AddWithValue("$before", (_clock.GetUtcNow() - _retention).ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
