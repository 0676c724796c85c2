using DiffPlex;
using DiffPlex.Chunkers;

namespace Handbook.GitStore;

/// <summary>
/// Blame by replaying a page's own versions, oldest first: each line keeps the change that last touched it, lines a
/// version adds or rewrites get that version's change. Its cost follows the page's history, not the handbook's.
/// </summary>
internal sealed class BlameReplay
{
    private List<(string Text, PageChange Change)> _lines = [];
    private string _previous = "";

    /// <summary>The next version of the page and the change that made it.</summary>
    public void Apply(string text, PageChange change)
    {
        var diff = Differ.Instance.CreateDiffs(_previous, text, false, false, LineChunker.Instance);
        var next = new List<(string, PageChange)>(diff.PiecesNew.Count);
        var oldIndex = 0;
        var newIndex = 0;
        foreach (var block in diff.DiffBlocks)
        {
            while (newIndex < block.InsertStartB)
            {
                next.Add((diff.PiecesNew[newIndex++], _lines[oldIndex++].Change));
            }

            oldIndex += block.DeleteCountA;
            for (var k = 0; k < block.InsertCountB; k++)
            {
                next.Add((diff.PiecesNew[newIndex++], change));
            }
        }

        while (newIndex < diff.PiecesNew.Count)
        {
            next.Add((diff.PiecesNew[newIndex++], _lines[oldIndex++].Change));
        }

        _lines = next;
        _previous = text;
    }

    /// <summary>Each line of the last version with its change, numbered from 1.</summary>
    public IReadOnlyList<BlameLine> Lines()
    {
        var count = _lines.Count;
        if (count > 0 && _lines[^1].Text.Length == 0 && _previous.EndsWith('\n'))
        {
            // The chunker reports the empty remainder after the final newline as a line; git does not.
            count--;
        }

        return _lines.Take(count).Select((l, i) => new BlameLine(i + 1, l.Text, l.Change)).ToList();
    }
}
