using AgentRegistry.Access;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Knowledge;

/// <summary>
/// The test questions of an access: keep, list, delete and run them. A question passes when the passages retrieval
/// finds for it (what any provider answers from) hold the expected answer, compared on letters and digits only, so
/// "14 days" matches "within 14 days." and a table row's "Warranty: 3 years" matches "3 years". The offline answer is
/// kept beside it. Null answers mean the access is not the caller's to see.
/// </summary>
public sealed class TestQuestions(RegistryDb db, KnowledgeSearch search, OfflineAnswerComposer composer, IOptions<KnowledgeOptions> options,
    TimeProvider clock)
{
    /// <summary>Each question runs a search; a bound keeps a run (and a run after every document change) short.</summary>
    public const int MaxPerAccess = 100;

    public async Task<IReadOnlyList<TestQuestionView>?> ListAsync(Guid accessId, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == accessId, ct)) return null;
        return (await db.TestQuestions.AsNoTracking().Where(q => q.AccessId == accessId).OrderBy(q => q.CreatedAt).ThenBy(q => q.Id).ToListAsync(ct))
            .Select(View).ToList();
    }

    public async Task<TestQuestionView?> AddAsync(Guid accessId, string question, string expectedAnswer, CancellationToken ct)
    {
        if (await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accessId, ct) is not { } access) return null;
        if (await db.TestQuestions.CountAsync(q => q.AccessId == accessId, ct) >= MaxPerAccess)
            throw new ConflictException("test-questions-limit", $"An access keeps at most {MaxPerAccess} test questions; delete one first.");
        var row = new TestQuestion
        {
            TenantId = access.TenantId, AccessId = accessId, Question = question.Trim(), ExpectedAnswer = expectedAnswer.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.TestQuestions.Add(row);
        await db.SaveChangesAsync(ct);
        return View(row);
    }

    public async Task<bool> DeleteAsync(Guid accessId, Guid questionId, CancellationToken ct) =>
        await db.TestQuestions.Where(q => q.Id == questionId && q.AccessId == accessId).ExecuteDeleteAsync(ct) == 1;

    /// <summary>Runs every question of the access and stores each result; null when the access is not the caller's.</summary>
    public async Task<TestRun?> RunAsync(Guid accessId, CancellationToken ct)
    {
        if (await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accessId, ct) is not { } access) return null;
        var rows = await db.TestQuestions.Where(q => q.AccessId == accessId).OrderBy(q => q.CreatedAt).ThenBy(q => q.Id).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var persona = new PersonaSettings("Assistant", "I don't know.");
        foreach (var row in rows)
        {
            var found = await search.SearchAsync(access.TenantId, accessId, row.Question, options.Value.TopK, ct);
            var passages = found.Select(p => new TestPassage(p.DocumentId, p.DocumentTitle, p.HeadingPath, p.Text, p.FusedScore)).ToList();
            row.LastRunAt = now;
            row.LastPassed = found.Any(p => Holds(p.Text, row.ExpectedAnswer));
            row.LastAnswer = composer.Compose(row.Question, persona, found.Select(p => p.ForAnswer()).ToList()).Text;
            row.LastPassages = JsonSerializer.Serialize(passages);
        }

        await db.SaveChangesAsync(ct);
        var views = rows.Select(View).ToList();
        return new TestRun(now, views.Count(v => v.Passed == true), views.Count(v => v.Passed == false), views);
    }

    /// <summary>Whether <paramref name="text"/> holds <paramref name="expected"/>, on letters and digits only, case ignored.</summary>
    public static bool Holds(string text, string expected)
    {
        var wanted = Letters(expected);
        return wanted.Length > 0 && Letters(text).Contains(wanted, StringComparison.Ordinal);
    }

    private static string Letters(string text) => string.Concat(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant));

    private static TestQuestionView View(TestQuestion q) => new(q.Id, q.AccessId, q.Question, q.ExpectedAnswer, q.CreatedAt, q.LastRunAt,
        q.LastPassed, q.LastAnswer, q.LastPassages is null ? [] : JsonSerializer.Deserialize<List<TestPassage>>(q.LastPassages) ?? []);
}
