using Handbook.Rendering;

namespace Handbook.Tests.Rendering;

public sealed class MarkdownShapeTests
{
    private static string Repeat(string unit, int times) => string.Concat(Enumerable.Repeat(unit, times));

    [Theory]
    [InlineData("[^1]")]
    [InlineData("[a](b")]
    [InlineData("[ (](")]
    [InlineData("[[a")]
    [InlineData("*a_ ")]
    [InlineData("*a **a ")]
    [InlineData("~a^")]
    public void PatternsMarkdigParsesInQuadraticTime_AreRefusedBeforeParsing(string unit)
    {
        Assert.NotNull(MarkdownShape.Check(Repeat(unit, 30_000)));
        // Also spread over many blocks: the total counts.
        Assert.NotNull(MarkdownShape.Check(Repeat(Repeat(unit, 1_500) + "\n\n", 300)));
    }

    [Fact]
    public void WikiLinks_AreNotOpeners_ButUnclosedOnesAre()
    {
        Assert.Null(MarkdownShape.Check(Repeat("- [[procedures/leefloon-aanvragen]]\n", 5_000)));
        Assert.NotNull(MarkdownShape.Check(Repeat("- [[procedures/leefloon-aanvragen\n", 5_000)));
    }

    [Fact]
    public void EveryStarterPage_PassesTheCheck()
    {
        var files = Directory.EnumerateFiles(Path.Combine(StarterContentTests.RepositoryRoot, "content", "handbook"), "*.md", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Null(MarkdownShape.Check(File.ReadAllText(f))));
    }

    [Fact]
    public void LongRealPages_PassTheCheck()
    {
        var row = "| **Leefloon** | [aanvraag](https://www.mi-is.be) | _dringend_ | [[procedures/leefloon-aanvragen]] |\n";
        Assert.Null(MarkdownShape.Check("| a | b | c | d |\n|---|---|---|---|\n" + Repeat(row, 900)));
        Assert.Null(MarkdownShape.Check(Repeat("Een alinea met een [link](https://example.org) en **vet** en *schuin*.\n\n", 5_000)));
    }
}
