using System.Globalization;
using System.Text;
using Handbook.GitStore;

namespace Handbook.Questions;

/// <summary>What an entry of a page's questions is.</summary>
public enum EntryKind
{
    /// <summary>A question or remark about the page, optionally quoting a passage.</summary>
    Question,

    /// <summary>An answer to a question; anyone may answer.</summary>
    Answer,

    /// <summary>The question is answered, optionally "solved in change …".</summary>
    Resolved,

    /// <summary>The question is open again.</summary>
    Reopened,
}

/// <summary>
/// One entry as written to <c>.handbook/questions/&lt;page&gt;/&lt;id&gt;.md</c>: a few "key: value" lines between
/// <c>---</c> lines, then the text. Plain enough to read with the git CLI; never changed once written.
/// </summary>
/// <param name="Id">The entry's name (time-ordered).</param>
/// <param name="Page">The page it is about.</param>
/// <param name="Kind">What it is.</param>
/// <param name="QuestionId">For an answer, resolution or reopening: the question it belongs to.</param>
/// <param name="AuthorName">Who wrote it (also the commit's author).</param>
/// <param name="AuthorEmail">Her e-mail address: how she is recognised as the asker.</param>
/// <param name="At">When.</param>
/// <param name="Text">What she wrote (Markdown; rendered through the page pipeline).</param>
/// <param name="Quote">The passage of the page a question is about.</param>
/// <param name="Change">For a resolution: the commit that improved the page.</param>
public sealed record QuestionEntry(
    string Id,
    PagePath Page,
    EntryKind Kind,
    string? QuestionId,
    string AuthorName,
    string AuthorEmail,
    DateTimeOffset At,
    string Text,
    string? Quote = null,
    string? Change = null)
{
    /// <summary>The longest text an entry keeps; longer input is refused by the command, not cut.</summary>
    public const int MaxTextLength = 8000;

    /// <summary>The longest quote kept (a passage, not a copy of the page).</summary>
    public const int MaxQuoteLength = 500;

    /// <summary>The file's text.</summary>
    public string Format()
    {
        var text = new StringBuilder("---\n");
        Field("kind", Kind.ToString().ToLowerInvariant());
        Field("question", QuestionId);
        Field("author", AuthorName);
        Field("email", AuthorEmail);
        Field("at", At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Field("quote", Quote);
        Field("change", Change);
        text.Append("---\n").Append(Text.ReplaceLineEndings("\n").Trim()).Append('\n');
        return text.ToString();

        void Field(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                // One line per field: line breaks in a name or quote become spaces.
                text.Append(key).Append(": ").Append(OneLine(value)).Append('\n');
            }
        }
    }

    /// <summary>Reads an entry file; null when it is not one (a file put there by hand, damaged, of a later kind).</summary>
    public static QuestionEntry? Parse(PagePath page, string id, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length < 2 || lines[0] != "---")
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var end = -1;
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i] == "---")
            {
                end = i;
                break;
            }

            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
            }
        }

        if (end < 0 || !fields.TryGetValue("kind", out var kindText) || !Enum.TryParse<EntryKind>(kindText, ignoreCase: true, out var kind)
            || !Enum.IsDefined(kind) || !fields.TryGetValue("at", out var atText)
            || !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return null;
        }

        var questionId = fields.GetValueOrDefault("question");
        if (kind != EntryKind.Question && !PageStore.IsEntryId(questionId))
        {
            return null;
        }

        var change = fields.GetValueOrDefault("change");
        return new QuestionEntry(id, page, kind, kind == EntryKind.Question ? null : questionId,
            fields.GetValueOrDefault("author") ?? "?", fields.GetValueOrDefault("email") ?? "",
            at, string.Join('\n', lines[(end + 1)..]).Trim(), NullIfEmpty(fields.GetValueOrDefault("quote")),
            change is not null && IsRevision(change) ? change : null);
    }

    /// <summary>A full lowercase commit id.</summary>
    public static bool IsRevision(string? value) =>
        value is { Length: 40 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static string OneLine(string value) =>
        string.Join(' ', value.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>A question with what followed it: answers, and whether (and how) it was resolved.</summary>
/// <param name="Question">The question.</param>
/// <param name="Replies">Answers, resolutions and reopenings, oldest first.</param>
public sealed record QuestionThread(QuestionEntry Question, IReadOnlyList<QuestionEntry> Replies)
{
    /// <summary>The last resolution or reopening decides.</summary>
    public QuestionEntry? Resolution =>
        Replies.LastOrDefault(r => r.Kind is EntryKind.Resolved or EntryKind.Reopened) is { Kind: EntryKind.Resolved } resolved ? resolved : null;

    public bool IsOpen => Resolution is null;

    public IEnumerable<QuestionEntry> Answers => Replies.Where(r => r.Kind == EntryKind.Answer);
}
