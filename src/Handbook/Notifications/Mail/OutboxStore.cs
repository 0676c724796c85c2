using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Handbook.Notifications.Mail;

/// <summary>A mail in the outbox with what its next try needs.</summary>
internal sealed record QueuedMail(long Id, string MessageId, OutgoingMail Mail, int Attempts);

/// <summary>
/// The outbox as a SQLite file (<c>outbox.db</c> in the data folder), so a queued mail survives a restart. A mail
/// is a row until the server accepts it (then the row goes) or it is given up on (then it stays, flagged failed).
/// The last delivery outcome is kept beside it for the status page. Each call opens its own pooled connection;
/// SQLite serialises the writers (<see cref="MailOutbox.Enqueue"/> on request threads, <see cref="MailSender"/>).
/// </summary>
internal sealed class OutboxStore
{
    private readonly string _connectionString;

    public OutboxStore(string folder)
    {
        Directory.CreateDirectory(folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "outbox.db"), Pooling = true }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS mails (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL,
                recipient TEXT NOT NULL, recipient_name TEXT, subject TEXT NOT NULL, text_body TEXT NOT NULL, html_body TEXT,
                queued_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL,
                failed INTEGER NOT NULL DEFAULT 0, last_error TEXT);
            CREATE INDEX IF NOT EXISTS mails_due ON mails (failed, due_at);
            CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    public long Add(OutgoingMail mail, string messageId, DateTimeOffset now)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO mails (message_id, recipient, recipient_name, subject, text_body, html_body, queued_at, due_at)
            VALUES ($m, $to, $name, $subject, $text, $html, $now, $now);
            SELECT last_insert_rowid();
            """;
        command.Parameters.AddWithValue("$m", messageId);
        command.Parameters.AddWithValue("$to", mail.To);
        command.Parameters.AddWithValue("$name", (object?)mail.ToName ?? DBNull.Value);
        command.Parameters.AddWithValue("$subject", mail.Subject);
        command.Parameters.AddWithValue("$text", mail.TextBody);
        command.Parameters.AddWithValue("$html", (object?)mail.HtmlBody ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Adds several mails in one transaction (a notification to many followers: one disk write, not one each).</summary>
    public void AddAll(IReadOnlyList<(OutgoingMail Mail, string MessageId)> mails, DateTimeOffset now)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO mails (message_id, recipient, recipient_name, subject, text_body, html_body, queued_at, due_at)
            VALUES ($m, $to, $name, $subject, $text, $html, $now, $now);
            """;
        var messageId = command.Parameters.Add("$m", SqliteType.Text);
        var to = command.Parameters.Add("$to", SqliteType.Text);
        var name = command.Parameters.Add("$name", SqliteType.Text);
        var subject = command.Parameters.Add("$subject", SqliteType.Text);
        var text = command.Parameters.Add("$text", SqliteType.Text);
        var html = command.Parameters.Add("$html", SqliteType.Text);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        foreach (var (mail, id) in mails)
        {
            (messageId.Value, to.Value, name.Value) = (id, mail.To, (object?)mail.ToName ?? DBNull.Value);
            (subject.Value, text.Value, html.Value) = (mail.Subject, mail.TextBody, (object?)mail.HtmlBody ?? DBNull.Value);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Mails whose try is due, oldest first.</summary>
    public IReadOnlyList<QueuedMail> Due(DateTimeOffset now, int limit)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, message_id, recipient, recipient_name, subject, text_body, html_body, attempts FROM mails
            WHERE failed = 0 AND due_at <= $now ORDER BY due_at, id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var due = new List<QueuedMail>();
        while (reader.Read())
        {
            var mail = new OutgoingMail(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
            due.Add(new QueuedMail(reader.GetInt64(0), reader.GetString(1), mail, reader.GetInt32(7)));
        }

        return due;
    }

    /// <summary>When the next pending mail is due; null when none is pending.</summary>
    public DateTimeOffset? NextDueAt()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(due_at) FROM mails WHERE failed = 0";
        return command.ExecuteScalar() is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null;
    }

    public void MarkSent(long id, DateTimeOffset now)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM mails WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
        SetState(connection, "last_sent_at", now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        transaction.Commit();
    }

    /// <summary>Records a failed try: the mail is due again at <paramref name="retryAt"/>, or given up on when that is null.</summary>
    public void MarkFailed(long id, int attempts, string error, DateTimeOffset? retryAt, DateTimeOffset now)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE mails SET attempts = $a, last_error = $e, due_at = $due, failed = $failed WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$a", attempts);
        command.Parameters.AddWithValue("$e", error);
        command.Parameters.AddWithValue("$due", (retryAt ?? now).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$failed", retryAt is null ? 1 : 0);
        command.ExecuteNonQuery();
        SetState(connection, "last_error", error);
        SetState(connection, "last_error_at", now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        transaction.Commit();
    }

    public MailStatus Status()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT
                (SELECT COUNT(*) FROM mails WHERE failed = 0),
                (SELECT COUNT(*) FROM mails WHERE failed = 1),
                (SELECT value FROM state WHERE key = 'last_sent_at'),
                (SELECT value FROM state WHERE key = 'last_error'),
                (SELECT value FROM state WHERE key = 'last_error_at')
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new MailStatus(true, reader.GetInt32(0), reader.GetInt32(1), Time(reader, 2), reader.IsDBNull(3) ? null : reader.GetString(3), Time(reader, 4));

        static DateTimeOffset? Time(SqliteDataReader reader, int column) =>
            reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(reader.GetString(column), CultureInfo.InvariantCulture));
    }

    private static void SetState(SqliteConnection connection, string key, string value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO state (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
