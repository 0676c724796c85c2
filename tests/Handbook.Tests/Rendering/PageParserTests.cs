using Handbook.Rendering;

namespace Handbook.Tests.Rendering;

/// <summary>What the catalog reads from a page without rendering it: never an exception, always the page's problem.</summary>
public sealed class PageParserTests
{
    [Fact]
    public void Parse_OfAnyText_NeverThrows_AndReportsItsProblem()
    {
        var parsed = PageParser.Parse("---\ntitle: a\nTitle: b\n---\n" + new string('>', 10_000), "p");
        Assert.Equal("a", parsed.Title);
        Assert.Equal(RenderProblemKind.TooDeep, parsed.Problem?.Kind);
        Assert.NotNull(parsed.Meta.Error);
    }

    [Fact]
    public void ManyFootnoteReferences_AreListedWithTheirProblem_NotParsedForAMinute()
    {
        var parsed = PageParser.Parse(string.Concat(Enumerable.Repeat("[^1]", 27_000)), "p");
        Assert.Equal(RenderProblemKind.TooManyBracketsInBlock, parsed.Problem?.Kind);
        Assert.Equal("p", parsed.Title);
    }

    [Fact]
    public void AWikiLinkWithoutALabel_ReadsAsItsPageTitle_WhenOneIsGiven()
    {
        const string Text = "Zie [[procedures/uithuiszetting-voorkomen]] en [[procedures/onbekend]].\n";
        var parsed = PageParser.Parse(Text, "p", target => target == "procedures/uithuiszetting-voorkomen" ? "Uithuiszetting voorkomen" : null);
        Assert.Equal("Zie Uithuiszetting voorkomen en procedures/onbekend.\n", parsed.PlainText);
        Assert.Equal(["procedures/uithuiszetting-voorkomen", "procedures/onbekend"], parsed.LinkTargets);
    }

    [Fact]
    public void Parse_ReadsTitleLinksAndPlainText_InOneWalk()
    {
        var parsed = PageParser.Parse("# Kop\n\nZie [[procedures/leefloon|het leefloon]] en `code`.\n\n- [[wetgeving/art-60]]\n", "p");
        Assert.Equal("Kop", parsed.Title);
        Assert.Equal(["procedures/leefloon", "wetgeving/art-60"], parsed.LinkTargets);
        Assert.Contains("het leefloon", parsed.PlainText, StringComparison.Ordinal);
        Assert.Contains("code", parsed.PlainText, StringComparison.Ordinal);
        Assert.Null(parsed.Problem);
    }
}
