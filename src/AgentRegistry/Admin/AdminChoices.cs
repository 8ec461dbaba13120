using AgentRegistry.Catalog;
using AgentRegistry.Tenancy;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin;

/// <summary>Choices for filters and selects, read from the database.</summary>
public static class AdminChoices
{
    public static async Task<IReadOnlyList<FilterOption>> CategoriesAsync(RegistryDb db, CancellationToken ct) =>
        (await db.Categories.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
        .Select(c => new FilterOption(c.Id.ToString(), c.Name)).ToList();

    public static async Task<IReadOnlyList<FilterOption>> AgentsAsync(RegistryDb db, CancellationToken ct) =>
        (await db.Agents.AsNoTracking().OrderBy(a => a.Name).Select(a => new { a.Id, a.Name, a.Slug }).ToListAsync(ct))
        .Select(a => new FilterOption(a.Id.ToString(), $"{a.Name} ({a.Slug})")).ToList();

    public static async Task<IReadOnlyList<FilterOption>> TenantsAsync(RegistryDb db, CancellationToken ct) =>
        (await db.Tenants.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name, t.Slug }).ToListAsync(ct))
        .Select(t => new FilterOption(t.Id.ToString(), $"{t.Name} ({t.Slug})")).ToList();

    public static async Task<IReadOnlyList<FilterOption>> ProjectsAsync(RegistryDb db, CancellationToken ct) =>
        (await db.Projects.AsNoTracking().OrderBy(p => p.Tenant!.Name).ThenBy(p => p.Name)
            .Select(p => new { p.Id, p.Name, Tenant = p.Tenant!.Name }).ToListAsync(ct))
        .Select(p => new FilterOption(p.Id.ToString(), $"{p.Tenant} / {p.Name}")).ToList();

    /// <summary>Plans grouped by agent, for selects with one option group per agent.</summary>
    public static async Task<IReadOnlyList<(string Agent, Guid AgentId, FilterOption Plan)>> PlansAsync(RegistryDb db, Guid? agentId, CancellationToken ct) =>
        (await db.Plans.AsNoTracking().Where(p => agentId == null || p.AgentId == agentId)
            .OrderBy(p => p.Agent!.Name).ThenBy(p => p.CreatedAt)
            .Select(p => new { p.Id, p.Name, p.AgentId, Agent = p.Agent!.Name }).ToListAsync(ct))
        .Select(p => (p.Agent, p.AgentId, new FilterOption(p.Id.ToString(), p.Name))).ToList();
}
