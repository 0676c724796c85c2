namespace Handbook.Rendering;

/// <summary>An entry of the "on this page" list.</summary>
public sealed record TocEntry(int Level, string Id, string Text);
