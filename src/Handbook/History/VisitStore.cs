using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Handbook.History;

/// <summary>What a worker saw last of a page: the commit it was read at, the page's text (its blob id) and when.</summary>
/// <param name="Revision">The commit the page was read at (for "show the changes").</param>
/// <param name="BlobId">The page's text that was seen; null for visits recorded before texts were kept.</param>
/// <param name="At">When.</param>
public sealed record PageVisit(string Revision, string? BlobId, DateTimeOffset At)
{
    /// <summary>
    /// Whether the page's text differs from what was seen. Compared by text, not by commit: a commit that changed
    /// other pages changed nothing here, and a false "changed since your visit" teaches people to ignore the real one.
    /// </summary>
    public bool ChangedSince(string blobId) => BlobId is not null && !string.Equals(BlobId, blobId, StringComparison.Ordinal);
}

/// <summary>
/// "New since your last visit" state, per worker, in a small SQLite file under the data folder: it is personal
/// reading state, not handbook content, so it stays out of git.
/// </summary>
public sealed class VisitStore
{
    /// <summary>A new visit starts after this long without a page view.</summary>
    public static readonly TimeSpan VisitGap = TimeSpan.FromMinutes(30);

    private const string HandbookKey = "";
    private readonly string _connectionString;

    public VisitStore(IOptions<HandbookOptions> options)
    {
        var folder = options.Value.DataFullPath;
        Directory.CreateDirectory(folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "visits.db"), Pooling = true }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS visits (
                user TEXT NOT NULL, path TEXT NOT NULL, revision TEXT NOT NULL, at INTEGER NOT NULL, previous INTEGER,
                PRIMARY KEY (user, path));
            """;
        command.ExecuteNonQuery();
        // Files from before texts were kept get the column; their old visits have none and never raise the notice.
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('visits') WHERE name = 'blob'";
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            command.CommandText = "ALTER TABLE visits ADD COLUMN blob TEXT";
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Records that the worker saw a page's text (<paramref name="blobId"/>) at a revision — by reading it, or by
    /// saving it: her own change counts as seen. Returns what she had seen before, if anything.
    /// </summary>
    public PageVisit? SeePage(string user, string path, string revision, string blobId)
    {
        using var connection = Open();
        var before = Read(connection, user, path);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO visits (user, path, revision, blob, at) VALUES ($u, $p, $r, $b, $t) " +
                              "ON CONFLICT (user, path) DO UPDATE SET revision = excluded.revision, blob = excluded.blob, at = excluded.at";
        command.Parameters.AddWithValue("$u", user);
        command.Parameters.AddWithValue("$p", path);
        command.Parameters.AddWithValue("$r", revision);
        command.Parameters.AddWithValue("$b", blobId);
        command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        return before is null ? null : new PageVisit(before.Value.Revision, before.Value.BlobId, before.Value.At);
    }

    /// <summary>
    /// Records a view of the handbook and returns the start of the worker's previous visit (null on a first visit):
    /// the moment after which changes are "new since your last visit".
    /// </summary>
    public DateTimeOffset? SeeHandbook(string user)
    {
        using var connection = Open();
        var now = DateTimeOffset.UtcNow;
        var before = Read(connection, user, HandbookKey);
        DateTimeOffset? previous = before switch
        {
            null => null,
            { } b when now - b.At > VisitGap => b.At,
            { } b => b.Previous,
        };
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO visits (user, path, revision, at, previous) VALUES ($u, $p, '', $t, $prev) " +
                              "ON CONFLICT (user, path) DO UPDATE SET at = excluded.at, previous = excluded.previous";
        command.Parameters.AddWithValue("$u", user);
        command.Parameters.AddWithValue("$p", HandbookKey);
        command.Parameters.AddWithValue("$t", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$prev", previous is { } p ? p.ToUnixTimeMilliseconds() : DBNull.Value);
        command.ExecuteNonQuery();
        return previous;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static (string Revision, string? BlobId, DateTimeOffset At, DateTimeOffset? Previous)? Read(SqliteConnection connection, string user, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT revision, blob, at, previous FROM visits WHERE user = $u AND path = $p";
        command.Parameters.AddWithValue("$u", user);
        command.Parameters.AddWithValue("$p", path);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
    }
}
