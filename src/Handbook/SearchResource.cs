namespace Handbook;

/// <summary>Marker type for the search UI strings in Resources/SearchResource(.en).resx (neutral = Dutch).</summary>
public sealed class SearchResource;
