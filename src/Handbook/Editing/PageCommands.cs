using System.Globalization;
using System.Security.Claims;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.History;
using Handbook.Identity;
using Handbook.Rendering;
using Microsoft.Extensions.Options;

namespace Handbook.Editing;

/// <summary>
/// What a page command did, as a value: the store's result (null when the command stopped before the store: a
/// missing summary, a protected page, the privacy guard) and, when it did not succeed, why in the worker's language.
/// </summary>
public sealed record CommandOutcome(SaveResult? Result, string? Message)
{
    /// <summary>Committed, merged, or nothing to commit.</summary>
    public bool Succeeded => Result is SaveResult.Saved or SaveResult.Merged or SaveResult.Unchanged;

    /// <summary>The new commit, when one was made.</summary>
    public string? Revision => Result switch
    {
        SaveResult.Saved s => s.Revision,
        SaveResult.Merged m => m.Revision,
        SaveResult.Unchanged u => u.Revision,
        _ => null,
    };

    /// <summary>For a save: what the privacy guard found in the lines it adds (the save waits for a confirmation).</summary>
    public IReadOnlyList<PrivacyFinding> PrivacyFindings { get; init; } = [];

    /// <summary>For a rename with link updates: pages that link to it but were not changed (protected ones).</summary>
    public IReadOnlyList<PagePath> LinksNotUpdated { get; init; } = [];

    /// <summary>For an upload: where the file is.</summary>
    public AttachmentPath? Attachment { get; init; }
}

/// <summary>A save from the editor: the text, what the editor started from, and the worker's words.</summary>
/// <param name="Path">The page.</param>
/// <param name="Text">The whole new text.</param>
/// <param name="Summary">What changed, in the worker's words.</param>
/// <param name="BaseRevision">The commit the editor started from; null for a new page.</param>
/// <param name="OriginalText">The text the editor started from: only lines it adds are checked for personal data.</param>
/// <param name="PrivacyReason">The worker's confirmation that what the privacy guard found is no personal data.</param>
public sealed record SaveCommand(PagePath Path, string Text, string Summary, string? BaseRevision, string OriginalText, string? PrivacyReason = null);

/// <summary>
/// The one door for writes in the app: save, rename (with its link updates), delete, restore, mark reviewed and
/// attach a file. Each authorises once (a protected page is refused with a clear message before anything is tried;
/// the store decides again where the commit is made), applies the privacy guard where text is added, records the
/// worker's own save as seen, logs, and returns an outcome whose message comes from <see cref="SaveMessages"/>.
/// Components call it and render what it returns; none writes to the store itself.
/// </summary>
public sealed partial class PageCommands(PageStore store, HandbookCatalog catalog, VisitStore visits, SaveMessages messages,
    Questions.QuestionBoard questions, TimeProvider clock, Diagnostics.HandbookMetrics metrics, IOptions<HandbookOptions> options, ILogger<PageCommands> log)
{
    private readonly PrivacyGuard _privacy = new(options.Value.OrganisationDomains);

    /// <summary>Saves a page from the editor; a merge and a conflict are outcomes like any other.</summary>
    public async Task<CommandOutcome> SaveAsync(ClaimsPrincipal user, SaveCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var activity = Diagnostics.HandbookMetrics.Activities.StartActivity("handbook.save");
        activity?.SetTag("handbook.page", command.Path.Value);
        if (Refuse(user, command.Path, command.Summary) is { } refused)
        {
            return refused;
        }

        // Only what this edit adds is checked: an example number already on the page was confirmed before.
        var before = new HashSet<string>(command.OriginalText.Split('\n'), StringComparer.Ordinal);
        var lines = command.Text.Split('\n');
        var findings = _privacy.Check(command.Text).Where(f => !before.Contains(lines[f.Line - 1])).ToList();
        List<KeyValuePair<string, string>> trailers = [];
        if (findings.Count > 0)
        {
            if (string.IsNullOrWhiteSpace(command.PrivacyReason))
            {
                return new CommandOutcome(null, messages.Text("PrivacyBlocked")) { PrivacyFindings = findings };
            }

            trailers.Add(new("Privacy-Confirmed", command.PrivacyReason.Trim()));
        }

        var author = CurrentUser.Author(user);
        var result = await store.SaveAsync(new SaveRequest(command.Path, command.Text, author, command.Summary, command.BaseRevision) { Trailers = trailers },
            cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case SaveResult.Saved saved:
                Seen(user, command.Path, saved.Revision, command.Text);
                break;
            case SaveResult.Merged merged:
                Seen(user, command.Path, merged.Revision, merged.MergedText);
                break;
        }

        return Outcome(result, command.Path);
    }

    /// <summary>Moves a page; with <paramref name="updateLinks"/> the wiki links to it follow, except in pages the worker may not change.</summary>
    public async Task<CommandOutcome> RenameAsync(ClaimsPrincipal user, PagePath from, string? to, string summary, bool updateLinks,
        CancellationToken cancellationToken = default)
    {
        if (!PagePath.TryParse(to?.Trim().ToLowerInvariant(), out var target, out var error))
        {
            return new CommandOutcome(null, messages.Text("PathError." + error));
        }

        if (Refuse(user, from, summary) is { } refused)
        {
            return refused;
        }

        var snapshot = catalog.Current;
        var backlinks = snapshot.Backlinks.TryGetValue(from, out var linking) ? linking : [];
        var author = CurrentUser.Author(user);
        var result = await store.RenameAsync(from, target, author, summary, cancellationToken).ConfigureAwait(false);
        if (result is not SaveResult.Saved)
        {
            return Outcome(result, from);
        }

        log.LogInformation("Page {Event} {From} {To} by {User}", "renamed", from.Value, target.Value, author.Email);
        var skipped = new List<PagePath>();
        foreach (var source in updateLinks ? backlinks : [])
        {
            if (store.Read(source) is not { TooLarge: false } page)
            {
                continue;
            }

            var text = LinkRewriter.Rewrite(page.Text, from, target);
            if (text == page.Text)
            {
                continue;
            }

            // Not tried where it would be refused; the store refuses it anyway if the page became protected meanwhile.
            var rewritten = !MayChange(user, source) ? null
                : await store.SaveAsync(new SaveRequest(source, text, author, $"Links naar {from.Value} wijzen nu naar {target.Value}", page.Revision),
                    cancellationToken).ConfigureAwait(false);
            if (rewritten is not (SaveResult.Saved or SaveResult.Merged))
            {
                skipped.Add(source);
            }
        }

        return new CommandOutcome(result, skipped.Count == 0 ? null : messages.Text("LinksNotUpdated", string.Join(", ", skipped.Select(p => p.Value))))
        {
            LinksNotUpdated = skipped,
        };
    }

    /// <summary>Removes a page (it stays in history).</summary>
    public async Task<CommandOutcome> DeleteAsync(ClaimsPrincipal user, PagePath path, string summary, CancellationToken cancellationToken = default)
    {
        if (Refuse(user, path, summary) is { } refused)
        {
            return refused;
        }

        var author = CurrentUser.Author(user);
        var result = await store.DeleteAsync(path, author, summary, cancellationToken).ConfigureAwait(false);
        if (result is SaveResult.Saved)
        {
            log.LogInformation("Page {Event} {Path} by {User}", "deleted", path.Value, author.Email);
        }

        return Outcome(result, path);
    }

    /// <summary>Sets a page back to an older version, as a new commit (also a deleted page).</summary>
    public async Task<CommandOutcome> RestoreAsync(ClaimsPrincipal user, PagePath path, string revision, string summary, CancellationToken cancellationToken = default)
    {
        if (Refuse(user, path, summary) is { } refused)
        {
            return refused;
        }

        var result = await store.RestoreAsync(path, revision, CurrentUser.Author(user), summary, cancellationToken).ConfigureAwait(false);
        if (result is SaveResult.Saved saved && store.Read(path, saved.Revision) is { TooLarge: false } restored)
        {
            Seen(user, path, saved.Revision, restored.Text);
        }

        return Outcome(result, path);
    }

    /// <summary>Marks a page reviewed: a commit that sets its next review date, so reviews are in history too.</summary>
    public async Task<CommandOutcome> MarkReviewedAsync(ClaimsPrincipal user, PagePath path, DateOnly next, CancellationToken cancellationToken = default)
    {
        var date = next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var summary = $"Nagekeken; volgende controle {date}";
        if (Refuse(user, path, summary) is { } refused)
        {
            return refused;
        }

        // The region reviews its pages: a date set here would make the page the city's own version.
        if (IsShared(path) && store.RegionalPage(path) is not { Overridden: true })
        {
            return new CommandOutcome(null, messages.Text("RegionReviewInRegion", options.Value.Region.Name));
        }

        if (store.Read(path) is not { } page)
        {
            return Outcome(new SaveResult.Rejected(SaveError.NotFound, $"Page '{path}' does not exist."), path);
        }

        if (page.TooLarge)
        {
            return Outcome(new SaveResult.Rejected(SaveError.TooLarge, $"Page '{path}' is too large to change here."), path);
        }

        var text = FrontMatterText.SetField(page.Text, "review_by", date);
        var result = await store.SaveAsync(new SaveRequest(path, text, CurrentUser.Author(user), summary, page.Revision), cancellationToken).ConfigureAwait(false);
        return Outcome(result, path);
    }

    /// <summary>
    /// Adds a file to a page (or replaces one of the same name). The type is decided by the file's first bytes, not
    /// its name; SVG and everything unknown is refused. Changing a page's files needs the rights to change the page.
    /// </summary>
    public async Task<CommandOutcome> AttachAsync(ClaimsPrincipal user, PagePath page, string fileName, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var limit = options.Value.MaxUploadBytes;
        if (content.LongLength > limit)
        {
            return new CommandOutcome(null, messages.Text("AttachmentTooLarge", limit / (1024 * 1024)));
        }

        var verdict = UploadPolicy.Inspect(content.AsSpan(0, Math.Min(content.Length, 512)), fileName);
        if (verdict.Extension is null)
        {
            return new CommandOutcome(null, messages.Text(verdict.Refusal == "svg" ? "AttachmentSvg" : "AttachmentType"));
        }

        var name = AttachmentPath.SlugifyFileName(fileName);
        name = Path.GetFileNameWithoutExtension(name) + "." + verdict.Extension;
        if (!AttachmentPath.TryParse(page.Value + "/" + name, out var target, out _))
        {
            return new CommandOutcome(null, messages.Text("AttachmentName"));
        }

        if (!catalog.Current.Pages.ContainsKey(page))
        {
            return new CommandOutcome(null, messages.Text("AttachToExistingPage"));
        }

        var summary = $"Bijlage {name} toegevoegd bij {page.Value}";
        if (Refuse(user, page, summary) is { } refused)
        {
            return refused;
        }

        var result = await store.SaveAttachmentAsync(target, content, CurrentUser.Author(user), summary, cancellationToken).ConfigureAwait(false);
        return (result is SaveResult.Rejected { Error: SaveError.NotFound }
            ? new CommandOutcome(result, messages.Text("AttachToExistingPage"))
            : Outcome(result, page)) with { Attachment = target };
    }

    /// <summary>Whether the worker may change the page as the handbook has it now (the store checks again at commit time).</summary>
    public bool MayChange(ClaimsPrincipal user, PagePath path) =>
        !catalog.Current.Pages.TryGetValue(path, out var page) || CurrentUser.MayChange(user, page.Meta);

    /// <summary>The refusals that need no store: no summary, a protected page.</summary>
    private CommandOutcome? Refuse(ClaimsPrincipal user, PagePath path, string? summary,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        if (string.IsNullOrWhiteSpace(summary))
        {
            return new CommandOutcome(null, messages.Text("SummaryRequired"));
        }

        return MayChange(user, path) ? null : Outcome(new SaveResult.Rejected(SaveError.NotAllowed, $"Page '{path}' is protected."), path, operation);
    }

    private CommandOutcome Outcome(SaveResult result, PagePath path, [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        metrics.Write(operation.Replace("Async", "", StringComparison.Ordinal).ToLowerInvariant(), result);
        return new(result, messages.Describe(result, path));
    }

    /// <summary>The worker's own change counts as seen: her next view of the page does not say it changed.</summary>
    private void Seen(ClaimsPrincipal user, PagePath path, string revision, string text) =>
        visits.SeePage(CurrentUser.Email(user), path.Value, revision, PageStore.BlobIdOf(text));
}
