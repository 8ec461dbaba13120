using AgentRegistry.Knowledge;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Portal.Accesses;

/// <summary>
/// The access's test questions: each with the answer the customer expects, added and deleted here, run on demand (and
/// after every document change), with the last run's verdict, the answer given and the passages found.
/// </summary>
public sealed class TestQuestionsModel(TestQuestions questions) : PortalPage
{
    public sealed class QuestionForm
    {
        public string? Question { get; set; }
        public string? ExpectedAnswer { get; set; }
    }

    [BindProperty] public QuestionForm Form { get; set; } = new();
    /// <summary>What the last post did ("added", "deleted", "ran"), for the notice after its redirect.</summary>
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }
    public IReadOnlyList<TestQuestionView> Questions { get; private set; } = [];
    public int Passed => Questions.Count(q => q.Passed == true);
    public int Failed => Questions.Count(q => q.Passed == false);
    public int MaxPerAccess => TestQuestions.MaxPerAccess;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var input = new TestQuestionInput(Form.Question, Form.ExpectedAnswer);
        Validate(input);
        if (await TryAsync(async () => await questions.AddAsync(Access.Id, input.Question!, input.ExpectedAnswer!, ct)))
            return Redirect($"/portal/accesses/{Access.Id}/test-questions?done=added");
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid questionId, CancellationToken ct) =>
        await questions.DeleteAsync(Access.Id, questionId, ct) ? Redirect($"/portal/accesses/{Access.Id}/test-questions?done=deleted") : NotFoundPage();

    public async Task<IActionResult> OnPostRunAsync(CancellationToken ct) =>
        await questions.RunAsync(Access.Id, ct) is null ? NotFoundPage() : Redirect($"/portal/accesses/{Access.Id}/test-questions?done=ran");

    private async Task LoadAsync(CancellationToken ct) => Questions = await questions.ListAsync(Access.Id, ct) ?? [];

    public static string Verdict(TestQuestionView q) => q.Passed switch { true => "passes", false => "fails", null => "not run yet" };

    public static string VerdictClass(TestQuestionView q) => q.Passed switch { true => "passed", false => "failed", null => "queued" };
}
