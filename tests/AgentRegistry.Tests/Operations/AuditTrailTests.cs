using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Operations;

public abstract class AuditTrailTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task ChangesAreRecordedWithTheActorAndWithoutSecrets()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(a.AccessId);
        await op.PatchJson($"/api/v1/accesses/{a.AccessId}", new { state = "suspended" }).Json200();

        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var accessId = Guid.Parse(a.AccessId);
        var history = await db.AuditLogs.Where(l => l.EntityType == "AgentAccess" && l.EntityId == accessId).OrderBy(l => l.Id).ToListAsync();
        Assert.Equal(["created", "updated"], history.Select(h => h.Action).Take(2));
        Assert.Contains("\"State\":\"Suspended\"", history[^1].Changes);
        Assert.All(history, h => Assert.Equal(RegistryApp.AdminEmail, h.Actor));
        Assert.All(history, h => Assert.Equal(Guid.Parse(a.TenantId), h.TenantId));

        var keyLog = await db.AuditLogs.SingleAsync(l => l.EntityType == "ApiKey" && l.TenantId == Guid.Parse(a.TenantId));
        Assert.DoesNotContain("Hash", keyLog.Changes);
        Assert.DoesNotContain(key, keyLog.Changes);
        var accounts = await db.AuditLogs.Where(l => l.EntityType == "LocalAccount").Select(l => l.Changes).ToListAsync();
        Assert.All(accounts, c => Assert.DoesNotContain("PasswordHash", c));
    }
}

public sealed class AuditTrailOnSqlite(RegistryApp<Sqlite> app) : AuditTrailTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class AuditTrailOnPostgres(RegistryApp<Postgres> app) : AuditTrailTests(app), IClassFixture<RegistryApp<Postgres>>;
