using System.Text.Json;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

/// <summary>
/// The persona of an access (the customer's configuration over the agent's defaults) and its versions; the REST API
/// and the portal both call it. Every save is a new version, and a rollback saves an old version anew. Null answers
/// mean the access is not the caller's to see.
/// </summary>
public sealed class PersonaService(RegistryDb db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    /// <summary>The persona in effect.</summary>
    public async Task<ConfigurationView?> GetAsync(Guid accessId, CancellationToken ct)
    {
        var row = await db.Accesses.AsNoTracking().Where(a => a.Id == accessId)
            .Select(a => new { a.Agent!.Name, a.Agent.DefaultPersona, a.Agent.WelcomeMessage }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var c = await db.CustomerConfigurations.AsNoTracking().FirstOrDefaultAsync(x => x.AccessId == accessId, ct);
        return new ConfigurationView(accessId, c?.DisplayName ?? row.Name, c?.SystemInstructions ?? row.DefaultPersona, c?.Tone,
            c?.WelcomeMessage ?? row.WelcomeMessage, c?.SuggestedQuestions ?? [], c?.FallbackAnswer, c?.AnswerLength ?? "medium",
            c?.CitationsEnabled ?? true, c?.AllowedTopics ?? [], c?.Version ?? 0, c?.UpdatedBy, c?.UpdatedAt);
    }

    public async Task<ConfigurationView?> SaveAsync(Guid accessId, ConfigurationInput input, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == accessId, ct) is not { } access) return null;
        await SaveAsync(access, input, ct);
        return await GetAsync(accessId, ct);
    }

    /// <summary>Every saved version, newest first.</summary>
    public async Task<List<ConfigurationVersionView>?> VersionsAsync(Guid accessId, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == accessId, ct)) return null;
        var versions = await db.ConfigurationVersions.AsNoTracking().Where(v => v.AccessId == accessId).OrderByDescending(v => v.Version).ToListAsync(ct);
        return versions.Select(v => new ConfigurationVersionView(v.Version, v.ChangedBy, v.ChangedAt,
            JsonSerializer.Deserialize<ConfigurationInput>(v.Snapshot, SnapshotJson)!)).ToList();
    }

    /// <summary>Saves an earlier version again as the newest one, so the rollback is itself in the history.</summary>
    public async Task<ConfigurationView?> RollbackAsync(Guid accessId, int version, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == accessId, ct) is not { } access) return null;
        var old = await db.ConfigurationVersions.AsNoTracking().FirstOrDefaultAsync(v => v.AccessId == accessId && v.Version == version, ct)
            ?? throw new FieldException("version", $"The persona has no version {version}.");
        await SaveAsync(access, JsonSerializer.Deserialize<ConfigurationInput>(old.Snapshot, SnapshotJson)!, ct);
        return await GetAsync(accessId, ct);
    }

    private async Task SaveAsync(AgentAccess access, ConfigurationInput input, CancellationToken ct)
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
        config.UpdatedAt = clock.GetUtcNow().UtcDateTime;
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
}
