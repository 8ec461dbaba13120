using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

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
    public static void MapConfiguration(this RouteGroupBuilder accesses)
    {
        var persona = accesses.MapGroup("/{id:guid}/configuration").WithTags("Persona");
        persona.MapGet("/", Get);
        persona.MapPut("/", Put);
        persona.MapGet("/versions", Versions);
        persona.MapPost("/rollback", Rollback);
    }

    private static async Task<Results<Ok<ConfigurationView>, NotFound>> Get(Guid id, PersonaService personas, CancellationToken ct) =>
        await personas.GetAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<ConfigurationView>, NotFound>> Put(Guid id, ConfigurationInput input, PersonaService personas, CancellationToken ct) =>
        await personas.SaveAsync(id, input, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<List<ConfigurationVersionView>>, NotFound>> Versions(Guid id, PersonaService personas, CancellationToken ct) =>
        await personas.VersionsAsync(id, ct) is { } versions ? TypedResults.Ok(versions) : TypedResults.NotFound();

    private static async Task<Results<Ok<ConfigurationView>, NotFound>> Rollback(Guid id, RollbackInput input, PersonaService personas, CancellationToken ct) =>
        await personas.RollbackAsync(id, input.Version, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
}
