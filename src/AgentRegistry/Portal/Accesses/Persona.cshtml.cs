using AgentRegistry.Access;
using AgentRegistry.Chat;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Portal.Accesses;

/// <summary>A message of the persona page's try-it chat.</summary>
public sealed record TryMessage(string? Message, Guid? ConversationId);

/// <summary>One field of a persona as it was in an earlier version and as it is now.</summary>
public sealed record PersonaChange(string Field, string? Before, string? After, List<DiffLine>? Lines)
{
    public string BeforeText => string.IsNullOrEmpty(Before) ? "(default)" : Before;
    public string AfterText => string.IsNullOrEmpty(After) ? "(default)" : After;
}

/// <summary>Every persona field, a live try-it chat through the real chat pipeline, and the version history with diff and roll back.</summary>
public sealed class PersonaModel(PersonaService personas, ChatService chat, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : PortalPage
{
    public sealed class PersonaForm
    {
        public string? DisplayName { get; set; }
        public string? SystemInstructions { get; set; }
        public string? Tone { get; set; }
        public string? WelcomeMessage { get; set; }
        /// <summary>One per line.</summary>
        public string? SuggestedQuestions { get; set; }
        public string? FallbackAnswer { get; set; }
        public string? AnswerLength { get; set; } = "medium";
        public bool CitationsEnabled { get; set; } = true;
        /// <summary>One per line.</summary>
        public string? AllowedTopics { get; set; }

        public ConfigurationInput Input() => new(DisplayName, SystemInstructions, Tone, WelcomeMessage, PortalFormat.Lines(SuggestedQuestions),
            FallbackAnswer, AnswerLength, CitationsEnabled, PortalFormat.Lines(AllowedTopics));
    }

    [BindProperty] public PersonaForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public int? Compare { get; set; }
    [BindProperty(SupportsGet = true)] public int? Saved { get; set; }
    public ConfigurationView Current { get; private set; } = null!;
    public List<ConfigurationVersionView> Versions { get; private set; } = [];
    public List<PersonaChange>? Changes { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Form = new PersonaForm
        {
            DisplayName = Current.DisplayName, SystemInstructions = Current.SystemInstructions, Tone = Current.Tone,
            WelcomeMessage = Current.WelcomeMessage, SuggestedQuestions = string.Join('\n', Current.SuggestedQuestions),
            FallbackAnswer = Current.FallbackAnswer, AnswerLength = Current.AnswerLength, CitationsEnabled = Current.CitationsEnabled,
            AllowedTopics = string.Join('\n', Current.AllowedTopics),
        };
        if (Compare is { } version)
        {
            if (Versions.FirstOrDefault(v => v.Version == version) is not { } old) return NotFoundPage();
            Changes = Diff(old.Configuration, Versions[0].Configuration);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var input = Form.Input();
        Validate(input);
        ConfigurationView? saved = null;
        if (await TryAsync(async () => saved = await personas.SaveAsync(Access.Id, input, ct)))
            return Redirect($"/portal/accesses/{Access.Id}/persona?saved={saved!.Version}");
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRollbackAsync(int version, CancellationToken ct)
    {
        ConfigurationView? saved = null;
        if (await TryAsync(async () => saved = await personas.RollbackAsync(Access.Id, version, ct)))
            return Redirect($"/portal/accesses/{Access.Id}/persona?saved={saved!.Version}");
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await OnGetAsync(ct);
    }

    /// <summary>The try-it chat: the saved persona answers through the same pipeline as the API and the widget, streamed as server-sent events.</summary>
    public async Task<IActionResult> OnPostTryAsync([FromBody] TryMessage message, CancellationToken ct)
    {
        if (Access.State != AccessState.Active)
            throw new ConflictException("access-not-active", $"Only an active subscription answers; this one is {Access.State.ToString().ToLowerInvariant()}.");
        var turn = await chat.PrepareAsync(new ChatRequest(Access.Id, null, null, message.Message ?? "", message.ConversationId), ct);
        var result = await ChatResponder.RespondAsync(chat, turn, stream: true, HttpContext, json.Value.SerializerOptions, ct);
        await result.ExecuteAsync(HttpContext);
        return new EmptyResult();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Current = (await personas.GetAsync(Access.Id, ct))!;
        Versions = await personas.VersionsAsync(Access.Id, ct) ?? [];
    }

    private static List<PersonaChange> Diff(ConfigurationInput old, ConfigurationInput now)
    {
        static string Join(IEnumerable<string>? items) => string.Join('\n', items ?? []);
        var fields = new (string Field, string? Before, string? After, bool Long)[]
        {
            ("Display name", old.DisplayName, now.DisplayName, false),
            ("Instructions", old.SystemInstructions, now.SystemInstructions, true),
            ("Tone", old.Tone, now.Tone, false),
            ("Welcome message", old.WelcomeMessage, now.WelcomeMessage, true),
            ("Suggested questions", Join(old.SuggestedQuestions), Join(now.SuggestedQuestions), true),
            ("Fallback answer", old.FallbackAnswer, now.FallbackAnswer, true),
            ("Answer length", old.AnswerLength ?? "medium", now.AnswerLength ?? "medium", false),
            ("Citations", (old.CitationsEnabled ?? true) ? "on" : "off", (now.CitationsEnabled ?? true) ? "on" : "off", false),
            ("Allowed topics", Join(old.AllowedTopics), Join(now.AllowedTopics), true),
        };
        return fields.Where(f => (f.Before ?? "") != (f.After ?? ""))
            .Select(f => new PersonaChange(f.Field, f.Before, f.After, f.Long ? TextDiff.Lines(f.Before, f.After) : null)).ToList();
    }
}
