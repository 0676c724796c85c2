using Handbook.Rendering;

namespace Handbook.Tests.Rendering;

public sealed class FrontMatterTests
{
    [Theory]
    [InlineData("title: a\nTitle: b")]
    [InlineData("title: a\nTITLE: b\nsummary: s")]
    public void Parse_FieldGivenTwiceInAnyCase_KeepsTheFirstAndSaysSo(string yaml)
    {
        var meta = FrontMatter.Parse(yaml);
        Assert.Equal("a", meta.Title);
        Assert.NotNull(meta.Error);
        Assert.Contains("meer dan eens", meta.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FieldsInAnotherCase_AreRead()
    {
        var meta = FrontMatter.Parse("Title: Leefloon\nOwner: Backoffice juristen\nProtected: true\nTags: [a, b]");
        Assert.Equal("Leefloon", meta.Title);
        Assert.Equal("Backoffice juristen", meta.Owner);
        Assert.True(meta.Protected);
        Assert.Equal(["a", "b"], meta.Tags);
        Assert.Null(meta.Error);
    }

    [Theory]
    [InlineData("title: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")]
    [InlineData("? [a, b]\n: c\ntitle: x")]
    [InlineData("!!binary aGVsbG8=: x")]
    [InlineData("title: !!int x")]
    [InlineData("- a\n- b")]
    [InlineData("'unterminated")]
    [InlineData("title: \"\\u0000\"")]
    public void Parse_NeverThrows(string yaml)
    {
        var meta = FrontMatter.Parse(yaml);
        Assert.NotNull(meta);
    }
}
