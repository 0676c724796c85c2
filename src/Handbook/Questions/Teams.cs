namespace Handbook.Questions;

/// <summary>
/// Teams are named, as a page's <c>owner</c> names them ("Backoffice juristen"); a worker's team is her
/// <c>handbook_team</c> claim (the development sign-in gives one; with Entra ID, <c>Handbook:TeamGroups</c> maps group
/// ids to team names). Names are compared without regard to case or surrounding spaces.
/// </summary>
public static class Teams
{
    public static bool Same(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && !string.IsNullOrWhiteSpace(b)
        && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
