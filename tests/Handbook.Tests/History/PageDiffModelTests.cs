using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
using Handbook.GitStore;
using Handbook.History;
using Handbook.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

public sealed class PageDiffModelTests
{
    [Fact]
    public void Build_ShowsMetadataAsFieldChangesAndWordsInsideChangedLines()
    {
        var before = "---\ntitle: Huur\nowner: Juristen\nreview_by: 2026-01-01\n---\nEerste regel.\nDe waarborg is drie maanden.\nLaatste regel.\n";
        var after = "---\ntitle: Huur\nowner: Budgethulp\nreview_by: 2027-01-01\n---\nEerste regel.\nDe waarborg is twee maanden.\nLaatste regel.\nNieuwe regel.\n";

        var model = PageDiffModel.Build(before, after);

        Assert.Equal([new FieldChange("owner", "Juristen", "Budgethulp"), new FieldChange("review_by", "2026-01-01", "2027-01-01")], model.Fields);
        Assert.Equal(2, model.LinesAdded);
        Assert.Equal(1, model.LinesDeleted);
        var changed = Assert.Single(model.Rows, r => r.Old?.Type == DiffPlex.DiffBuilder.Model.ChangeType.Modified);
        Assert.Contains(changed.Old!.SubPieces, p => p.Type == DiffPlex.DiffBuilder.Model.ChangeType.Deleted && p.Text == "drie");
        Assert.Contains(changed.New!.SubPieces, p => p.Type == DiffPlex.DiffBuilder.Model.ChangeType.Inserted && p.Text == "twee");
    }

    [Fact]
    public void Build_FoldsLongUnchangedStretches()
    {
        var lines = Enumerable.Range(0, 100).Select(i => $"regel {i}").ToList();
        var before = string.Join('\n', lines) + "\n";
        lines[50] = "regel vijftig";
        var model = PageDiffModel.Build(before, string.Join('\n', lines) + "\n");
        Assert.True(model.Rows.Count < 12, $"{model.Rows.Count} rows");
        Assert.Equal(2, model.Rows.Count(r => r.IsGap));
    }
}
