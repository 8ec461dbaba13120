using AgentRegistry.Access;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Chat;

/// <summary>Where a conversation came from: a widget on the customer's site, an API key, or the portal's try-it chat.</summary>
public static class ConversationSources
{
    public const string Widget = "widget";
    public const string Api = "api";
    public const string Portal = "portal";
}

public sealed record ConversationSummary(Guid Id, Guid AccessId, string Title, string Source, Guid? WidgetId, string? WidgetName,
    Guid? ApiKeyId, string? ApiKeyName, int MessageCount, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A passage an answer cited: its number in the answer, the document and the words the agent was given.</summary>
public sealed record CitedPassage(int Number, Guid DocumentId, string Title, string? Excerpt = null);

public sealed record TranscriptMessage(Guid Id, string Role, string Content, IReadOnlyList<CitedPassage> Citations, int InputTokens,
    int OutputTokens, DateTime CreatedAt);

public sealed record ConversationTranscript(ConversationSummary Conversation, IReadOnlyList<TranscriptMessage> Messages);

/// <summary>The names of the widgets conversations came through, by id; the Widget feature answers (it sits above Chat).</summary>
public interface IWidgetNames
{
    Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyCollection<Guid> widgetIds, CancellationToken ct);
}

/// <summary>
/// The conversations of an access as its customer reads them: newest first, searchable by title and message text,
/// each with its transcript and the passages every answer cited. The conversations API and the portal both call it.
/// Null answers mean the access or conversation is not the caller's to see.
/// </summary>
public sealed class ConversationReader(RegistryDb db, IWidgetNames widgets)
{
    public async Task<Paged<ConversationSummary>?> ListAsync(Guid accessId, string? search, PageRequest page, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == accessId, ct)) return null;
        var conversations = db.Conversations.AsNoTracking().Where(c => c.AccessId == accessId);
        if (search?.Trim().ToLowerInvariant() is { Length: > 0 } term)
            conversations = conversations.Where(c => c.Title.ToLower().Contains(term)
                || db.Set<Message>().Any(m => m.ConversationId == c.Id && m.Content.ToLower().Contains(term)));
        var found = await Summaries(conversations.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id))
            .ToPageAsync(page, s => s, ct);
        return found with { Items = await WithWidgetNamesAsync(found.Items, ct) };
    }

    public async Task<ConversationTranscript?> GetAsync(Guid accessId, Guid conversationId, CancellationToken ct)
    {
        var summary = await Summaries(db.Conversations.AsNoTracking().Where(c => c.Id == conversationId && c.AccessId == accessId)).FirstOrDefaultAsync(ct);
        if (summary is null) return null;
        summary = (await WithWidgetNamesAsync([summary], ct))[0];
        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId).OrderBy(m => m.CreatedAt).ToListAsync(ct);
        return new ConversationTranscript(summary, messages.Select(m => new TranscriptMessage(m.Id, m.Role, m.Content, Citations(m.CitationsJson),
            m.InputTokens, m.OutputTokens, m.CreatedAt)).ToList());
    }

    private IQueryable<ConversationSummary> Summaries(IQueryable<Conversation> conversations) => conversations.Select(c => new ConversationSummary(
        c.Id, c.AccessId, c.Title,
        c.WidgetId != null ? ConversationSources.Widget : c.ApiKeyId != null ? ConversationSources.Api : ConversationSources.Portal,
        c.WidgetId, null,
        c.ApiKeyId, db.Set<ApiKey>().Where(k => k.Id == c.ApiKeyId).Select(k => k.Name).FirstOrDefault(),
        db.Set<Message>().Count(m => m.ConversationId == c.Id), c.CreatedAt, c.UpdatedAt));

    private async Task<IReadOnlyList<ConversationSummary>> WithWidgetNamesAsync(IReadOnlyList<ConversationSummary> summaries,
        CancellationToken ct)
    {
        var ids = summaries.Where(s => s.WidgetId is not null).Select(s => s.WidgetId!.Value).Distinct().ToList();
        if (ids.Count == 0) return summaries;
        var names = await widgets.NamesAsync(ids, ct);
        return summaries.Select(s => s.WidgetId is { } id ? s with { WidgetName = names.GetValueOrDefault(id) } : s).ToList();
    }

    /// <summary>The citations stored with an answer (answers stored before excerpts were kept have none).</summary>
    internal static IReadOnlyList<CitedPassage> Citations(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try { return JsonSerializer.Deserialize<List<CitedPassage>>(json) ?? []; }
        catch (JsonException) { return []; }
    }
}
