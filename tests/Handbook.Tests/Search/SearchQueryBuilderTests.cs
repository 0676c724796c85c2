using Handbook.Search;
using Lucene.Net.Search;

namespace Handbook.Tests.Search;

public sealed class SearchQueryBuilderTests
{
    private static readonly SearchQueryBuilder Builder = new(new HandbookAnalyzer());

    private static string RandomWord(int length, int seed)
    {
        var random = new Random(seed);
        return new string(Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26))).ToArray());
    }

    private static IEnumerable<Query> Flatten(Query query) => query switch
    {
        BooleanQuery b => b.Clauses.SelectMany(c => Flatten(c.Query)).Prepend(query),
        DisjunctionMaxQuery d => d.Disjuncts.SelectMany(Flatten).Prepend(query),
        _ => [query],
    };

    [Fact]
    public void ALongRandomWord_GetsNoTypoToleranceCompoundPartsOrPrefix()
    {
        var word = RandomWord(200, 1);
        Assert.Null(Builder.BuildFuzzy(word));
        var asYouType = Builder.Build(word, new Dictionary<string, string>(), asYouType: true)!;
        Assert.DoesNotContain(Flatten(asYouType), q => q is PrefixQuery or FuzzyQuery);
        Assert.DoesNotContain(Flatten(asYouType), q => q is BooleanQuery { Clauses.Count: > 1 } b && b.Clauses.All(c => c.Occur == Occur.MUST));
    }

    [Fact]
    public void RealWords_KeepTypoToleranceCompoundPartsAndPrefix()
    {
        Assert.NotNull(Builder.BuildFuzzy("huurwaarbrog"));
        var asYouType = Builder.Build("arbeidsongeschiktheidsuitkering huurwaarb", new Dictionary<string, string>(), asYouType: true)!;
        Assert.Contains(Flatten(asYouType), q => q is PrefixQuery);
        var compound = Builder.Build("huurwaarborg", new Dictionary<string, string>())!;
        Assert.Contains(Flatten(compound), q => q is BooleanQuery { Clauses.Count: > 1 } b && b.Clauses.All(c => c.Occur == Occur.MUST));
    }
}
