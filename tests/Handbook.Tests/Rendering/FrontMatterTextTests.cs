using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
using Handbook.GitStore;
using Handbook.History;
using Handbook.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

public sealed class FrontMatterTextTests
{
    [Fact]
    public void SetField_ChangesOnlyThatLine()
    {
        var text = "---\ntitle: A\nreview_by: 2020-01-01\ntags: [x]\n---\n# A\n\nTekst.\n";
        var changed = FrontMatterText.SetField(text, "review_by", "2027-01-31");
        Assert.Equal("---\ntitle: A\nreview_by: 2027-01-31\ntags: [x]\n---\n# A\n\nTekst.\n", changed);
    }

    [Fact]
    public void SetField_AddsMissingFieldOrBlock_AndRemovesMultiLineField()
    {
        Assert.Equal("---\ntitle: A\nowner: Juristen\n---\nB\n", FrontMatterText.SetField("---\ntitle: A\n---\nB\n", "owner", "Juristen"));
        Assert.Equal("---\nowner: Juristen\n---\nB\n", FrontMatterText.SetField("B\n", "owner", "Juristen"));
        Assert.Equal("---\ntitle: A\n---\nB\n", FrontMatterText.SetField("---\ntitle: A\nsources:\n  - https://a\n  - https://b\n---\nB\n", "sources", null));
    }

    [Fact]
    public void AByteOrderMark_StaysFirst_WithOrWithoutAFrontMatterBlock()
    {
        const string Bom = "\uFEFF";
        Assert.Equal(("title: A\n", "B\n"), FrontMatterText.Split(Bom + "---\ntitle: A\n---\nB\n"));
        Assert.Equal(("", Bom + "B\n"), FrontMatterText.Split(Bom + "B\n"));
        Assert.Equal(Bom + "---\ntitle: A\nowner: J\n---\nB\n", FrontMatterText.SetField(Bom + "---\ntitle: A\n---\nB\n", "owner", "J"));
        Assert.Equal(Bom + "---\nowner: J\n---\nB\n", FrontMatterText.SetField(Bom + "B\n", "owner", "J"));
        Assert.Equal(Bom + "B\n", FrontMatterText.SetField(Bom + "---\nowner: J\n---\nB\n", "owner", null));
    }

    [Fact]
    public void APageWithAByteOrderMark_ParsesAsWithout()
    {
        var text = "---\ntitle: Met BOM\nowner: Juristen\n---\n# Kop\n\nTekst met **nadruk**.\n";
        var parsed = PageParser.Parse("\uFEFF" + text, "p");
        Assert.Equal(PageParser.Parse(text, "p").PlainText, parsed.PlainText);
        Assert.Equal("Met BOM", parsed.Title);
        Assert.Equal("Juristen", parsed.Meta.Owner);
    }

    [Theory]
    [InlineData("gewoon", "gewoon")]
    [InlineData("Let op: dit", "\"Let op: dit\"")]
    [InlineData("[x]", "\"[x]\"")]
    public void Scalar_QuotesWhenNeeded(string value, string expected) => Assert.Equal(expected, FrontMatterText.Scalar(value));
}
