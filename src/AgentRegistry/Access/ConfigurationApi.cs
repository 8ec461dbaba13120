using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

public sealed record ConfigurationInput(
    [property: StringLength(100)] string? DisplayName,
    [property: StringLength(20000)] string? SystemInstructions,
    [property: StringLength(100)] string? Tone,
    [property: StringLength(1000)] string? WelcomeMessage,
    [property: MaxLength(10)] List<string>? SuggestedQuestions,
    [property: StringLength(2000)] string? FallbackAnswer,
    [property: RegularExpression("^(short|medium|long)$", ErrorMessage = "Use short, medium or long.")] string? AnswerLength,
    bool? CitationsEnabled,
    [property: MaxLength(20)] List<string>? AllowedTopics);

/// <summary>The persona in effect: the customer's overrides over the agent's defaults.</summary>
public sealed record ConfigurationView(Guid AccessId, string DisplayName, string SystemInstructions, string? Tone,
    string WelcomeMessage, IReadOnlyList<string> SuggestedQuestions, string? FallbackAnswer, string AnswerLength, bool CitationsEnabled,
    IReadOnlyList<string> AllowedTopics, int Version, string? UpdatedBy, DateTime? UpdatedAt);

public sealed record ConfigurationVersionView(int Version, string ChangedBy, DateTime ChangedAt, ConfigurationInput Configuration);

public sealed record RollbackInput([property: Range(1, int.MaxValue)] int Version);

internal static class ConfigurationApi
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    public static void MapConfiguration(this RouteGroupBuilder accesses)
    {
        var persona = accesses.MapGroup("/{id:guid}/configuration").WithTags("Persona");
        persona.MapGet("/", Get);
        persona.MapPut("/", Put);
        persona.MapGet("/versions", Versions);
        persona.MapPost("/rollback", Rollback);
    }

    private static async Task<Results<Ok<ConfigurationView>, NotFound>> Get(Guid id, RegistryDb db, CancellationToken ct) =>
        await View(db, id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<ConfigurationView>, NotFound>> Put(Guid id, ConfigurationInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } access) return TypedResults.NotFound();
        await SaveAsync(db, access, input, ct);
        return TypedResults.Ok((await View(db, id, ct))!);
    }

    private static async Task<Results<Ok<List<ConfigurationVersionView>>, NotFound>> Versions(Guid id, RegistryDb db, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var versions = await db.ConfigurationVersions.AsNoTracking().Where(v => v.AccessId == id).OrderByDescending(v => v.Version).ToListAsync(ct);
        return TypedResults.Ok(versions.Select(v => new ConfigurationVersionView(v.Version, v.ChangedBy, v.ChangedAt,
            JsonSerializer.Deserialize<ConfigurationInput>(v.Snapshot, SnapshotJson)!)).ToList());
    }

    /// <summary>Saves an earlier version again as the newest one, so the rollback is itself in the history.</summary>
    private static async Task<Results<Ok<ConfigurationView>, NotFound>> Rollback(Guid id, RollbackInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } access) return TypedResults.NotFound();
        var old = await db.ConfigurationVersions.AsNoTracking().FirstOrDefaultAsync(v => v.AccessId == id && v.Version == input.Version, ct)
            ?? throw new FieldException("version", $"The persona has no version {input.Version}.");
        await SaveAsync(db, access, JsonSerializer.Deserialize<ConfigurationInput>(old.Snapshot, SnapshotJson)!, ct);
        return TypedResults.Ok((await View(db, id, ct))!);
    }

    private static async Task SaveAsync(RegistryDb db, AgentAccess access, ConfigurationInput input, CancellationToken ct)
    {
        var config = await db.CustomerConfigurations.FirstOrDefaultAsync(c => c.AccessId == access.Id, ct);
        if (config is null)
        {
            config = new CustomerConfiguration { TenantId = access.TenantId, AccessId = access.Id, Version = 0 };
            db.CustomerConfigurations.Add(config);
        }
        config.DisplayName = Blank(input.DisplayName);
        config.SystemInstructions = Blank(input.SystemInstructions);
        config.Tone = Blank(input.Tone);
        config.WelcomeMessage = Blank(input.WelcomeMessage);
        config.SuggestedQuestions = List(input.SuggestedQuestions, "suggested_questions", 200);
        config.FallbackAnswer = Blank(input.FallbackAnswer);
        config.AnswerLength = input.AnswerLength;
        config.CitationsEnabled = input.CitationsEnabled;
        config.AllowedTopics = List(input.AllowedTopics, "allowed_topics", 100);
        config.Version++;
        config.UpdatedBy = db.Caller.Actor;
        config.UpdatedAt = DateTime.UtcNow;
        db.ConfigurationVersions.Add(new ConfigurationVersion
        {
            TenantId = access.TenantId, AccessId = access.Id, Version = config.Version, ChangedBy = config.UpdatedBy, ChangedAt = config.UpdatedAt,
            Snapshot = JsonSerializer.Serialize(input with { SuggestedQuestions = config.SuggestedQuestions, AllowedTopics = config.AllowedTopics }, SnapshotJson),
        });
        await db.SaveChangesAsync(ct);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static List<string> List(List<string>? items, string field, int maxLength)
    {
        var cleaned = (items ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct().ToList();
        if (cleaned.FirstOrDefault(s => s.Length > maxLength) is not null)
            throw new FieldException(field, $"Each entry may have at most {maxLength} characters.");
        return cleaned;
    }

    private static async Task<ConfigurationView?> View(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var row = await db.Accesses.AsNoTracking().Where(a => a.Id == accessId)
            .Select(a => new { a.Agent!.Name, a.Agent.DefaultPersona, a.Agent.WelcomeMessage }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var c = await db.CustomerConfigurations.AsNoTracking().FirstOrDefaultAsync(x => x.AccessId == accessId, ct);
        return new ConfigurationView(accessId, c?.DisplayName ?? row.Name, c?.SystemInstructions ?? row.DefaultPersona, c?.Tone,
            c?.WelcomeMessage ?? row.WelcomeMessage, c?.SuggestedQuestions ?? [], c?.FallbackAnswer, c?.AnswerLength ?? "medium",
            c?.CitationsEnabled ?? true, c?.AllowedTopics ?? [], c?.Version ?? 0, c?.UpdatedBy, c?.UpdatedAt);
    }
}
