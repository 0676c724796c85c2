namespace Handbook.Rendering;

/// <summary>How wiki links and acronyms are resolved for one render.</summary>
public interface IRenderContext
{
    /// <summary>The glossary to mark acronyms with.</summary>
    Glossary.Glossary Glossary { get; }

    /// <summary>Resolves a wiki link target (path or title) to a URL, whether it exists, and the target's title.</summary>
    (string Href, bool Exists, string? Title) Resolve(string target);
}
