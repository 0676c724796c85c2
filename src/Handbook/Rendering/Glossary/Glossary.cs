using System.Text.RegularExpressions;

namespace Handbook.Rendering.Glossary;

/// <summary>
/// The acronyms of the handbook, read from the glossary page: its pipe table rows <c>| SVK | Sociaal verhuurkantoor |</c>.
/// Rows without an expansion are kept (the glossary shows them) but not marked in pages.
/// </summary>
public sealed class Glossary
{
    public static readonly Glossary Empty = new("", new Dictionary<string, string>());

    // For a glossary combined from two pages: the page each acronym comes from, when it is not PagePath.
    private readonly IReadOnlyDictionary<string, string> _elsewhere;

    private Glossary(string pagePath, IReadOnlyDictionary<string, string> entries, IReadOnlyDictionary<string, string>? elsewhere = null,
        IReadOnlyList<string>? pages = null)
    {
        PagePath = pagePath;
        Entries = entries;
        _elsewhere = elsewhere ?? new Dictionary<string, string>();
        Pages = pages ?? (pagePath.Length == 0 ? [] : [pagePath]);
        var known = entries.Where(e => e.Value.Length > 0).Select(e => e.Key).OrderByDescending(k => k.Length).ToList();
        Pattern = known.Count == 0
            ? null
            : new Regex(@"(?<![\p{L}\p{N}&])(?:" + string.Join('|', known.Select(Regex.Escape)) + @")(?![\p{L}\p{N}&])",
                RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
    }

    /// <summary>The glossary page's path, for links.</summary>
    public string PagePath { get; }

    /// <summary>The pages the glossary was read from: this handbook's, and the shared handbook's when combined.</summary>
    public IReadOnlyList<string> Pages { get; }

    /// <summary>Whether <paramref name="path"/> is one of the glossary's pages.</summary>
    public bool IsPage(string path) => Pages.Contains(path, StringComparer.Ordinal);

    /// <summary>The page whose table defines <paramref name="acronym"/> (for its link).</summary>
    public string PageOf(string acronym) => _elsewhere.TryGetValue(acronym, out var page) ? page : PagePath;

    /// <summary>
    /// This handbook's glossary with the shared handbook's: every acronym of both, this handbook's expansion where both
    /// have one (a city may say it its own way), each linking to the page that defines it.
    /// </summary>
    public static Glossary Combine(Glossary local, Glossary shared)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(shared);
        if (shared.Entries.Count == 0)
        {
            return local;
        }

        var entries = new Dictionary<string, string>(local.Entries, StringComparer.Ordinal);
        var elsewhere = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (acronym, expansion) in shared.Entries)
        {
            if (entries.Count >= MaxEntries)
            {
                break;
            }

            // An acronym the city lists without an expansion yet takes the shared one.
            if (!entries.TryGetValue(acronym, out var ours) || (ours.Length == 0 && expansion.Length > 0))
            {
                entries[acronym] = expansion;
                elsewhere[acronym] = shared.PagePath;
            }
        }

        var pagePath = local.PagePath.Length > 0 ? local.PagePath : shared.PagePath;
        return new Glossary(pagePath, entries, elsewhere, [.. local.Pages, .. shared.Pages]);
    }

    /// <summary>Acronym → expansion (empty when the content owners have not filled it in yet).</summary>
    public IReadOnlyDictionary<string, string> Entries { get; }

    /// <summary>Matches any acronym that has an expansion, as a whole word, case-sensitively.</summary>
    public Regex? Pattern { get; }

    /// <summary>The anchor of an acronym's row on the glossary page.</summary>
    public static string Anchor(string acronym) =>
        "afk-" + Regex.Replace(acronym.ToLowerInvariant(), "[^a-z0-9]+", "-", RegexOptions.None, TimeSpan.FromMilliseconds(100)).Trim('-');

    /// <summary>
    /// The glossary page is one page like any other and must not slow every page down: acronyms past this many are
    /// not marked (the real list has some 80; every render runs the pattern over its text).
    /// </summary>
    public const int MaxEntries = 2_000;

    /// <summary>Reads the acronym table from the glossary page's Markdown.</summary>
    public static Glossary Parse(string pagePath, string markdown)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith('|'))
            {
                continue;
            }

            var cells = line.Trim('|').Split('|').Select(c => c.Trim().Trim('*', '`').Trim()).ToArray();
            if (cells.Length < 2 || cells[0].Length is 0 or > 20 || cells[0].All(c => c is '-' or ':' or ' ')
                || cells[0].Equals("Afkorting", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            entries.TryAdd(cells[0], cells[1]);
            if (entries.Count == MaxEntries)
            {
                break;
            }
        }

        return new Glossary(pagePath, entries);
    }
}
