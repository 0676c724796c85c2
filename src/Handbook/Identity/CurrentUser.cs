using System.Security.Claims;
using Handbook.GitStore;

namespace Handbook.Identity;

/// <summary>Reads who is signed in from claims, whatever the provider (Entra ID, generic OIDC, development).</summary>
public static class CurrentUser
{
    public const string AdministratorRole = "Beheerder";
    public const string TeamClaim = "handbook_team";

    public static string Name(ClaimsPrincipal user) =>
        First(user, "name", ClaimTypes.Name, "preferred_username", ClaimTypes.Email) ?? "?";

    public static string Email(ClaimsPrincipal user) =>
        First(user, "email", ClaimTypes.Email, "preferred_username", "upn", ClaimTypes.Upn) ?? "onbekend@localhost";

    public static string? Team(ClaimsPrincipal user) => First(user, TeamClaim);

    public static bool IsAdministrator(ClaimsPrincipal user) => user.IsInRole(AdministratorRole);

    /// <summary>Every worker may change every page, except pages marked protected: those only administrators.</summary>
    public static bool MayChange(ClaimsPrincipal user, Rendering.FrontMatter meta) => !meta.Protected || IsAdministrator(user);

    /// <summary>The commit author for this worker; the store lets only administrators change protected pages.</summary>
    public static Author Author(ClaimsPrincipal user) => new(Name(user), Email(user)) { MayChangeProtected = IsAdministrator(user) };

    private static string? First(ClaimsPrincipal user, params string[] types) =>
        types.Select(t => user.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
