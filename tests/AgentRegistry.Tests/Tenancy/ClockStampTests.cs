using System.Globalization;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Tenancy;

/// <summary>
/// Rows are stamped by the registry's clock, not the machine's: created on a fixed date, a tenant, its access and the
/// access's key carry that date, and so do the audit entries that record them.
/// </summary>
public abstract class ClockStampTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task RowsAndTheirAuditEntriesCarryTheRegistrysDate()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var op = await Op();
        var s = await op.SubscribedTenantAsync();

        var tenant = await op.GetAsync($"/api/v1/tenants/{s.TenantId}").Json200();
        Assert.Equal(now, At(tenant["created_at"]));
        Assert.Equal(now, At(tenant["updated_at"]));
        var access = await op.GetAsync($"/api/v1/accesses/{s.AccessId}").Json200();
        Assert.Equal(now, At(access["created_at"]));
        Assert.Equal(now, At(access["state_changed_at"]));
        await op.IssueKeyAsync(s.AccessId, "chat");
        var key = (await op.GetAsync($"/api/v1/accesses/{s.AccessId}/api-keys").Json200()).AsArray().First()!;
        Assert.Equal(now, At(key["created_at"]));

        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var ids = new[] { Guid.Parse(s.TenantId), Guid.Parse(s.AccessId), Guid.Parse(s.AgentId), Guid.Parse(s.PlanId) };
        var audit = await db.AuditLogs.AsNoTracking().Where(a => ids.Contains(a.EntityId) && a.Action == "created").ToListAsync();
        Assert.Equal(4, audit.Count);
        Assert.All(audit, a => Assert.Equal(now, a.At));
        // The entry records the stamp the row was saved with, not an unset one.
        Assert.All(audit, a => Assert.Equal(now, At(JsonNode.Parse(a.Changes)!["CreatedAt"])));
    }

    private static DateTime At(JsonNode? value) =>
        DateTime.Parse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}

public sealed class ClockStampsOnSqlite(RegistryApp<Sqlite> app) : ClockStampTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class ClockStampsOnPostgres(RegistryApp<Postgres> app) : ClockStampTests(app), IClassFixture<RegistryApp<Postgres>>;
