using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

public sealed record ConfigurationInput(
    [property: StringLength(100)] string? DisplayName,
    [property: StringLength(20000)] string? SystemInstructions,
    [property: StringLength(100)] string? Tone,
    [property: StringLength(1000)] string? WelcomeMessage,
    [property: StringLength(2000)] string? FallbackAnswer);

/// <summary>The persona in effect: the customer's overrides over the agent's defaults.</summary>
public sealed record ConfigurationView(Guid AccessId, string DisplayName, string SystemInstructions, string? Tone,
    string WelcomeMessage, string? FallbackAnswer, int Version, string? UpdatedBy, DateTime? UpdatedAt);

internal static class ConfigurationApi
{
    public static void MapConfiguration(this RouteGroupBuilder accesses)
    {
        accesses.MapGet("/{id:guid}/configuration", Get).WithTags("Persona");
        accesses.MapPut("/{id:guid}/configuration", Put).WithTags("Persona");
    }

    private static async Task<Results<Ok<ConfigurationView>, NotFound>> Get(Guid id, RegistryDb db, CancellationToken ct) =>
        await View(db, id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<ConfigurationView>, NotFound>> Put(Guid id, ConfigurationInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } access) return TypedResults.NotFound();
        var config = await db.CustomerConfigurations.FirstOrDefaultAsync(c => c.AccessId == id, ct);
        if (config is null)
        {
            config = new CustomerConfiguration { TenantId = access.TenantId, AccessId = id, Version = 0 };
            db.CustomerConfigurations.Add(config);
        }
        config.DisplayName = Blank(input.DisplayName);
        config.SystemInstructions = Blank(input.SystemInstructions);
        config.Tone = Blank(input.Tone);
        config.WelcomeMessage = Blank(input.WelcomeMessage);
        config.FallbackAnswer = Blank(input.FallbackAnswer);
        config.Version++;
        config.UpdatedBy = db.Caller.Actor;
        config.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await View(db, id, ct))!);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static async Task<ConfigurationView?> View(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var row = await db.Accesses.AsNoTracking().Where(a => a.Id == accessId)
            .Select(a => new { a.Agent!.Name, a.Agent.DefaultPersona, a.Agent.WelcomeMessage }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var c = await db.CustomerConfigurations.AsNoTracking().FirstOrDefaultAsync(x => x.AccessId == accessId, ct);
        return new ConfigurationView(accessId, c?.DisplayName ?? row.Name, c?.SystemInstructions ?? row.DefaultPersona, c?.Tone,
            c?.WelcomeMessage ?? row.WelcomeMessage, c?.FallbackAnswer, c?.Version ?? 0, c?.UpdatedBy, c?.UpdatedAt);
    }
}
