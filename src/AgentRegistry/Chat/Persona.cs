using AgentRegistry.Access;
using System.Text;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Chat;

/// <summary>The persona in effect for one access: the customer's configuration over the agent's defaults, plus provider settings.</summary>
public sealed record Persona(Guid AccessId, Guid TenantId, Guid AgentId, string AgentSlug, string DisplayName, string Instructions,
    string? Tone, string FallbackAnswer, string Provider, string? Model, string? Endpoint,
    AnswerLength AnswerLength = AnswerLength.Medium, bool CitationsEnabled = true, IReadOnlyList<string>? AllowedTopics = null)
{
    public static async Task<Persona> LoadAsync(RegistryDb db, Guid accessId, string defaultFallback, CancellationToken ct)
    {
        var row = await db.Accesses.AsNoTracking().Where(a => a.Id == accessId)
            .Select(a => new { a.TenantId, a.AgentId, a.Agent!.Slug, a.Agent.Name, a.Agent.DefaultPersona, a.Agent.Provider, a.Agent.Model, a.Agent.Endpoint })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The access");
        var c = await db.CustomerConfigurations.AsNoTracking().FirstOrDefaultAsync(x => x.AccessId == accessId, ct);
        return new Persona(accessId, row.TenantId, row.AgentId, row.Slug, c?.DisplayName ?? row.Name, c?.SystemInstructions ?? row.DefaultPersona,
            c?.Tone, c?.FallbackAnswer ?? defaultFallback, row.Provider, row.Model, row.Endpoint,
            Enum.TryParse<AnswerLength>(c?.AnswerLength, ignoreCase: true, out var length) ? length : AnswerLength.Medium,
            c?.CitationsEnabled ?? true, c?.AllowedTopics);
    }

    public PersonaSettings Settings => new(DisplayName, FallbackAnswer, AnswerLength, CitationsEnabled);

    /// <summary>The system prompt: who the agent is, how it speaks, and the numbered passages it must answer from.</summary>
    public string SystemPrompt(IReadOnlyList<FoundPassage> passages, IEnumerable<string> extra)
    {
        var s = new StringBuilder();
        s.Append("You are ").Append(DisplayName).Append(".\n");
        if (!string.IsNullOrWhiteSpace(Instructions)) s.Append(Instructions.Trim()).Append('\n');
        if (!string.IsNullOrWhiteSpace(Tone)) s.Append("Tone: ").Append(Tone.Trim()).Append(".\n");
        if (AllowedTopics is { Count: > 0 } topics)
            s.Append("Only discuss these subjects: ").Append(string.Join(", ", topics)).Append(". For anything else, give the fallback reply.\n");
        s.Append(AnswerLength switch
        {
            AnswerLength.Short => "Answer in one or two sentences.\n",
            AnswerLength.Long => "Answer thoroughly.\n",
            _ => "Answer in a short paragraph.\n",
        });
        foreach (var e in extra) s.Append(e.Trim()).Append('\n');
        s.Append("Answer using only the numbered passages below, citing them as [n]. If they do not contain the answer, reply exactly: \"")
            .Append(FallbackAnswer).Append("\"\n\nPassages:\n");
        for (var i = 0; i < passages.Count; i++)
        {
            var p = passages[i];
            s.Append('[').Append(i + 1).Append("] ").Append(p.DocumentTitle);
            if (p.HeadingPath.Length > 0) s.Append(" > ").Append(p.HeadingPath);
            s.Append('\n').Append(p.Text.Trim()).Append("\n\n");
        }
        if (passages.Count == 0) s.Append("(none)\n");
        return s.ToString();
    }
}
