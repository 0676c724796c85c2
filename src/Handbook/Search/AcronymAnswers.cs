using System.Globalization;
using System.Text;
using Handbook.Rendering;
using Handbook.Rendering.Glossary;

namespace Handbook.Search;

/// <summary>An acronym's meaning, as the answer to a search: "GPMI — geïndividualiseerd project …", linking to its glossary row.</summary>
public sealed record AcronymAnswer(string Acronym, string Expansion, string Href);

/// <summary>
/// Answers a search that is an acronym (in any case: "gpmi", "K&amp;g") or an acronym's expansion with its meaning, from the
/// glossary of the moment. A worker who types an acronym wants to know what it means before she wants pages that use it.
/// </summary>
public static class AcronymAnswers
{
    /// <summary>Part of an expansion typed so far counts from this many characters on (search as you type).</summary>
    public const int MinExpansionPrefix = 8;

    /// <summary>At most this many answers (an expansion prefix can fit several acronyms).</summary>
    public const int MaxAnswers = 3;

    public static IReadOnlyList<AcronymAnswer> Find(string? query, Glossary glossary, bool asYouType = false)
    {
        ArgumentNullException.ThrowIfNull(glossary);
        if (string.IsNullOrWhiteSpace(query) || query.Length > SearchEndpoints.MaxQueryLength || glossary.Entries.Count == 0)
        {
            return [];
        }

        var folded = Fold(query);
        if (folded.Length == 0)
        {
            return [];
        }

        var answers = new List<AcronymAnswer>();
        // The acronym itself first: exact in its own case, then in any case ("ma" is MA).
        foreach (var (acronym, expansion) in glossary.Entries.OrderBy(e => e.Key == query.Trim() ? 0 : 1))
        {
            if (expansion.Length > 0 && Fold(acronym) == folded)
            {
                answers.Add(Answer(glossary, acronym, expansion));
            }
        }

        foreach (var (acronym, expansion) in glossary.Entries)
        {
            if (answers.Count >= MaxAnswers)
            {
                break;
            }

            if (expansion.Length == 0 || answers.Any(a => a.Acronym == acronym))
            {
                continue;
            }

            var meaning = Fold(expansion);
            if (meaning == folded || (asYouType && folded.Length >= MinExpansionPrefix && meaning.StartsWith(folded, StringComparison.Ordinal)))
            {
                answers.Add(Answer(glossary, acronym, expansion));
            }
        }

        return answers.Take(MaxAnswers).ToList();
    }

    /// <summary>The link to an acronym's row on the glossary page (the row's id, as the renderer writes it).</summary>
    public static string RowHref(Glossary glossary, string acronym)
    {
        ArgumentNullException.ThrowIfNull(glossary);
        return "/wiki/" + glossary.PageOf(acronym) + "#" + MarkdownRenderer.IdPrefix + Glossary.Anchor(acronym);
    }

    private static AcronymAnswer Answer(Glossary glossary, string acronym, string expansion) => new(acronym, expansion, RowHref(glossary, acronym));

    /// <summary>Lower case, no diacritics, single spaces, no surrounding punctuation: "Geïndividualiseerd  project." → "geindividualiseerd project".</summary>
    internal static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString().Trim('.', ',', ';', ':', '?', '!', '"', '\'', '(', ')');
    }
}
