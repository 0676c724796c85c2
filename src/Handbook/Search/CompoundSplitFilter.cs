using System.Collections.Concurrent;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Handbook.Search;

/// <summary>
/// Adds the parts of a compound (<see cref="CompoundSplitter"/>) after the word itself, at the same position and
/// offsets, so "waarborg" finds "huurwaarborg". A handbook repeats its words: splits are remembered (up to
/// <see cref="CacheSize"/> distinct words, then the memory starts again).
/// </summary>
public sealed class CompoundSplitFilter : TokenFilter
{
    private const int CacheSize = 50_000;
    private static readonly ConcurrentDictionary<string, string[]> Cache = new(StringComparer.Ordinal);

    private readonly CompoundSplitter _splitter;
    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _increment;
    private readonly Queue<string> _pending = new();
    private State? _state;

    public CompoundSplitFilter(TokenStream input, CompoundSplitter splitter) : base(input)
    {
        _splitter = splitter;
        _term = AddAttribute<ICharTermAttribute>();
        _increment = AddAttribute<IPositionIncrementAttribute>();
    }

    public override bool IncrementToken()
    {
        if (_pending.Count > 0 && _state is not null)
        {
            RestoreState(_state);
            _term.SetEmpty().Append(_pending.Dequeue());
            _increment.PositionIncrement = 0;
            return true;
        }

        if (!m_input.IncrementToken())
        {
            return false;
        }

        if (_term.Length is >= CompoundSplitter.MinWordLength and <= CompoundSplitter.MaxWordLength)
        {
            var parts = PartsOf(_term.ToString());
            if (parts.Length > 0)
            {
                foreach (var part in parts)
                {
                    _pending.Enqueue(part);
                }

                _state = CaptureState();
            }
        }

        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _pending.Clear();
        _state = null;
    }

    private string[] PartsOf(string word)
    {
        if (Cache.TryGetValue(word, out var parts))
        {
            return parts;
        }

        parts = [.. _splitter.Split(word)];
        if (Cache.Count >= CacheSize)
        {
            Cache.Clear();
        }

        Cache[word] = parts;
        return parts;
    }
}
