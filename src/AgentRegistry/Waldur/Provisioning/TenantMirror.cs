using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;
using AgentRegistry.Waldur.Client;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Waldur.Provisioning;

/// <summary>Keeps Tenants and TenantProjects in step with Waldur customers and projects, read from Waldur's API.</summary>
public sealed class TenantMirror(RegistryDb db, WaldurClient waldur, TimeProvider clock)
{
    public async Task<Tenant> CustomerAsync(Guid customerUuid, bool refresh, CancellationToken ct)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.WaldurCustomerUuid == customerUuid, ct);
        if (tenant is not null && !refresh) return tenant;
        var customer = await waldur.GetCustomerAsync(customerUuid, ct);
        if (tenant is null)
        {
            tenant = new Tenant { Name = customer.Name, Slug = await FreeSlugAsync(customer.Abbreviation ?? customer.Name, ct), WaldurCustomerUuid = customerUuid };
            db.Tenants.Add(tenant);
        }
        tenant.Name = customer.Name;
        tenant.Email = customer.Email is { Length: > 0 and <= 254 } email ? email : tenant.Email;
        tenant.IsBlocked = customer.Blocked || customer.Archived;
        tenant.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return tenant;
    }

    public async Task<TenantProject> ProjectAsync(Guid projectUuid, bool refresh, CancellationToken ct)
    {
        var project = await db.Projects.FirstOrDefaultAsync(p => p.WaldurProjectUuid == projectUuid, ct);
        if (project is not null && !refresh) return project;
        var remote = await waldur.GetProjectAsync(projectUuid, ct);
        var tenant = await CustomerAsync(remote.CustomerUuid ?? throw new InvalidOperationException($"Waldur project {projectUuid:N} has no customer."), false, ct);
        if (project is null)
        {
            project = new TenantProject { TenantId = tenant.Id, Name = remote.Name, WaldurProjectUuid = projectUuid };
            db.Projects.Add(project);
        }
        project.Name = remote.Name;
        project.EndDate = remote.EndDate;
        project.IsRemoved = remote.IsRemoved;
        await db.SaveChangesAsync(ct);
        return project;
    }

    /// <summary>
    /// Marks what Waldur deleted; the registry keeps the rows for billing and audit. Through the change tracker, so the
    /// caches that hold the tenant's keys forget them (<see cref="Infrastructure.IForgetsChanges"/>) and they stop at once.
    /// </summary>
    public async Task<bool> CustomerDeletedAsync(Guid customerUuid, CancellationToken ct)
    {
        var tenants = await db.Tenants.Where(t => t.WaldurCustomerUuid == customerUuid).ToListAsync(ct);
        foreach (var tenant in tenants)
        {
            tenant.IsBlocked = true;
            tenant.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        }
        await db.SaveChangesAsync(ct);
        return tenants.Count > 0;
    }

    public async Task<bool> ProjectDeletedAsync(Guid projectUuid, CancellationToken ct)
    {
        var projects = await db.Projects.Where(p => p.WaldurProjectUuid == projectUuid).ToListAsync(ct);
        foreach (var project in projects) project.IsRemoved = true;
        await db.SaveChangesAsync(ct);
        return projects.Count > 0;
    }

    private async Task<string> FreeSlugAsync(string name, CancellationToken ct)
    {
        var baseSlug = Slugify(name);
        var slug = baseSlug;
        for (var n = 2; await db.Tenants.AnyAsync(t => t.Slug == slug, ct); n++) slug = $"{baseSlug}-{n}";
        return slug;
    }

    internal static string Slugify(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        slug = slug.Length > 50 ? slug[..50].TrimEnd('-') : slug;
        return slug.Length == 0 ? "tenant" : slug;
    }
}
