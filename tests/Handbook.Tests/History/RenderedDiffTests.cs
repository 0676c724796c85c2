using System.Text.RegularExpressions;
using Handbook.History;

namespace Handbook.Tests.History;

public sealed class RenderedDiffTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    private static readonly RenderedDiff.Labels Labels = new("toegevoegd", "verwijderd", "Alleen de opmaak is gewijzigd", "… {0} ongewijzigde delen …");

    private RenderedDiff Compare(string before, string after) =>
        RenderedDiff.Build(fixture.Render(before).Html, fixture.Render(after).Html, Labels);

    private const string Page = "## Voorwaarden\n\nDe MA start de aanvraag binnen de termijn.\n\n- Intake\n- Sociaal onderzoek\n\n| Stap | Wie |\n|---|---|\n| 1 | MA |\n\nSlot.\n";

    [Fact]
    public void OneWordChanged_IsMarkedInsideTheRenderedParagraph_WithoutMarkdown()
    {
        var diff = Compare(Page, Page.Replace("start", "begint", StringComparison.Ordinal));
        Assert.Equal(1, diff.ChangedBlocks);
        var paragraph = Regex.Match(diff.Html, "<p class=\"diff-changed\">.*?</p>", RegexOptions.Singleline).Value;
        Assert.Contains("<del><span class=\"visually-hidden\">verwijderd: </span>start</del>", paragraph, StringComparison.Ordinal);
        Assert.Contains("<ins><span class=\"visually-hidden\">toegevoegd: </span>begint</ins>", paragraph, StringComparison.Ordinal);
        Assert.Contains("de aanvraag binnen de termijn.", paragraph, StringComparison.Ordinal);
        Assert.DoesNotContain("##", diff.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("|---", diff.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInsertedCallout_IsAnAddedBlock_AsOnThePage()
    {
        var diff = Compare(Page, Page.Replace("Slot.", "> [!LET OP]\n> Nooit cliëntgegevens.\n\nSlot.", StringComparison.Ordinal));
        Assert.Matches("<aside class=\"callout callout-letop diff-added\"[^>]*><span class=\"visually-hidden\">toegevoegd: </span>", diff.Html);
        Assert.Contains("Nooit cliëntgegevens.", diff.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("[!LET OP]", diff.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void ATableCellAndAListItem_AreMarkedWhereTheyAre()
    {
        var diff = Compare(Page, Page.Replace("| 1 | MA |", "| 1 | Jurist |", StringComparison.Ordinal).Replace("- Sociaal onderzoek\n", "", StringComparison.Ordinal));
        Assert.Matches("<td><del><span class=\"visually-hidden\">verwijderd: </span>MA</del><ins><span class=\"visually-hidden\">toegevoegd: </span>Jurist</ins></td>", diff.Html);
        Assert.Matches("<ul class=\"diff-changed\">.*<del><span class=\"visually-hidden\">verwijderd: </span>[^<]*Sociaal onderzoek[^<]*</del>", diff.Html.ReplaceLineEndings(""));
    }

    [Fact]
    public void FormattingOnly_SaysSo()
    {
        var diff = Compare(Page, Page.Replace("de termijn", "**de termijn**", StringComparison.Ordinal));
        Assert.Contains("class=\"diff-format\"", diff.Html, StringComparison.Ordinal);
        Assert.Contains("<strong>de termijn</strong>", diff.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void UnchangedStretchesFarFromAChange_AreFolded_AndNoIdRepeats()
    {
        var paragraphs = string.Concat(Enumerable.Range(1, 20).Select(i => $"## Deel {i}\n\nAlinea {i}.\n\n"));
        var diff = Compare(paragraphs, paragraphs.Replace("Alinea 15.", "Alinea vijftien.", StringComparison.Ordinal));
        Assert.Contains("ongewijzigde delen", diff.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Alinea 3.", diff.Html, StringComparison.Ordinal);
        Assert.Contains("Alinea 14.", diff.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(" id=", diff.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void RemovedAndAddedBlocks_AreMarkedAsAWhole()
    {
        var diff = Compare("Eerste.\n\n## Weg\n\nTweede.\n", "Eerste.\n\nTweede.\n\n---\n");
        Assert.Matches("<h2 class=\"diff-removed\"><span class=\"visually-hidden\">verwijderd: </span>Weg</h2>", diff.Html);
        Assert.Contains("<hr class=\"diff-added\">", diff.Html, StringComparison.Ordinal);
    }
}
