using Handbook.Rendering;

namespace Handbook.Tests.Rendering;

public sealed class HtmlShapeTests
{
    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("<p>a</p><p>b</p>", 1, 2)]
    [InlineData("<div><div><span>x</span></div></div>", 3, 3)]
    [InlineData("<p>a<br>b<img src=x><br/></p>", 1, 4)]
    [InlineData("<b><b><b>", 3, 3)]
    [InlineData("</div></div><p>x</p>", 1, 1)]
    [InlineData("<!-- <div><div><div> --><p>x</p>", 1, 1)]
    [InlineData("a < b and 1<2", 0, 0)]
    public void Measure_CountsDepthAndElements(string html, int depth, int elements) =>
        Assert.Equal((depth, elements), HtmlShape.Measure(html));

    [Fact]
    public void Measure_FiftyThousandNestedDivs_IsLinearAndFindsTheDepth()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 50_000)) + "x" + string.Concat(Enumerable.Repeat("</div>", 50_000));
        Assert.Equal((50_000, 50_000), HtmlShape.Measure(html));
    }
}
