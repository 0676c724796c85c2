using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Handbook.Notifications;

/// <summary>What a notification is about.</summary>
public enum NotificationKind
{
    /// <summary>A page the worker follows (or her team owns) was changed.</summary>
    Edit,

    /// <summary>A question was asked on such a page.</summary>
    Question,

    /// <summary>A question she asked or follows was answered.</summary>
    Answer,

    /// <summary>A question she asked or follows was marked answered.</summary>
    Resolved,

    /// <summary>A page her team owns is due for review.</summary>
    ReviewDue,

    /// <summary>For managers: what changed per section this week and which questions are open longest (mail only).</summary>
    Overview,
}

/// <summary>How a worker wants to hear of a kind of notification by e-mail (in the app she always sees it).</summary>
public enum Delivery
{
    Immediately,
    Daily,
    Weekly,
    Never,
}

/// <summary>One notification in a worker's list.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Kind">What it is about.</param>
/// <param name="Page">The page.</param>
/// <param name="Actor">Who did it (a name).</param>
/// <param name="Summary">The change's summary, or the question's or answer's first words.</param>
/// <param name="Revision">For an edit: the commit; for a resolution: the change that solved it, if named.</param>
/// <param name="BaseRevision">For an edit: the commit before it (for "show the changes").</param>
/// <param name="QuestionId">For questions and answers: the question.</param>
/// <param name="At">When it happened.</param>
/// <param name="Read">Whether she opened or dismissed it.</param>
public sealed record Notification(long Id, NotificationKind Kind, string Page, string Actor, string Summary, string? Revision,
    string? BaseRevision, string? QuestionId, DateTimeOffset At, bool Read);

/// <summary>A worker the app has seen signed in: where notifications for her team go.</summary>
public sealed record Worker(string Email, string Name, string? Team);

/// <summary>
/// Per-worker notification state in a small SQLite file under the data folder (like visits.db): who follows what,
/// the notifications and whether they were read and mailed, e-mail preferences, and the workers seen, with their
/// team. It is personal state, not handbook content, so it stays out of git.
/// </summary>
public sealed class NotificationStore
{
    private readonly string _connectionString;

    // Unread counts are asked on every page view: kept in memory, dropped for a worker when her list changes.
    private readonly ConcurrentDictionary<string, int> _unread = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Worker> _seen = new(StringComparer.OrdinalIgnoreCase);

    public NotificationStore(IOptions<HandbookOptions> options)
    {
        var folder = options.Value.DataFullPath;
        Directory.CreateDirectory(folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "notifications.db"), Pooling = true }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS workers (email TEXT PRIMARY KEY COLLATE NOCASE, name TEXT NOT NULL, team TEXT, seen INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS follows (email TEXT NOT NULL COLLATE NOCASE, target TEXT NOT NULL, PRIMARY KEY (email, target));
            CREATE INDEX IF NOT EXISTS follows_target ON follows (target);
            CREATE TABLE IF NOT EXISTS unfollows (email TEXT NOT NULL COLLATE NOCASE, target TEXT NOT NULL, PRIMARY KEY (email, target));
            CREATE TABLE IF NOT EXISTS notifications (
                id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL COLLATE NOCASE, kind TEXT NOT NULL, page TEXT NOT NULL,
                actor TEXT NOT NULL, summary TEXT NOT NULL, revision TEXT, base TEXT, question TEXT, at INTEGER NOT NULL,
                read INTEGER NOT NULL DEFAULT 0, mailed INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS notifications_email ON notifications (email, read);
            CREATE INDEX IF NOT EXISTS notifications_mail ON notifications (mailed, email);
            CREATE TABLE IF NOT EXISTS preferences (email TEXT NOT NULL COLLATE NOCASE, kind TEXT NOT NULL, delivery TEXT NOT NULL, PRIMARY KEY (email, kind));
            CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>What a worker hears by e-mail when she chose nothing: questions at once, edits once a day.</summary>
    public static Delivery DefaultDelivery(NotificationKind kind) => kind switch
    {
        NotificationKind.Edit => Delivery.Daily,
        NotificationKind.ReviewDue => Delivery.Weekly,
        NotificationKind.Overview => Delivery.Never,
        _ => Delivery.Immediately,
    };

    // --- Workers ------------------------------------------------------------------------------------------------

    /// <summary>Records a signed-in worker and her team (written when something changed, not on every request).</summary>
    public void SeeWorker(Worker worker)
    {
        if (_seen.TryGetValue(worker.Email, out var known) && known == worker)
        {
            return;
        }

        Execute("INSERT INTO workers (email, name, team, seen) VALUES ($e, $n, $t, $s) " +
                "ON CONFLICT (email) DO UPDATE SET name = excluded.name, team = excluded.team, seen = excluded.seen",
            ("$e", worker.Email), ("$n", worker.Name), ("$t", worker.Team), ("$s", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        _seen[worker.Email] = worker;
    }

    public Worker? FindWorker(string email) =>
        Query("SELECT email, name, team FROM workers WHERE email = $e", r => new Worker(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)),
            ("$e", email)).FirstOrDefault();

    /// <summary>The workers of a team (as last seen signed in).</summary>
    public IReadOnlyList<Worker> TeamMembers(string team) =>
        Query("SELECT email, name, team FROM workers WHERE lower(trim(team)) = lower(trim($t))",
            r => new Worker(r.GetString(0), r.GetString(1), r.GetString(2)), ("$t", team));

    // --- Following ----------------------------------------------------------------------------------------------

    /// <summary>A page is followed by its path; a section by its path and a slash ("procedures/").</summary>
    public void Follow(string email, string target)
    {
        Execute("INSERT OR IGNORE INTO follows (email, target) VALUES ($e, $t)", ("$e", email), ("$t", target));
        Execute("DELETE FROM unfollows WHERE email = $e AND target = $t", ("$e", email), ("$t", target));
    }

    /// <summary>Stops following; for a page her team owns, also the team's automatic following of it.</summary>
    public void Unfollow(string email, string target)
    {
        Execute("DELETE FROM follows WHERE email = $e AND target = $t", ("$e", email), ("$t", target));
        Execute("INSERT OR IGNORE INTO unfollows (email, target) VALUES ($e, $t)", ("$e", email), ("$t", target));
    }

    /// <summary>What the worker follows herself (pages and sections).</summary>
    public IReadOnlySet<string> Following(string email) =>
        Query("SELECT target FROM follows WHERE email = $e", r => r.GetString(0), ("$e", email)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Pages and sections the worker said she no longer wants to hear of, though her team owns them.</summary>
    public IReadOnlySet<string> Unfollowed(string email) =>
        Query("SELECT target FROM unfollows WHERE email = $e", r => r.GetString(0), ("$e", email)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Who follows any of <paramref name="targets"/> (a page and the sections it is in).</summary>
    public IReadOnlyList<string> Followers(IReadOnlyCollection<string> targets) =>
        targets.Count == 0 ? [] : Query($"SELECT DISTINCT email FROM follows WHERE target IN ({string.Join(", ", targets.Select((_, i) => "$t" + i))})",
            r => r.GetString(0), targets.Select((t, i) => ("$t" + i, (object?)t)).ToArray());

    /// <summary>Those who unfollowed any of <paramref name="targets"/>.</summary>
    public IReadOnlySet<string> UnfollowedBy(IReadOnlyCollection<string> targets) =>
        targets.Count == 0 ? new HashSet<string>() : Query($"SELECT DISTINCT email FROM unfollows WHERE target IN ({string.Join(", ", targets.Select((_, i) => "$t" + i))})",
            r => r.GetString(0), targets.Select((t, i) => ("$t" + i, (object?)t)).ToArray()).ToHashSet(StringComparer.OrdinalIgnoreCase);

    // --- Notifications ------------------------------------------------------------------------------------------

    /// <summary>Adds one notification per recipient, in one transaction; returns the new ids by recipient.</summary>
    public IReadOnlyDictionary<string, long> Add(IReadOnlyCollection<string> recipients, NotificationKind kind, string page, string actor,
        string summary, string? revision, string? baseRevision, string? questionId, DateTimeOffset at)
    {
        var ids = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        if (recipients.Count == 0)
        {
            return ids;
        }

        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO notifications (email, kind, page, actor, summary, revision, base, question, at) " +
                              "VALUES ($e, $k, $p, $a, $s, $r, $b, $q, $t) RETURNING id";
        var email = command.Parameters.Add("$e", SqliteType.Text);
        command.Parameters.AddWithValue("$k", kind.ToString());
        command.Parameters.AddWithValue("$p", page);
        command.Parameters.AddWithValue("$a", actor);
        command.Parameters.AddWithValue("$s", summary);
        command.Parameters.AddWithValue("$r", (object?)revision ?? DBNull.Value);
        command.Parameters.AddWithValue("$b", (object?)baseRevision ?? DBNull.Value);
        command.Parameters.AddWithValue("$q", (object?)questionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$t", at.ToUnixTimeMilliseconds());
        foreach (var recipient in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            email.Value = recipient;
            ids[recipient] = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        transaction.Commit();
        foreach (var recipient in ids.Keys)
        {
            _unread.TryRemove(recipient, out _);
        }

        return ids;
    }

    public int UnreadCount(string email) => _unread.GetOrAdd(email, e =>
        Query("SELECT COUNT(*) FROM notifications WHERE email = $e AND read = 0", r => r.GetInt32(0), ("$e", e))[0]);

    /// <summary>The worker's notifications, newest first.</summary>
    public IReadOnlyList<Notification> List(string email, int take = 100) =>
        Query("SELECT id, kind, page, actor, summary, revision, base, question, at, read FROM notifications WHERE email = $e ORDER BY id DESC LIMIT $n",
            ReadNotification, ("$e", email), ("$n", take));

    /// <summary>One of the worker's notifications (never another's).</summary>
    public Notification? Find(string email, long id) =>
        Query("SELECT id, kind, page, actor, summary, revision, base, question, at, read FROM notifications WHERE email = $e AND id = $i",
            ReadNotification, ("$e", email), ("$i", id)).FirstOrDefault();

    public void MarkRead(string email, long id)
    {
        Execute("UPDATE notifications SET read = 1 WHERE email = $e AND id = $i", ("$e", email), ("$i", id));
        _unread.TryRemove(email, out _);
    }

    public void MarkAllRead(string email)
    {
        Execute("UPDATE notifications SET read = 1 WHERE email = $e AND read = 0", ("$e", email));
        _unread.TryRemove(email, out _);
    }

    /// <summary>Notifications not yet mailed (nor decided not to be), by recipient, oldest first.</summary>
    public IReadOnlyList<(string Email, Notification Notification)> Unmailed() =>
        Query("SELECT id, kind, page, actor, summary, revision, base, question, at, read, email FROM notifications WHERE mailed = 0 ORDER BY id",
            r => (r.GetString(10), ReadNotification(r)));

    /// <summary>Marks notifications as mailed (sent, put in a digest, or not to be mailed at all).</summary>
    public void MarkMailed(IEnumerable<long> ids)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE notifications SET mailed = 1 WHERE id = $i";
        var id = command.Parameters.Add("$i", SqliteType.Integer);
        foreach (var value in ids)
        {
            id.Value = value;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    // --- Preferences and state ----------------------------------------------------------------------------------

    public Delivery DeliveryOf(string email, NotificationKind kind) =>
        Query("SELECT delivery FROM preferences WHERE email = $e AND kind = $k", r => r.GetString(0), ("$e", email), ("$k", kind.ToString()))
            .FirstOrDefault() is { } text && Enum.TryParse<Delivery>(text, out var delivery) ? delivery : DefaultDelivery(kind);

    /// <summary>For many workers at once (a fan-out): how each wants to hear of <paramref name="kind"/>.</summary>
    public IReadOnlyDictionary<string, Delivery> DeliveriesOf(IReadOnlyCollection<string> emails, NotificationKind kind)
    {
        var result = emails.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(e => e, _ => DefaultDelivery(kind), StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in result.Keys.ToList().Chunk(500))
        {
            var rows = Query($"SELECT email, delivery FROM preferences WHERE kind = $k AND email IN ({string.Join(", ", chunk.Select((_, i) => "$e" + i))})",
                r => (r.GetString(0), r.GetString(1)), [("$k", kind.ToString()), .. chunk.Select((e, i) => ("$e" + i, (object?)e))]);
            foreach (var (email, text) in rows)
            {
                if (Enum.TryParse<Delivery>(text, out var delivery))
                {
                    result[email] = delivery;
                }
            }
        }

        return result;
    }

    /// <summary>For many workers at once: their names as last seen (those never seen are left out).</summary>
    public IReadOnlyDictionary<string, Worker> FindWorkers(IReadOnlyCollection<string> emails)
    {
        var result = new Dictionary<string, Worker>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in emails.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(500))
        {
            foreach (var worker in Query($"SELECT email, name, team FROM workers WHERE email IN ({string.Join(", ", chunk.Select((_, i) => "$e" + i))})",
                r => new Worker(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)), chunk.Select((e, i) => ("$e" + i, (object?)e)).ToArray()))
            {
                result[worker.Email] = worker;
            }
        }

        return result;
    }

    public void SetDelivery(string email, NotificationKind kind, Delivery delivery) =>
        Execute("INSERT INTO preferences (email, kind, delivery) VALUES ($e, $k, $d) ON CONFLICT (email, kind) DO UPDATE SET delivery = excluded.delivery",
            ("$e", email), ("$k", kind.ToString()), ("$d", delivery.ToString()));

    /// <summary>Workers who asked for the managers' overview.</summary>
    public IReadOnlyList<string> OverviewSubscribers() =>
        Query("SELECT email FROM preferences WHERE kind = $k AND delivery <> $n", r => r.GetString(0), ("$k", NotificationKind.Overview.ToString()), ("$n", Delivery.Never.ToString()));

    public string? State(string key) => Query("SELECT value FROM state WHERE key = $k", r => r.GetString(0), ("$k", key)).FirstOrDefault();

    public void SetState(string key, string value) =>
        Execute("INSERT INTO state (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("$k", key), ("$v", value));

    private static Notification ReadNotification(SqliteDataReader r) => new(r.GetInt64(0), Enum.Parse<NotificationKind>(r.GetString(1)),
        r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)), r.GetInt64(9) != 0);

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var rows = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
