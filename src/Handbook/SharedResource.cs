namespace Handbook;

/// <summary>Marker type for the app's UI strings in Resources/SharedResource(.en).resx (neutral = Dutch).</summary>
public sealed class SharedResource;
