using System.Linq.Expressions;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

/// <summary>Why an access serves nobody: a stable problem type and the reason in words.</summary>
public sealed record AccessStop(string Kind, string Reason);

/// <summary>
/// What decides whether an access may serve (chat through its keys, its widgets, new keys): its state, its tenant
/// (blocked by an operator, or by Waldur when the customer is blocked, archived or deleted) and its project (removed
/// in Waldur, or past its end date). The one place this rule lives; key sign-in, the widget and key issuance ask it.
/// </summary>
public sealed record AccessStanding(AccessState State, bool TenantBlocked, bool ProjectRemoved, DateOnly? ProjectEndDate)
{
    public static readonly Expression<Func<AgentAccess, AccessStanding>> Of =
        a => new AccessStanding(a.State, a.Tenant!.IsBlocked, a.Project!.IsRemoved, a.Project.EndDate);

    /// <summary>Null while the access may serve at <paramref name="now"/>; else why it may not.</summary>
    public AccessStop? StopAt(DateTime now) =>
        TenantBlocked ? new("tenant-blocked", "The organisation of this subscription is blocked; ask the platform's operators why.")
        : ProjectRemoved ? new("project-removed", "The project of this subscription was removed.")
        : ProjectEndDate is { } end && DateOnly.FromDateTime(now) > end
            ? new("project-ended", $"The project of this subscription ended on {end:yyyy-MM-dd}.")
        : State != AccessState.Active ? new("access-inactive", $"The subscription is {State.ToString().ToLowerInvariant()}.")
        : null;

    /// <summary>The rows a standing is read from: a cache of standings forgets on their changes.</summary>
    public static readonly IReadOnlyCollection<Type> Sources = [typeof(AgentAccess), typeof(Tenancy.Tenant), typeof(Tenancy.TenantProject)];

    /// <summary>
    /// Whose standing a saved change may have changed: the access (by id), or, for a tenant or project, every access
    /// (null). False when the change is not one of <see cref="Sources"/> or only added a row.
    /// </summary>
    public static bool Changes(object entity, Microsoft.EntityFrameworkCore.EntityState state, out Guid? accessId)
    {
        accessId = entity is AgentAccess a ? a.Id : null;
        return state != Microsoft.EntityFrameworkCore.EntityState.Added && entity is AgentAccess or Tenancy.Tenant or Tenancy.TenantProject;
    }

    public static Task<AccessStanding?> FindAsync(RegistryDb db, Guid accessId, CancellationToken ct) =>
        db.Accesses.AsNoTracking().Where(a => a.Id == accessId).Select(Of).Cast<AccessStanding?>().FirstOrDefaultAsync(ct);

    /// <summary>New keys are refused while the tenant is blocked or the project is gone (a suspended access may get them).</summary>
    public static async Task EnsureMayIssueKeysAsync(RegistryDb db, Guid accessId, DateTime now, CancellationToken ct)
    {
        if (await FindAsync(db, accessId, ct) is { } standing
            && (standing with { State = AccessState.Active }).StopAt(now) is { } stop)
            throw new ConflictException(stop.Kind, stop.Reason);
    }
}
