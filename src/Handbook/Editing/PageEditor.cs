using System.Globalization;
using System.Security.Claims;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Identity;
using Handbook.Rendering;

namespace Handbook.Editing;

/// <summary>Opens a page for editing: the page as it is, or a new page from a template.</summary>
public sealed class PageEditor(PageStore store, PageCommands commands)
{
    /// <summary>The page to edit, or why it cannot be edited here (a localised message).</summary>
    public (EditSession? Session, string? Error) Open(PagePath path, string? template, string? title, ClaimsPrincipal user, SaveMessages messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var page = store.Read(path);
        if (page is { TooLarge: true })
        {
            return (null, messages.Text("PageTooLargeToEdit", (page.Size / 1024 / 1024).ToString("N0", CultureInfo.CurrentCulture), store.MaxPageBytes / (1024 * 1024)));
        }

        var text = page?.Text ?? PageTemplates.Create(template ?? "leeg", string.IsNullOrWhiteSpace(title) ? HandbookCatalog.Humanize(path) : title);
        return (new EditSession(commands, path, text, page?.Revision, isNew: page is null, user), null);
    }
}

/// <summary>
/// One worker editing one page: the text the editor started from, the body being edited, the metadata form, and
/// the save. Its rules, unit-tested without a browser: the file is the original front matter block with only the
/// fields the worker changed rewritten (one line each) followed by the body, so an unchanged save is byte-identical;
/// only lines the edit adds go past the privacy guard; "keep mine" after a conflict puts the worker's body and field
/// changes on top of the other version's front matter (its protected flag and its own field changes stay).
/// </summary>
public sealed class EditSession
{
    private readonly PageCommands _commands;
    private string _frontMatterBlock = "";
    private FrontMatter _startMeta = FrontMatter.Empty;
    private Partners.PartnerForm _startPartner = new();
    private string _checkedText = "";

    internal EditSession(PageCommands commands, PagePath path, string text, string? baseRevision, bool isNew, ClaimsPrincipal user)
    {
        _commands = commands;
        Path = path;
        IsNew = isNew;
        Start(text, baseRevision);
        ReadOnly = !CurrentUser.MayChange(user, _startMeta);
    }

    public PagePath Path { get; }

    /// <summary>The page does not exist yet (its text comes from a template).</summary>
    public bool IsNew { get; }

    /// <summary>The worker may not change this page (it is protected).</summary>
    public bool ReadOnly { get; private set; }

    /// <summary>The commit the edit sits on; null for a new page.</summary>
    public string? BaseRevision { get; private set; }

    /// <summary>The whole text the editor started from.</summary>
    public string OriginalText { get; private set; } = "";

    /// <summary>The body as the editor holds it (the visual editor edits this; front matter is in <see cref="Fields"/>).</summary>
    public string Body { get; set; } = "";

    /// <summary>The metadata form, bound by the page.</summary>
    public MetaFields Fields { get; } = new();

    /// <summary>The front matter the editor started from.</summary>
    public FrontMatter OriginalMeta => _startMeta;

    /// <summary>The file text to save: the front matter block with only changed fields rewritten, then the body.</summary>
    public string BuildText()
    {
        var text = _frontMatterBlock + Body;
        var meta = Fields.ToFrontMatter();
        text = Set(text, "title", _startMeta.Title, meta.Title, FrontMatterText.Scalar);
        text = Set(text, "summary", _startMeta.Summary, meta.Summary, FrontMatterText.Scalar);
        text = Set(text, "owner", _startMeta.Owner, meta.Owner, FrontMatterText.Scalar);
        text = SetList(text, "doelgroepen", _startMeta.Doelgroepen, meta.Doelgroepen);
        text = SetList(text, "tags", _startMeta.Tags, meta.Tags);
        text = Set(text, "review_by", Iso(_startMeta.ReviewBy), Iso(meta.ReviewBy), v => v);
        text = Set(text, "valid_from", Iso(_startMeta.ValidFrom), Iso(meta.ValidFrom), v => v);
        text = SetList(text, "sources", _startMeta.Sources, meta.Sources);
        text = SetList(text, "aliases", _startMeta.Aliases, meta.Aliases);
        return Fields.Partner.Apply(text, _startPartner);
    }

    /// <summary>Saves; a merge, a conflict, a refusal or what the privacy guard found come back as the outcome.</summary>
    public async Task<CommandOutcome> SaveAsync(ClaimsPrincipal user, string summary, string? privacyReason, CancellationToken cancellationToken = default)
    {
        var outcome = await _commands.SaveAsync(user, new SaveCommand(Path, BuildText(), summary, BaseRevision, _checkedText, privacyReason), cancellationToken).ConfigureAwait(false);
        if (outcome.Result is SaveResult.Rejected { Error: SaveError.NotAllowed })
        {
            ReadOnly = true; // protected meanwhile
        }

        return outcome;
    }

    /// <summary>Continue from their version: their text in the editor, their revision as the base.</summary>
    public void TakeTheirs(SaveResult.Conflict conflict)
    {
        ArgumentNullException.ThrowIfNull(conflict);
        Start(conflict.Theirs, conflict.TheirRevision);
    }

    /// <summary>
    /// "Toch mijn versie bewaren": my body, and my changes to the fields, on top of their version — a deliberate
    /// choice, never a silent overwrite (both stay in history). Their front matter is the base of mine, so a
    /// protected flag or a field they changed and I did not is kept.
    /// </summary>
    public Task<CommandOutcome> KeepMineAsync(ClaimsPrincipal user, SaveResult.Conflict conflict, string summary, string? privacyReason,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conflict);
        _frontMatterBlock = Block(conflict.Theirs);
        BaseRevision = conflict.TheirRevision;
        // Lines of either version were written before; only what I add is checked.
        _checkedText = OriginalText + "\n" + conflict.Theirs;
        return SaveAsync(user, summary, privacyReason, cancellationToken);
    }

    /// <summary>A draft kept by the browser: its body, base and fields.</summary>
    public void RestoreDraft(string body, string? baseRevision, MetaFields? fields)
    {
        Body = body;
        BaseRevision = baseRevision ?? BaseRevision;
        if (fields is not null)
        {
            Fields.CopyFrom(fields);
        }
    }

    private void Start(string text, string? baseRevision)
    {
        var (yaml, body) = FrontMatterText.Split(text);
        OriginalText = text;
        _checkedText = text;
        _frontMatterBlock = text[..(text.Length - body.Length)];
        _startMeta = FrontMatter.Parse(yaml);
        Fields.From(_startMeta);
        Fields.Partner.From(yaml);
        _startPartner = Fields.Partner.Clone();
        Body = body;
        BaseRevision = baseRevision;
    }

    private static string Block(string text) => text[..(text.Length - FrontMatterText.Split(text).Body.Length)];

    private static string? Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Set(string text, string key, string? before, string? after, Func<string, string> format) =>
        string.Equals(before ?? "", after ?? "", StringComparison.Ordinal)
            ? text
            : FrontMatterText.SetField(text, key, string.IsNullOrWhiteSpace(after) ? null : format(after));

    private static string SetList(string text, string key, IReadOnlyList<string> before, IReadOnlyList<string> after) =>
        before.SequenceEqual(after)
            ? text
            : FrontMatterText.SetField(text, key, after.Count == 0 ? null : FrontMatterText.List(after));
}
