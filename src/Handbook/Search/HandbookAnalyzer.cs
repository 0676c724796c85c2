using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Nl;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace Handbook.Search;

/// <summary>
/// How Dutch handbook text becomes search terms. Diacritics are folded before stemming, so "Oekraïners" and
/// "Oekrainers" meet in one stem; Dutch stop words go; the Snowball Dutch stemmer joins "leeflonen" and "leefloon",
/// "aanvragen" and "aanvraag". Dutch glues words together ("huurwaarborg", "leefloonwet"): in the indexed
/// fields the parts of a compound, split along the Dutch word list (<see cref="CompoundSplitter"/>), are added
/// beside it, so "waarborg" finds "huurwaarborg". Queries are analysed without it (<see cref="SearchFields.Query"/>): the query builder adds the
/// parts of a compound in the query itself, with less weight. The <see cref="SearchFields.Words"/> field keeps whole (folded) words for the
/// "did you mean" suggestion, which must propose words a worker recognises, not stems.
/// </summary>
public sealed class HandbookAnalyzer() : Analyzer(PER_FIELD_REUSE_STRATEGY)
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Changes whenever the analysis changes: an index made with another version is rebuilt at start.</summary>
    public const string AnalysisVersion = "4";

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new LowerCaseFilter(Version, source);
        stream = new ASCIIFoldingFilter(stream);
        if (SearchFields.IsWholeWords(fieldName))
        {
            return new TokenStreamComponents(source, stream);
        }

        if (fieldName != SearchFields.Query)
        {
            stream = new CompoundSplitFilter(stream, CompoundSplitter.Dutch);
        }

        stream = new StopFilter(Version, stream, DutchAnalyzer.DefaultStopSet);
        stream = new SnowballFilter(stream, new Lucene.Net.Tartarus.Snowball.Ext.DutchStemmer());
        return new TokenStreamComponents(source, stream);
    }

    // Aliases and tags are several values in one field: a phrase must not run from one into the next.
    public override int GetPositionIncrementGap(string fieldName) => 100;

    /// <summary>The terms of a text as this analyzer makes them for a field, with their positions.</summary>
    public IReadOnlyList<(string Term, int Position)> Terms(string field, string text)
    {
        var terms = new List<(string, int)>();
        using var stream = GetTokenStream(field, new StringReader(text));
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        var increment = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += increment.PositionIncrement;
            terms.Add((term.ToString(), position));
        }

        stream.End();
        return terms;
    }
}
