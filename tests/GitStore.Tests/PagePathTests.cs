using System.Text;

namespace Handbook.GitStore.Tests;

public class PagePathTests
{
    [Theory]
    [InlineData("index")]
    [InlineData("procedures/leefloon-aanvragen")]
    [InlineData("doelgroepen/oekraïners")]
    [InlineData("a/b/c_d/e-1")]
    public void Parse_AcceptsLowerCaseSlugs(string input)
    {
        Assert.True(PagePath.TryParse(input, out var path, out var error));
        Assert.Equal(PagePathError.None, error);
        Assert.Equal(input, path.Value);
        Assert.Equal(input + ".md", path.FileName);
    }

    [Fact]
    public void Parse_NormalisesToNfc()
    {
        var decomposed = "doelgroepen/oekrai\u0308ners";
        Assert.True(PagePath.TryParse(decomposed, out var path, out _));
        Assert.Equal("doelgroepen/oekra\u00efners", path.Value);
    }

    [Theory]
    [InlineData("", PagePathError.Empty)]
    [InlineData("   ", PagePathError.Empty)]
    [InlineData("../geheim", PagePathError.ParentSegment)]
    [InlineData("a/../../b", PagePathError.ParentSegment)]
    [InlineData("a/./b", PagePathError.ParentSegment)]
    [InlineData("/etc/passwd", PagePathError.Absolute)]
    [InlineData("c:/windows", PagePathError.Absolute)]
    [InlineData("~/x", PagePathError.Absolute)]
    [InlineData("a\\b", PagePathError.Backslash)]
    [InlineData("..\\b", PagePathError.Backslash)]
    [InlineData(".git/config", PagePathError.GitDirectory)]
    [InlineData("a/.git", PagePathError.GitDirectory)]
    [InlineData("a/x.GIT", PagePathError.GitDirectory)]
    [InlineData("a\u0000b", PagePathError.ControlCharacter)]
    [InlineData("a\nb", PagePathError.ControlCharacter)]
    [InlineData("a\u001fb", PagePathError.ControlCharacter)]
    [InlineData("a//b", PagePathError.EmptySegment)]
    [InlineData("a/", PagePathError.EmptySegment)]
    [InlineData("con", PagePathError.ReservedName)]
    [InlineData("procedures/nul", PagePathError.ReservedName)]
    [InlineData("lpt1", PagePathError.ReservedName)]
    [InlineData("Procedures/x", PagePathError.UpperCase)]
    [InlineData("a b", PagePathError.InvalidCharacter)]
    [InlineData("a.md", PagePathError.InvalidCharacter)]
    [InlineData("a?b", PagePathError.InvalidCharacter)]
    [InlineData("-a", PagePathError.BadSegmentEdge)]
    [InlineData("a/b_", PagePathError.BadSegmentEdge)]
    public void Parse_RejectsWithReason(string input, PagePathError expected)
    {
        Assert.False(PagePath.TryParse(input, out _, out var error));
        Assert.Equal(expected, error);
        Assert.NotEqual(PagePath.Describe(PagePathError.None), PagePath.Describe(error));
    }

    [Fact]
    public void Parse_RejectsNamesOver200Characters()
    {
        Assert.True(PagePath.TryParse(new string('a', 200), out _, out _));
        Assert.False(PagePath.TryParse(new string('a', 201), out _, out var error));
        Assert.Equal(PagePathError.TooLong, error);
    }

    [Fact]
    public void Parse_ThrowsWithReadableMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => PagePath.Parse("../x"));
        Assert.Contains("'..'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Leefloon aanvragen (stappen)", "leefloon-aanvragen-stappen")]
    [InlineData("  Oekraïners: tijdelijke bescherming ", "oekraïners-tijdelijke-bescherming")]
    [InlineData("Artikel 60 §7", "artikel-60-7")]
    public void Slugify_MakesValidPath(string title, string expected)
    {
        var slug = PagePath.Slugify(title);
        Assert.Equal(expected, slug);
        Assert.True(PagePath.TryParse(slug, out _, out _));
    }

    [Fact]
    public void Ancestors_ListFoldersOutermostFirst()
    {
        var path = PagePath.Parse("a/b/c");
        Assert.Equal(["a", "a/b"], path.Ancestors().Select(p => p.Value));
        Assert.Equal("a/b", path.Folder);
        Assert.Equal("c", path.Name);
        Assert.Equal("a", path.Section);
    }

    [Theory]
    [InlineData("procedures/formulier.pdf", true)]
    [InlineData("foto.png", true)]
    [InlineData("../x.png", false)]
    [InlineData("a/.git.png", false)]
    [InlineData("a/pagina.md", false)]
    [InlineData("a/geen-extensie", false)]
    [InlineData("a/x.PNG", false)]
    public void AttachmentPath_FollowsPageRules(string input, bool valid)
    {
        Assert.Equal(valid, AttachmentPath.TryParse(input, out _, out _));
    }

    [Fact]
    public void Fuzz_NoAcceptedPathResolvesOutsideTheRepository()
    {
        var random = new Random(20261122);
        string[] pieces = ["..", ".", "/", "\\", "a", "é", "ï", ".git", "GIT", "-", "_", "\0", "\n", "con", ":", "~", "%2e", "x", "1", "\u0308", " ", "\ud800"];
        var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "fuzz-root")) + Path.DirectorySeparatorChar;
        var accepted = 0;
        for (var i = 0; i < 20000; i++)
        {
            var sb = new StringBuilder();
            for (var n = random.Next(1, 8); n > 0; n--)
            {
                sb.Append(pieces[random.Next(pieces.Length)]);
            }

            if (!PagePath.TryParse(sb.ToString(), out var path, out _))
            {
                continue;
            }

            accepted++;
            var full = Path.GetFullPath(Path.Combine(root, path.FileName));
            Assert.StartsWith(root, full, StringComparison.Ordinal);
            Assert.DoesNotContain("..", path.Value, StringComparison.Ordinal);
            Assert.DoesNotContain(".git", path.Value, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(path.Value, path.Value.Normalize(NormalizationForm.FormC));
        }

        Assert.True(accepted > 100, $"the fuzzer should also produce valid paths (got {accepted})");
    }
}
