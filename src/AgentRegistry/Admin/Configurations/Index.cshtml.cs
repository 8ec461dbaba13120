using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Configurations;

public sealed record ConfigurationRow(CustomerConfiguration Configuration, string Access);

public sealed class IndexModel(RegistryDb db) : AdminListPage<ConfigurationRow>
{
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }

    public override string Title => "Customer configurations";

    protected override IQueryable<ConfigurationRow> Query(string? term) => db.CustomerConfigurations
        .Join(db.Accesses, c => c.AccessId, a => a.Id, (c, a) => new { c, Access = a.Name })
        .Where(x => term == null || x.Access.ToLower().Contains(term) || (x.c.DisplayName != null && x.c.DisplayName.ToLower().Contains(term)))
        .Where(x => Tenant == null || x.c.TenantId == Tenant)
        .OrderByDescending(x => x.c.UpdatedAt).ThenBy(x => x.c.Id)
        .Select(x => new ConfigurationRow(x.c, x.Access));

    protected override IEnumerable<Column<ConfigurationRow>> Columns() =>
    [
        new("Access", r => r.Access, r => $"/admin/configurations/details/{r.Configuration.Id}"),
        new("Display name", r => r.Configuration.DisplayName),
        new("Tone", r => r.Configuration.Tone),
        new("Version", r => r.Configuration.Version),
        new("Updated by", r => r.Configuration.UpdatedBy),
        new("Updated", r => r.Configuration.UpdatedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
        [new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString())];
}
