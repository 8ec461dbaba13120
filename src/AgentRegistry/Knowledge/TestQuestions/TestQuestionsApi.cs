using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentRegistry.Knowledge;

public sealed record TestQuestionInput(
    [property: Required, StringLength(TestQuestionInput.MaxLength, MinimumLength = 1)] string? Question,
    [property: Required, StringLength(TestQuestionInput.MaxLength, MinimumLength = 1)] string? ExpectedAnswer)
{
    public const int MaxLength = 2000;
}

/// <summary>A passage a test question found: where it stands and what it says.</summary>
public sealed record TestPassage(Guid DocumentId, string DocumentTitle, string HeadingPath, string Text, float Score);

/// <param name="Passed">Null until the question has run: whether the passages found hold the expected answer.</param>
public sealed record TestQuestionView(Guid Id, Guid AccessId, string Question, string ExpectedAnswer, DateTime CreatedAt,
    DateTime? LastRunAt, bool? Passed, string? Answer, IReadOnlyList<TestPassage> Passages);

public sealed record TestRun(DateTime RunAt, int Passed, int Failed, IReadOnlyList<TestQuestionView> Questions);

/// <summary>Test questions under the access's routes, with the same rules as its documents: members of its tenant.</summary>
internal static class TestQuestionsApi
{
    public static IEndpointRouteBuilder MapTestQuestions(this IEndpointRouteBuilder routes)
    {
        var questions = routes.MapGroup("/api/v1/accesses/{id:guid}/test-questions").WithTags("Test questions").RequireAuthorization(Policies.Person);
        questions.MapGet("/", List);
        questions.MapPost("/", Add);
        questions.MapDelete("/{questionId:guid}", Delete);
        questions.MapPost("/run", Run);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<TestQuestionView>>> List(Guid id, TestQuestions questions, CancellationToken ct) =>
        TypedResults.Ok(await questions.ListAsync(id, ct) ?? throw new NotFoundException("The access"));

    private static async Task<Created<TestQuestionView>> Add(Guid id, TestQuestionInput input, TestQuestions questions, CancellationToken ct)
    {
        var view = await questions.AddAsync(id, input.Question!, input.ExpectedAnswer!, ct) ?? throw new NotFoundException("The access");
        return TypedResults.Created($"/api/v1/accesses/{id}/test-questions/{view.Id}", view);
    }

    private static async Task<Results<NoContent, NotFound>> Delete(Guid id, Guid questionId, TestQuestions questions, CancellationToken ct) =>
        await questions.DeleteAsync(id, questionId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Ok<TestRun>> Run(Guid id, TestQuestions questions, CancellationToken ct) =>
        TypedResults.Ok(await questions.RunAsync(id, ct) ?? throw new NotFoundException("The access"));
}
