using System.Globalization;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Handbook.Rendering;

namespace Handbook.History;

/// <summary>One changed metadata field between two revisions.</summary>
public sealed record FieldChange(string Field, string Old, string New);

/// <summary>One row of a side-by-side diff; a null side is an empty cell (the line exists on one side only).</summary>
public sealed record DiffRow(DiffPiece? Old, DiffPiece? New, bool IsGap = false);

/// <summary>
/// The comparison of two revisions of a page, as a manager reads it: metadata as field changes, and the body as
/// lines with word-level highlights inside changed lines (DiffPlex), with unchanged stretches folded.
/// </summary>
public sealed class PageDiffModel
{
    private const int Context = 3;

    private PageDiffModel(IReadOnlyList<FieldChange> fields, IReadOnlyList<DiffRow> rows, int added, int deleted)
    {
        Fields = fields;
        Rows = rows;
        LinesAdded = added;
        LinesDeleted = deleted;
    }

    public IReadOnlyList<FieldChange> Fields { get; }

    public IReadOnlyList<DiffRow> Rows { get; }

    public int LinesAdded { get; }

    public int LinesDeleted { get; }

    public static PageDiffModel Build(string oldText, string newText)
    {
        var (oldYaml, oldBody) = FrontMatterText.Split(oldText);
        var (newYaml, newBody) = FrontMatterText.Split(newText);
        var fields = CompareFields(FrontMatter.Parse(oldYaml), FrontMatter.Parse(newYaml));

        var model = new SideBySideDiffBuilder(new Differ()).BuildDiffModel(oldBody, newBody, ignoreWhitespace: false);
        var all = new List<DiffRow>(model.NewText.Lines.Count);
        for (var i = 0; i < model.NewText.Lines.Count; i++)
        {
            var o = model.OldText.Lines[i];
            var n = model.NewText.Lines[i];
            all.Add(new DiffRow(o.Type == ChangeType.Imaginary ? null : o, n.Type == ChangeType.Imaginary ? null : n));
        }

        var changed = all.Select(r => r.Old?.Type != ChangeType.Unchanged || r.New?.Type != ChangeType.Unchanged).ToList();
        var rows = new List<DiffRow>();
        for (var i = 0; i < all.Count; i++)
        {
            var near = Enumerable.Range(Math.Max(0, i - Context), Math.Min(all.Count, i + Context + 1) - Math.Max(0, i - Context)).Any(j => changed[j]);
            if (near)
            {
                rows.Add(all[i]);
            }
            else if (rows.Count == 0 || !rows[^1].IsGap)
            {
                rows.Add(new DiffRow(null, null, IsGap: true));
            }
        }

        return new PageDiffModel(fields, rows,
            all.Count(r => r.New is { Type: ChangeType.Inserted or ChangeType.Modified }),
            all.Count(r => r.Old is { Type: ChangeType.Deleted or ChangeType.Modified }));
    }

    private static List<FieldChange> CompareFields(FrontMatter a, FrontMatter b)
    {
        var changes = new List<FieldChange>();
        void Compare(string field, string? x, string? y)
        {
            if (!string.Equals(x ?? "", y ?? "", StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, x ?? "", y ?? ""));
            }
        }

        static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
        Compare("title", a.Title, b.Title);
        Compare("summary", a.Summary, b.Summary);
        Compare("owner", a.Owner, b.Owner);
        Compare("doelgroepen", string.Join(", ", a.Doelgroepen), string.Join(", ", b.Doelgroepen));
        Compare("tags", string.Join(", ", a.Tags), string.Join(", ", b.Tags));
        Compare("review_by", Date(a.ReviewBy), Date(b.ReviewBy));
        Compare("valid_from", Date(a.ValidFrom), Date(b.ValidFrom));
        Compare("sources", string.Join(", ", a.Sources), string.Join(", ", b.Sources));
        Compare("aliases", string.Join(", ", a.Aliases), string.Join(", ", b.Aliases));
        Compare("protected", a.Protected ? "true" : "", b.Protected ? "true" : "");
        return changes;
    }
}
