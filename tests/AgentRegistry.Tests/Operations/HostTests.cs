using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Operations;

public abstract class HostTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task HealthEndpointsAnswerWithoutSignIn()
    {
        var client = App.Anonymous();
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
        var ready = await client.GetAsync("/health/ready").Json200();
        // The suites open webhooks on purpose (Waldur:Webhooks:AllowUnprotected), which health reports; all else is healthy.
        Assert.Equal("Degraded", (string?)ready["status"]);
        Assert.Equal(["webhook-protection"], ready["checks"]!.AsObject().Where(c => (string?)c.Value!["status"] != "Healthy").Select(c => c.Key));
        Assert.Equal("Healthy", (string?)ready["checks"]!["database"]!["status"]);
        Assert.Equal("The Waldur integration is off.", (string?)ready["checks"]!["waldur"]!["description"]);
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheApi()
    {
        var doc = await App.Anonymous().GetAsync("/openapi/v1.json").Json200();
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/agents", paths);
        Assert.Contains("/api/v1/accesses/{id}/api-keys", paths);
        Assert.Contains("/v1/models", paths);
    }

    [Fact]
    public async Task UnknownRoutesAreProblemDetails()
    {
        var op = await Op();
        await op.GetAsync("/api/v1/nothing-here").Problem(404);
    }

    [Fact]
    public async Task MigrationsMatchTheModel()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run scripts/add-migration.sh <Name>.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task WrongPasswordDoesNotSignIn()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => App.SignInAsync(RegistryApp.AdminEmail, "wrong-password"));
        Assert.Contains("400", ex.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => App.SignInAsync("nobody@test.local", "wrong-password"));
    }
}

public sealed class HostOnSqlite(RegistryApp<Sqlite> app) : HostTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class HostOnPostgres(RegistryApp<Postgres> app) : HostTests(app), IClassFixture<RegistryApp<Postgres>>;
