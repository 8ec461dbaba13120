using System.ClientModel;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using AgentRegistry.Metering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Chat;

public sealed record CitationView(int Number, Guid DocumentId, string Title);

public sealed record UsageView(long InputTokens, long OutputTokens);

/// <summary>One question to an access's agent. <paramref name="History"/> replaces the stored conversation (OpenAI-compatible calls).
/// <paramref name="MaxMessageChars"/>: a tighter bound of the way in (the widget's), under <see cref="ChatSettings.MaxMessageChars"/>.</summary>
public sealed record ChatRequest(Guid AccessId, Guid? ApiKeyId, Guid? WidgetId, string Message, Guid? ConversationId,
    IReadOnlyList<ChatMessage>? History = null, IReadOnlyList<string>? ExtraInstructions = null, string? VisitorId = null,
    int? MaxMessageChars = null);

public sealed record ChatResult(Guid ConversationId, Guid MessageId, string Answer, IReadOnlyList<CitationView> Citations, UsageView Usage);

/// <summary>Prepared state of one answer in progress.</summary>
public sealed class ChatTurn
{
    public required ChatRequest Request { get; init; }
    public required Persona Persona { get; init; }
    public required Guid ConversationId { get; init; }
    public required bool IsNewConversation { get; init; }
    public required IReadOnlyList<FoundPassage> Passages { get; init; }
    public required List<ChatMessage> Prompt { get; init; }
    public required GroundedChatOptions Options { get; init; }
    public required IChatClient Client { get; init; }
    public Guid MessageId { get; } = Ids.New();
    public required DateTime StartedAt { get; init; }
    public StringBuilder Answer { get; } = new();
    public UsageDetails? Usage { get; set; }
}

/// <summary>
/// Answers a message: persona and retrieval, the provider call (with timeout), then the conversation, messages and usage
/// committed together (with other answers finished at the same time) by the <see cref="ConversationWriter"/>.
/// </summary>
public sealed partial class ChatService(RegistryDb db, KnowledgeSearch search, ChatClientFactory clients, TokenCounter tokens,
    PersonaCache personas, Groundings groundings, TimeProvider clock, ConversationWriter writer, QuotaTracker quota, IOptions<ChatSettings> settings, IOptions<KnowledgeOptions> knowledge, IOptionsMonitor<LlmOptions> llm,
    ILogger<ChatService> log)
{
    public async Task<ChatTurn> PrepareAsync(ChatRequest request, CancellationToken ct)
    {
        ChatBounds.Check(request, settings.Value);
        await quota.EnsureWithinAsync(db, request.AccessId, ct);
        var persona = await personas.GetAsync(db, request.AccessId, ct);

        var history = new List<ChatMessage>();
        var conversationId = request.ConversationId ?? Ids.New();
        if (request.ConversationId is { } existing) history.AddRange(await HistoryAsync(existing, request, ct));
        if (request.History is not null) history.AddRange(request.History);

        var passages = await search.SearchAsync(persona.TenantId, persona.AccessId, request.Message, knowledge.Value.TopK, ct);
        var grounding = groundings.For(persona, passages, request.ExtraInstructions ?? []);
        var prompt = new List<ChatMessage>(history.Count + 2) { new(ChatRole.System, grounding.SystemPrompt) };
        prompt.AddRange(history);
        prompt.Add(new ChatMessage(ChatRole.User, request.Message));
        var promptTokens = grounding.SystemPromptTokens + tokens.Count(request.Message);
        foreach (var m in history) promptTokens += tokens.Count(m.Text);

        var options = new GroundedChatOptions { Persona = persona.Settings, Passages = grounding.ForAnswer, PromptTokens = promptTokens };
        // A hard output-token allowance bounds the answer too: the model cannot write (and bill) more than remains.
        if (await quota.RemainingAsync(db, request.AccessId, Metrics.OutputTokens, ct) is { } remaining)
            options.MaxOutputTokens = UsageTotals.AsInt(remaining);
        return new ChatTurn
        {
            Request = request, Persona = persona, ConversationId = conversationId, IsNewConversation = request.ConversationId is null,
            Passages = passages, Prompt = prompt, Client = clients.For(persona), Options = options, StartedAt = clock.GetUtcNow().UtcDateTime,
        };
    }

    /// <summary>
    /// The conversation's latest messages, oldest first, in one query that also proves the conversation is the
    /// caller's: the access's, and for a widget the same widget's and visitor's. Not found otherwise. A stored
    /// conversation always has messages: they are committed with it.
    /// </summary>
    private async Task<IEnumerable<ChatMessage>> HistoryAsync(Guid conversationId, ChatRequest request, CancellationToken ct)
    {
        var take = settings.Value.HistoryMessages;
        var earlier = new List<HistoryLine>(Math.Max(1, take));
        // With no history kept, one line still proves the conversation is the caller's (it is not sent to the model).
        var history = Histories.GetOrAdd(db.GetType(), _ => CompileHistory());
        await foreach (var line in history(db, conversationId, request.AccessId, request.WidgetId, request.VisitorId, Math.Max(1, take)).WithCancellation(ct))
            earlier.Add(line);
        if (earlier.Count == 0) throw new NotFoundException("The conversation");
        if (take == 0) return [];
        earlier.Reverse();
        return earlier.Select(m => new ChatMessage(m.Role == MessageRoles.User ? ChatRole.User : ChatRole.Assistant, m.Content));
    }

    private sealed record HistoryLine(string Role, string Content);

    /// <summary>Compiled once per provider's context (a compiled query keeps the model it was first run with): a follow-up's only read.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<RegistryDb, Guid, Guid, Guid?, string?, int, IAsyncEnumerable<HistoryLine>>> Histories = new();

    private static Func<RegistryDb, Guid, Guid, Guid?, string?, int, IAsyncEnumerable<HistoryLine>> CompileHistory() =>
        EF.CompileAsyncQuery((RegistryDb db, Guid conversationId, Guid accessId, Guid? widgetId, string? visitorId, int take) =>
            db.Set<Message>().AsNoTracking()
                .Where(m => m.ConversationId == conversationId && db.Set<Conversation>().Any(c => c.Id == conversationId && c.AccessId == accessId
                    && (widgetId == null || c.WidgetId == widgetId && c.VisitorId == visitorId)))
                .OrderByDescending(m => m.CreatedAt).Take(take).Select(m => new HistoryLine(m.Role, m.Content)));

    /// <summary>The answer's text pieces as the provider produces them; failures become 502/504 problems.</summary>
    public async IAsyncEnumerable<string> StreamAsync(ChatTurn turn, [EnumeratorCancellation] CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(llm.CurrentValue.TimeoutSeconds));
        var updates = turn.Client.GetStreamingResponseAsync(turn.Prompt, turn.Options, timeout.Token).GetAsyncEnumerator(timeout.Token);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync()) break;
                    update = updates.Current;
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    throw Upstream(e, turn, timeout.IsCancellationRequested);
                }
                foreach (var u in update.Contents.OfType<UsageContent>()) turn.Usage = u.Details;
                if (update.Text is { Length: > 0 } text)
                {
                    turn.Answer.Append(text);
                    yield return text;
                }
            }
        }
        finally
        {
            await updates.DisposeAsync();
        }
    }

    /// <summary>The whole answer in one provider call (non-streaming).</summary>
    public async Task CompleteAsync(ChatTurn turn, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(llm.CurrentValue.TimeoutSeconds));
        try
        {
            var response = await turn.Client.GetResponseAsync(turn.Prompt, turn.Options, timeout.Token);
            turn.Answer.Append(response.Text);
            turn.Usage = response.Usage;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw Upstream(e, turn, timeout.IsCancellationRequested);
        }
    }

    private ProblemException Upstream(Exception e, ChatTurn turn, bool timedOut)
    {
        var problem = UpstreamProblem(e, turn, timedOut);
        ChatMetrics.Message(turn.Request, problem.Kind);
        return problem;
    }

    private ProblemException UpstreamProblem(Exception e, ChatTurn turn, bool timedOut)
    {
        if (timedOut)
        {
            log.LogWarning("LLM call for agent {Agent} timed out after {Seconds} s", turn.Persona.AgentSlug, llm.CurrentValue.TimeoutSeconds);
            return new ProblemException(504, "llm-timeout", "The language model did not answer in time.");
        }
        if (e is ProblemException p) return p;
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is UpstreamRefusedException refused)
            {
                log.LogWarning("LLM call for agent {Agent} refused: {Reason}", turn.Persona.AgentSlug, refused.Message);
                return new ProblemException(502, "llm-endpoint-refused", refused.Message);
            }
        log.LogWarning("LLM call for agent {Agent} failed: {Error} {Status}", turn.Persona.AgentSlug, e.GetType().Name, (e as ClientResultException)?.Status);
        return new ProblemException(502, "llm-unavailable", "The language model failed to answer; try again shortly.");
    }

    /// <summary>Stores the conversation, both messages and the usage records in one transaction; returns once committed.</summary>
    public async Task<ChatResult> FinishAsync(ChatTurn turn)
    {
        var answer = turn.Answer.ToString();
        if (answer.Length == 0 && turn.Persona.Provider != "offline")
            throw new ProblemException(502, "llm-unavailable", "The language model returned an empty answer.");
        var input = turn.Usage?.InputTokenCount ?? turn.Options.PromptTokens;
        var output = turn.Usage?.OutputTokenCount ?? tokens.Count(answer);
        var citations = Citations(turn, answer);
        var p = turn.Persona;
        var now = clock.GetUtcNow().UtcDateTime;
        var conversation = turn.IsNewConversation
            ? new Conversation
            {
                Id = turn.ConversationId, TenantId = p.TenantId, AccessId = p.AccessId, ApiKeyId = turn.Request.ApiKeyId,
                WidgetId = turn.Request.WidgetId, VisitorId = turn.Request.VisitorId, Title = Title(turn.Request.Message), CreatedAt = turn.StartedAt, UpdatedAt = now,
            }
            : null;
        var question = new Message
        {
            TenantId = p.TenantId, ConversationId = turn.ConversationId, Role = MessageRoles.User, Content = turn.Request.Message,
            InputTokens = (int)Math.Min(int.MaxValue, input), CreatedAt = turn.StartedAt,
        };
        var reply = new Message
        {
            Id = turn.MessageId, TenantId = p.TenantId, ConversationId = turn.ConversationId, Role = MessageRoles.Assistant, Content = answer,
            OutputTokens = (int)Math.Min(int.MaxValue, output), CitationsJson = JsonSerializer.Serialize(citations.Select(c => Cited(turn, c))), CreatedAt = now.AddTicks(1),
        };
        // The answer exists and the provider's tokens are spent: it is stored even if the client has just gone away.
        await writer.WriteAsync(new AnsweredMessage(conversation, turn.ConversationId, question, reply,
            new UsageSubject(p.TenantId, p.AccessId, p.AgentId, turn.Request.ApiKeyId, turn.Request.WidgetId), input, output, now));
        quota.Add(p.AccessId, Metrics.Messages, now, 1);
        quota.Add(p.AccessId, Metrics.InputTokens, now, input);
        quota.Add(p.AccessId, Metrics.OutputTokens, now, output);
        ChatMetrics.Message(turn.Request, "answered");
        return new ChatResult(turn.ConversationId, turn.MessageId, answer, citations, new UsageView(input, output));
    }

    private static List<CitationView> Citations(ChatTurn turn, string answer)
    {
        if (turn.Options.Citations.Count > 0)
            return turn.Options.Citations.Select(c => new CitationView(c.Number, Guid.Parse(c.SourceId!), c.SourceTitle)).ToList();
        var cited = new List<CitationView>();
        foreach (Match m in Marker().Matches(answer))
        {
            var n = int.Parse(m.Groups[1].ValueSpan);
            if (n < 1 || n > turn.Passages.Count || cited.Any(c => c.Number == n)) continue;
            cited.Add(new CitationView(n, turn.Passages[n - 1].DocumentId, turn.Passages[n - 1].DocumentTitle));
        }
        return cited;
    }

    /// <summary>The citation with the passage the agent was given from that document, kept for the customer to read later.</summary>
    private static CitedPassage Cited(ChatTurn turn, CitationView c)
    {
        var passages = turn.Passages;
        var passage = c.Number >= 1 && c.Number <= passages.Count && passages[c.Number - 1].DocumentId == c.DocumentId
            ? passages[c.Number - 1] : passages.FirstOrDefault(p => p.DocumentId == c.DocumentId);
        var text = passage?.Text.Trim();
        return new CitedPassage(c.Number, c.DocumentId, c.Title, text is { Length: > 600 } ? text[..600] + "…" : text);
    }

    private static string Title(string message) => message.Length <= 80 ? message.Trim() : message[..80].Trim() + "…";

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex Marker();
}
