namespace Handbook.Identity;

/// <summary>A fictional worker for the development sign-in.</summary>
public sealed record DemoWorker(string Id, string Name, string Email, string Team, bool IsAdministrator);

/// <summary>The workers offered by the development sign-in: one per kind of user, all fictional.</summary>
public static class DemoWorkers
{
    public static readonly IReadOnlyList<DemoWorker> All =
    [
        new("ma", "Demo Maatschappelijk Assistent", "ma@demo.handbook.invalid", "Frontoffice", false),
        new("jurist", "Demo Jurist Backoffice", "jurist@demo.handbook.invalid", "Backoffice juristen", false),
        new("manager", "Demo Teamverantwoordelijke", "manager@demo.handbook.invalid", "Management", true),
    ];

    public static DemoWorker? Find(string? id) => All.FirstOrDefault(w => w.Id == id);
}
