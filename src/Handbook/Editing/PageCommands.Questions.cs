using System.Security.Claims;
using Handbook.GitStore;
using Handbook.Identity;
using Handbook.Questions;

namespace Handbook.Editing;

/// <summary>A question, answer or resolution to add; <see cref="QuestionId"/> is null for a new question.</summary>
/// <param name="Page">The page it is about.</param>
/// <param name="Kind">What to add.</param>
/// <param name="Text">What the worker wrote (may be empty for a resolution).</param>
/// <param name="QuestionId">The question answered, resolved or reopened.</param>
/// <param name="Quote">For a question: the passage it is about.</param>
/// <param name="Change">For a resolution: the commit that improved the page ("opgelost in wijziging …").</param>
/// <param name="PrivacyReason">The worker's confirmation that what the privacy guard found is no personal data.</param>
public sealed record QuestionCommand(PagePath Page, EntryKind Kind, string? Text, string? QuestionId = null, string? Quote = null,
    string? Change = null, string? PrivacyReason = null);

/// <summary>Questions and answers: entries in the repository, through the same door as pages.</summary>
public sealed partial class PageCommands
{
    /// <summary>
    /// Adds a question, an answer, a resolution or a reopening, as one commit by the worker. Anyone signed in may ask
    /// and answer (protected pages too: asking changes no page); only the asker, the page's owning team or an
    /// administrator may resolve or reopen. The privacy guard reads the text and the quote as it reads a page.
    /// </summary>
    public async Task<CommandOutcome> AddQuestionEntryAsync(ClaimsPrincipal user, QuestionCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = (command.Text ?? "").Trim();
        var quote = string.IsNullOrWhiteSpace(command.Quote) ? null : command.Quote.Trim();
        if (command.Kind is EntryKind.Question or EntryKind.Answer && text.Length == 0)
        {
            return new CommandOutcome(null, messages.Text("QuestionTextRequired"));
        }

        if (text.Length > QuestionEntry.MaxTextLength || quote?.Length > QuestionEntry.MaxQuoteLength)
        {
            return new CommandOutcome(null, messages.Text("QuestionTooLong", QuestionEntry.MaxTextLength));
        }

        QuestionThread? thread = null;
        if (command.Kind != EntryKind.Question)
        {
            thread = command.QuestionId is { } id ? questions.Current.Find(command.Page, id) : null;
            if (thread is null)
            {
                return new CommandOutcome(null, messages.Text("QuestionMissing"));
            }

            if (command.Kind is EntryKind.Resolved or EntryKind.Reopened && !MayResolve(user, thread))
            {
                return new CommandOutcome(null, messages.Text("QuestionResolveNotAllowed"));
            }
        }
        else if (!catalog.Current.Pages.ContainsKey(command.Page))
        {
            return new CommandOutcome(null, messages.Text("QuestionPageMissing"));
        }

        var change = command.Kind == EntryKind.Resolved && QuestionEntry.IsRevision(command.Change) ? command.Change : null;
        var findings = _privacy.Check(quote is null ? text : text + "\n" + quote);
        List<KeyValuePair<string, string>> trailers = [];
        if (findings.Count > 0)
        {
            if (string.IsNullOrWhiteSpace(command.PrivacyReason))
            {
                return new CommandOutcome(null, messages.Text("PrivacyBlocked")) { PrivacyFindings = findings };
            }

            trailers.Add(new("Privacy-Confirmed", command.PrivacyReason.Trim()));
        }

        var at = clock.GetUtcNow();
        var author = CurrentUser.Author(user);
        var entry = new QuestionEntry(PageStore.NewEntryId(at), command.Page, command.Kind, thread?.Question.Id, author.Name, author.Email, at,
            text, command.Kind == EntryKind.Question ? quote : null, change);
        var summary = command.Kind switch
        {
            EntryKind.Question => $"Vraag over {command.Page.Value}",
            EntryKind.Answer => $"Antwoord op een vraag over {command.Page.Value}",
            EntryKind.Resolved => $"Vraag over {command.Page.Value} beantwoord",
            _ => $"Vraag over {command.Page.Value} heropend",
        };
        var result = await store.AddQuestionEntryAsync(command.Page, entry.Id, entry.Format(), author, summary, trailers, cancellationToken).ConfigureAwait(false);
        if (result is SaveResult.Saved)
        {
            log.LogInformation("Question {Event} {Path} {Entry} by {User}", command.Kind.ToString().ToLowerInvariant(), command.Page.Value, entry.Id, author.Email);
        }

        return Outcome(result, command.Page);
    }

    /// <summary>Whether the worker may mark the question answered or open it again: the asker, the owning team, an administrator.</summary>
    public bool MayResolve(ClaimsPrincipal user, QuestionThread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return CurrentUser.IsAdministrator(user)
            || string.Equals(CurrentUser.Email(user), thread.Question.AuthorEmail, StringComparison.OrdinalIgnoreCase)
            || (catalog.Current.Pages.TryGetValue(thread.Question.Page, out var page) && Teams.Same(page.Meta.Owner, CurrentUser.Team(user)));
    }
}
