using System.Security.Claims;
using Handbook.GitStore;
using Handbook.Identity;
using Handbook.Rendering;
using Handbook.Search;

namespace Handbook.Editing;

/// <summary>
/// The handbook's search vocabulary: a synonym row on the synonym page, an alias on a page. Both are ordinary commits
/// by the worker, through the same door as every other write (used from "Zoekvragen zonder antwoord").
/// </summary>
public sealed partial class PageCommands
{
    /// <summary>
    /// Appends the row <c>| term | alsoMeans |</c> to the synonym page's table (the page is made when it does not
    /// exist yet), as one commit by the worker. Search applies it from the next query on.
    /// </summary>
    public async Task<CommandOutcome> AddSynonymAsync(ClaimsPrincipal user, string? term, string? alsoMeans, CancellationToken cancellationToken = default)
    {
        var word = (term ?? "").Trim();
        var meaning = (alsoMeans ?? "").Trim();
        if (SearchQueryBuilder.Normalize(word).Length == 0 || SearchQueryBuilder.Normalize(meaning).Length == 0)
        {
            return new CommandOutcome(null, messages.Text("SynonymRequired"));
        }

        if (word.Length > Synonyms.MaxPhraseLength || meaning.Length > Synonyms.MaxPhraseLength)
        {
            return new CommandOutcome(null, messages.Text("SynonymTooLong", Synonyms.MaxPhraseLength));
        }

        if (_privacy.Check(word + "\n" + meaning).Count > 0)
        {
            return new CommandOutcome(null, messages.Text("VocabularyPrivacy"));
        }

        if (!PagePath.TryParse(options.Value.SynonymPage, out var path, out var error))
        {
            return new CommandOutcome(null, messages.Text("PathError." + error));
        }

        var summary = $"Synoniem toegevoegd: {word} betekent ook {meaning}";
        if (Refuse(user, path, summary) is { } refused)
        {
            return refused;
        }

        var page = store.Read(path);
        if (page is { TooLarge: true })
        {
            return Outcome(new SaveResult.Rejected(SaveError.TooLarge, $"Page '{path}' is too large to change here."), path);
        }

        var text = AppendRow(page?.Text ?? NewSynonymPage, Synonyms.Row(word, meaning));
        var author = CurrentUser.Author(user);
        var result = await store.SaveAsync(new SaveRequest(path, text, author, summary, page?.Revision), cancellationToken).ConfigureAwait(false);
        if (result is SaveResult.Saved saved)
        {
            Seen(user, path, saved.Revision, text);
        }

        return Outcome(result, path);
    }

    /// <summary>
    /// Adds <paramref name="alias"/> to the page's <c>aliases</c> front matter (one line of the file changes), as one
    /// commit by the worker: the page is then found by that word and a wiki link by that name leads to it.
    /// </summary>
    public async Task<CommandOutcome> AddAliasAsync(ClaimsPrincipal user, PagePath path, string? alias, CancellationToken cancellationToken = default)
    {
        var name = string.Join(' ', (alias ?? "").Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        if (SearchQueryBuilder.Normalize(name).Length == 0)
        {
            return new CommandOutcome(null, messages.Text("AliasRequired"));
        }

        if (name.Length > Synonyms.MaxPhraseLength)
        {
            return new CommandOutcome(null, messages.Text("SynonymTooLong", Synonyms.MaxPhraseLength));
        }

        if (_privacy.Check(name).Count > 0)
        {
            return new CommandOutcome(null, messages.Text("VocabularyPrivacy"));
        }

        var summary = $"Alias '{name}' toegevoegd";
        if (Refuse(user, path, summary) is { } refused)
        {
            return refused;
        }

        if (store.Read(path) is not { } page || !catalog.Current.Pages.TryGetValue(path, out var summaryOfPage))
        {
            return Outcome(new SaveResult.Rejected(SaveError.NotFound, $"Page '{path}' does not exist."), path);
        }

        if (page.TooLarge)
        {
            return Outcome(new SaveResult.Rejected(SaveError.TooLarge, $"Page '{path}' is too large to change here."), path);
        }

        var aliases = summaryOfPage.Meta.Aliases.ToList();
        if (aliases.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return new CommandOutcome(new SaveResult.Unchanged(page.Revision), null);
        }

        aliases.Add(name);
        var text = FrontMatterText.SetField(page.Text, "aliases", FrontMatterText.List(aliases));
        var result = await store.SaveAsync(new SaveRequest(path, text, CurrentUser.Author(user), summary, page.Revision), cancellationToken).ConfigureAwait(false);
        if (result is SaveResult.Saved saved)
        {
            Seen(user, path, saved.Revision, text);
        }

        return Outcome(result, path);
    }

    /// <summary>The synonym page as it starts when a worker adds the first row from the search gaps.</summary>
    private const string NewSynonymPage = "---\ntitle: Synoniemen\nsummary: Woorden die iets anders betekenen dan ze lijken, voor de zoekfunctie.\n---\n\n# Synoniemen\n\n| Woord of uitdrukking | Betekent ook |\n|---|---|\n";

    /// <summary>Puts the row after the last row of the page's last table, or starts a table at the end.</summary>
    private static string AppendRow(string text, string row)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var last = lines.FindLastIndex(l => l.TrimStart().StartsWith('|'));
        if (last < 0)
        {
            var end = string.Join('\n', lines).TrimEnd('\n');
            return end + "\n\n| Woord of uitdrukking | Betekent ook |\n|---|---|\n" + row + "\n";
        }

        lines.Insert(last + 1, row);
        return string.Join('\n', lines);
    }
}
