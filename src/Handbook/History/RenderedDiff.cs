using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using DiffPlex;
using DiffPlex.Chunkers;

namespace Handbook.History;

/// <summary>
/// The comparison of two revisions as a reader sees the page, for those who do not read Markdown (MediaWiki's visual
/// diff is the model): both bodies rendered by the page pipeline, their blocks (paragraphs, headings, lists, tables,
/// call-outs) aligned, removed and added blocks marked as a whole, and inside a changed block the removed and added
/// words marked where they are. Unchanged stretches far from a change are folded.
/// </summary>
public sealed class RenderedDiff
{
    private const int Context = 2;
    private static readonly HtmlParser Parser = new();

    private RenderedDiff(string html, int changedBlocks)
    {
        Html = html;
        ChangedBlocks = changedBlocks;
    }

    /// <summary>The comparison's HTML: the rendered blocks with <c>ins</c>/<c>del</c> marks; ids removed (both sides had them).</summary>
    public string Html { get; }

    /// <summary>Blocks added, removed or changed.</summary>
    public int ChangedBlocks { get; }

    /// <summary>Compares two rendered (sanitised) page bodies.</summary>
    /// <param name="oldHtml">The older revision's HTML.</param>
    /// <param name="newHtml">The newer revision's HTML.</param>
    /// <param name="labels">The words for screen readers and folded stretches: added, removed, changed formatting, unchanged blocks ({0}).</param>
    public static RenderedDiff Build(string oldHtml, string newHtml, Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var oldBlocks = Blocks(oldHtml);
        var newBlocks = Blocks(newHtml);
        var steps = Align(oldBlocks.Select(b => b.OuterHtml).ToList(), newBlocks.Select(b => b.OuterHtml).ToList());
        var output = new List<(string Html, bool Changed)>();
        var changed = 0;
        var i = 0;
        while (i < steps.Count)
        {
            if (steps[i].Old is { } same && steps[i].New is not null)
            {
                output.Add((oldBlocks[same].OuterHtml, false));
                i++;
                continue;
            }

            // A run of removals and additions between two unchanged blocks: pair those of the same kind, in order.
            var removed = new List<IElement>();
            var added = new List<IElement>();
            for (; i < steps.Count && !(steps[i].Old is not null && steps[i].New is not null); i++)
            {
                if (steps[i].Old is { } o)
                {
                    removed.Add(oldBlocks[o]);
                }
                else
                {
                    added.Add(newBlocks[steps[i].New!.Value]);
                }
            }

            var r = 0;
            foreach (var block in added)
            {
                var pair = removed.FindIndex(r, x => x.TagName == block.TagName);
                if (pair >= 0)
                {
                    for (; r < pair; r++)
                    {
                        output.Add((Mark(removed[r], "diff-removed", labels.Removed), true));
                    }

                    output.Add((Changed(removed[r++], block, labels), true));
                }
                else
                {
                    output.Add((Mark(block, "diff-added", labels.Added), true));
                }

                changed++;
            }

            for (; r < removed.Count; r++)
            {
                output.Add((Mark(removed[r], "diff-removed", labels.Removed), true));
                changed++;
            }
        }

        return new RenderedDiff(Fold(output, labels), changed);
    }

    /// <summary>The words of the view, in the UI language.</summary>
    /// <param name="Added">Before an added block or words (for screen readers).</param>
    /// <param name="Removed">Before a removed block or words.</param>
    /// <param name="Formatting">A block whose text is the same but whose formatting changed.</param>
    /// <param name="Folded">A folded stretch: "{0} unchanged blocks".</param>
    public sealed record Labels(string Added, string Removed, string Formatting, string Folded);

    private static List<IElement> Blocks(string html)
    {
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
        // Both sides carry the same ids; in one view they would be duplicates.
        foreach (var element in document.Body!.QuerySelectorAll("[id]"))
        {
            element.RemoveAttribute("id");
        }

        return [.. document.Body.Children];
    }

    /// <summary>The longest common subsequence of two block lists, as steps (old index, new index); one side null for a removal or addition.</summary>
    private static List<(int? Old, int? New)> Align(List<string> a, List<string> b)
    {
        var lengths = new int[a.Count + 1, b.Count + 1];
        for (var x = a.Count - 1; x >= 0; x--)
        {
            for (var y = b.Count - 1; y >= 0; y--)
            {
                lengths[x, y] = a[x] == b[y] ? lengths[x + 1, y + 1] + 1 : Math.Max(lengths[x + 1, y], lengths[x, y + 1]);
            }
        }

        var steps = new List<(int?, int?)>(a.Count + b.Count);
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            if (i < a.Count && j < b.Count && a[i] == b[j])
            {
                steps.Add((i++, j++));
            }
            else if (j < b.Count && (i == a.Count || lengths[i, j + 1] >= lengths[i + 1, j]))
            {
                steps.Add((null, j++));
            }
            else
            {
                steps.Add((i++, null));
            }
        }

        return steps;
    }

    /// <summary>A whole block added or removed: its class marks it, a hidden word says it.</summary>
    private static string Mark(IElement block, string css, string label)
    {
        var copy = (IElement)block.Clone();
        copy.ClassList.Add(css);
        var hidden = copy.Owner!.CreateElement("span");
        hidden.ClassList.Add("visually-hidden");
        hidden.TextContent = label + ": ";
        copy.Prepend(hidden);
        return copy.OuterHtml;
    }

    /// <summary>
    /// A changed block: the new one, with its added words in <c>ins</c> and the removed words in <c>del</c> where
    /// they were, found by a word diff of the two blocks' texts and laid over the new block's text nodes.
    /// </summary>
    private static string Changed(IElement before, IElement after, Labels labels)
    {
        var oldText = before.TextContent;
        var copy = (IElement)after.Clone();
        var nodes = Texts(copy).ToList();
        if (nodes.Count == 0)
        {
            return Mark(before, "diff-removed", labels.Removed) + Mark(after, "diff-added", labels.Added);
        }

        var newText = string.Concat(nodes.Select(n => n.Data));
        if (oldText == newText)
        {
            copy.ClassList.Add("diff-format");
            copy.SetAttribute("title", labels.Formatting);
            return copy.OuterHtml;
        }

        var diff = Differ.Instance.CreateDiffs(oldText, newText, ignoreWhiteSpace: false, ignoreCase: false, new DelimiterChunker([' ', '\t', '\n', ',', '.', ';', ':', '(', ')']));
        var newOffsets = Offsets(diff.PiecesNew);
        var inserts = new List<(int Start, int End)>();
        var deletes = new List<(int At, string Text)>();
        foreach (var block in diff.DiffBlocks)
        {
            var at = newOffsets[block.InsertStartB];
            var removedText = string.Concat(diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            if (removedText.Trim().Length > 0)
            {
                deletes.Add((at, removedText));
            }

            if (block.InsertCountB > 0 && newText[at..newOffsets[block.InsertStartB + block.InsertCountB]].Trim().Length > 0)
            {
                inserts.Add((at, newOffsets[block.InsertStartB + block.InsertCountB]));
            }
        }

        // Each text node's range in the block's text; a removal goes to the node its position falls in (the last one at the end).
        var ranges = new (int Start, int End)[nodes.Count];
        for (int n = 0, offset = 0; n < nodes.Count; offset += nodes[n].Data.Length, n++)
        {
            ranges[n] = (offset, offset + nodes[n].Data.Length);
        }

        int NodeOf(int at)
        {
            var index = Array.FindIndex(ranges, r => at >= r.Start && at < r.End);
            return index >= 0 ? index : nodes.Count - 1;
        }

        var owner = copy.Owner!;
        for (var n = 0; n < nodes.Count; n++)
        {
            var (start, end) = ranges[n];
            var mine = deletes.Where(d => NodeOf(d.At) == n).ToList();
            var cuts = new SortedSet<int> { start, end };
            foreach (var (s, e) in inserts.Where(x => x.Start < end && x.End > start))
            {
                cuts.Add(Math.Max(s, start));
                cuts.Add(Math.Min(e, end));
            }

            foreach (var (at, _) in mine)
            {
                cuts.Add(Math.Clamp(at, start, end));
            }

            var fragment = owner.CreateDocumentFragment();
            var points = cuts.ToList();
            for (var k = 0; k < points.Count; k++)
            {
                foreach (var (_, text) in mine.Where(d => Math.Clamp(d.At, start, end) == points[k]))
                {
                    fragment.AppendChild(Inline(owner, "del", labels.Removed, text));
                }

                if (k + 1 < points.Count)
                {
                    var piece = nodes[n].Data[(points[k] - start)..(points[k + 1] - start)];
                    var inserted = inserts.Any(x => x.Start <= points[k] && points[k + 1] <= x.End);
                    fragment.AppendChild(inserted ? Inline(owner, "ins", labels.Added, piece) : owner.CreateTextNode(piece));
                }
            }

            nodes[n].Parent!.ReplaceChild(fragment, nodes[n]);
        }

        copy.ClassList.Add("diff-changed");
        return copy.OuterHtml;
    }

    private static IElement Inline(IDocument owner, string tag, string label, string text)
    {
        var element = owner.CreateElement(tag);
        var hidden = owner.CreateElement("span");
        hidden.ClassList.Add("visually-hidden");
        hidden.TextContent = label + ": ";
        element.AppendChild(hidden);
        element.AppendChild(owner.CreateTextNode(text));
        return element;
    }

    private static IEnumerable<IText> Texts(INode node)
    {
        foreach (var child in node.ChildNodes.ToList())
        {
            if (child is IText text)
            {
                yield return text;
            }
            else
            {
                foreach (var inner in Texts(child))
                {
                    yield return inner;
                }
            }
        }
    }

    private static int[] Offsets(IReadOnlyList<string> pieces)
    {
        var offsets = new int[pieces.Count + 1];
        for (var k = 0; k < pieces.Count; k++)
        {
            offsets[k + 1] = offsets[k] + pieces[k].Length;
        }

        return offsets;
    }

    /// <summary>Unchanged blocks more than <see cref="Context"/> away from a change become one line that says how many.</summary>
    private static string Fold(List<(string Html, bool Changed)> blocks, Labels labels)
    {
        var near = new bool[blocks.Count];
        for (var k = 0; k < blocks.Count; k++)
        {
            if (blocks[k].Changed)
            {
                for (var m = Math.Max(0, k - Context); m <= Math.Min(blocks.Count - 1, k + Context); m++)
                {
                    near[m] = true;
                }
            }
        }

        var html = new StringBuilder();
        var folded = 0;
        for (var k = 0; k <= blocks.Count; k++)
        {
            if (k < blocks.Count && !near[k])
            {
                folded++;
                continue;
            }

            if (folded > 0)
            {
                html.Append("<p class=\"diff-folded\">").Append(System.Net.WebUtility.HtmlEncode(string.Format(System.Globalization.CultureInfo.CurrentCulture, labels.Folded, folded))).Append("</p>");
                folded = 0;
            }

            if (k < blocks.Count)
            {
                html.Append(blocks[k].Html);
            }
        }

        return html.ToString();
    }
}
