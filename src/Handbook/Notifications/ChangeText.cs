using System.Text;
using DiffPlex;
using DiffPlex.Chunkers;
using Handbook.Rendering;
using Markdig;

namespace Handbook.Notifications;

/// <summary>
/// A change as plain text for an e-mail: the page's text without Markdown (front matter, marks and link syntax
/// gone), compared paragraph by paragraph, and inside a changed paragraph the words that changed, marked
/// [-weg-] and {+nieuw+} as git's word diff does.
/// </summary>
public static partial class ChangeText
{
    private static readonly MarkdownPipeline Plain = new MarkdownPipelineBuilder().UsePipeTables().Build();
    private static readonly char[] WordDelimiters = [' ', '\t', ',', '.', ';', ':', '(', ')', '!', '?'];

    /// <summary>At most this many changed paragraphs are shown; the mail links to the whole comparison.</summary>
    public const int MaxParagraphs = 12;

    /// <summary>The changed paragraphs, each a line; empty when nothing but formatting changed.</summary>
    /// <param name="before">The page's text before (null for a new page).</param>
    /// <param name="after">The page's text after (null for a deleted page).</param>
    /// <param name="linkText">What to call the target of a wiki link without its own text (a page's title).</param>
    public static IReadOnlyList<string> Describe(string? before, string? after, Func<string, string>? linkText = null)
    {
        var old = Paragraphs(before, linkText);
        var @new = Paragraphs(after, linkText);
        var diff = Differ.Instance.CreateDiffs(string.Join('\n', old), string.Join('\n', @new), ignoreWhiteSpace: true, ignoreCase: false, new LineChunker());
        var lines = new List<string>();
        foreach (var block in diff.DiffBlocks)
        {
            var removed = diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA).ToList();
            var added = diff.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB).ToList();
            var pairs = Math.Min(removed.Count, added.Count);
            for (var i = 0; i < pairs; i++)
            {
                lines.Add(Words(removed[i], added[i]));
            }

            lines.AddRange(removed.Skip(pairs).Select(r => "[-" + r + "-]"));
            lines.AddRange(added.Skip(pairs).Select(a => "{+" + a + "+}"));
        }

        return lines.Count > MaxParagraphs ? [.. lines.Take(MaxParagraphs), "…"] : lines;
    }

    /// <summary>The page's text as paragraphs of plain words.</summary>
    public static IReadOnlyList<string> Paragraphs(string? text, Func<string, string>? linkText = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var body = FrontMatterText.Split(text).Body;
        // Wiki links keep their words: [[pad|tekst]] → tekst, [[pad]] → the page's title.
        body = System.Text.RegularExpressions.Regex.Replace(body, @"\[\[([^\]|]+)\|([^\]]+)\]\]", "$2", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        body = System.Text.RegularExpressions.Regex.Replace(body, @"\[\[([^\]]+)\]\]", m => linkText?.Invoke(m.Groups[1].Value.Trim()) ?? m.Groups[1].Value,
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        return Markdown.ToPlainText(body, Plain)
            .Split('\n')
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(l => l.Length > 0)
            .ToList();
    }

    private static string Words(string before, string after)
    {
        var diff = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, new DelimiterChunker(WordDelimiters));
        var text = new StringBuilder();
        var position = 0;
        foreach (var block in diff.DiffBlocks)
        {
            text.Append(string.Concat(diff.PiecesNew.Skip(position).Take(block.InsertStartB - position)));
            var removed = string.Concat(diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            var added = string.Concat(diff.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB));
            if (removed.Trim().Length > 0)
            {
                text.Append("[-").Append(removed.Trim()).Append("-]");
            }

            if (added.Trim().Length > 0)
            {
                text.Append(removed.Trim().Length > 0 ? " " : "").Append("{+").Append(added.Trim()).Append("+}");
            }

            text.Append(added.EndsWith(' ') || removed.EndsWith(' ') ? " " : "");
            position = block.InsertStartB + block.InsertCountB;
        }

        text.Append(string.Concat(diff.PiecesNew.Skip(position)));
        // A mark stands apart from the words beside it: "aanvraag {+meteen+}.", not "aanvraag{+meteen+}.".
        var spaced = MarkStart().Replace(MarkEnd().Replace(text.ToString(), "$0 "), " $0");
        return string.Join(' ', spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=[\p{L}\p{N}])(\{\+|\[-)")]
    private static partial System.Text.RegularExpressions.Regex MarkStart();

    [System.Text.RegularExpressions.GeneratedRegex(@"(\+\}|-\])(?=[\p{L}\p{N}])")]
    private static partial System.Text.RegularExpressions.Regex MarkEnd();
}
