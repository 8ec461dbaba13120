using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using AgentRegistry.Identity;
using AgentRegistry.Identity.Tokens;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Knowledge.Bench;

/// <summary>
/// The retrieval evaluation: starts the registry in this process on a fresh database, trains one access on the documents
/// in eval/ through the public API (so extraction, chunking, MiniLM embedding and the keyword index are the product's),
/// then asks every question of eval/questions.tsv through the product's hybrid search and offline answer composer.
/// </summary>
internal static class RetrievalEvaluation
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var explain = args.Contains("--explain");
        var verbose = explain || args.Contains("--verbose");
        var eval = Option("--eval") ?? Path.Combine(AppContext.BaseDirectory, "eval");
        var postgres = Option("--postgres");
        var cases = EvalCase.Load(Path.Combine(eval, "questions.tsv"));
        // Questions written before any tuning on the first set and never tuned on: the check against overfitting.
        var heldOut = File.Exists(Path.Combine(eval, "heldout.tsv")) ? EvalCase.Load(Path.Combine(eval, "heldout.tsv")) : [];
        var work = Directory.CreateTempSubdirectory("agentregistry-eval-");
        var password = $"pw-{Guid.NewGuid():N}";
        var database = $"agentregistry_eval_{Guid.NewGuid():N}";
        var connection = postgres is null ? $"Data Source={Path.Combine(work.FullName, "eval.db")}" : $"{postgres};Database={database}";
        if (postgres is not null)
        {
            await using var server = new Npgsql.NpgsqlConnection(postgres);
            await server.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "AgentRegistry", ContentRootPath = work.FullName });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Database:ConnectionString"] = connection,
            ["Database:MigrateAtStartup"] = "true",
            ["Identity:BootstrapAdminEmail"] = "admin@eval.local",
            ["Identity:BootstrapAdminPassword"] = password,
            ["Knowledge:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddRegistry();
        await using var app = builder.Build();
        app.UseRegistry();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var (tenantId, accessId) = await TrainAsync(app.Services, new Uri(address), eval, [.. cases, .. heldOut]);
            var provider = postgres is null ? "SQLite" : "PostgreSQL";
            await AskAsync(app.Services, tenantId, accessId, cases, provider + ", tuning set (questions.tsv)", verbose, explain, args.Contains("--sweep"), Option("--dump"));
            if (heldOut.Count > 0) await AskAsync(app.Services, tenantId, accessId, heldOut, provider + ", held-out set (heldout.tsv)", verbose, explain, sweep: false, Option("--dump"));
            return 0;
        }
        finally
        {
            await app.StopAsync();
            if (postgres is not null)
            {
                await using var server = new Npgsql.NpgsqlConnection(postgres);
                await server.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", server);
                await drop.ExecuteNonQueryAsync();
            }
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<(Guid TenantId, Guid AccessId)> TrainAsync(IServiceProvider services, Uri address, string eval, IReadOnlyList<EvalCase> cases)
    {
        using var op = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        await using (var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("eval"))
            op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await OperatorTokenAsync(scope.ServiceProvider));
        var category = await Send(op.PostAsJsonAsync("/api/v1/categories", new { name = "Evaluation", slug = "evaluation" }));
        var agent = await Send(op.PostAsJsonAsync("/api/v1/agents", new Dictionary<string, object?>
        {
            ["category_id"] = Id(category), ["name"] = "Evaluator", ["slug"] = "evaluator", ["description"] = "Answers from the evaluation documents",
            ["default_persona"] = "You answer from the documents.",
        }));
        var plan = await Send(op.PostAsJsonAsync($"/api/v1/agents/{Id(agent)}/plans", new Dictionary<string, object?>
        {
            ["name"] = "Eval", ["unit"] = "month", ["unit_price"] = 1m,
            ["components"] = new object[] { new Dictionary<string, object?> { ["type"] = "messages", ["name"] = "Messages", ["measured_unit"] = "messages", ["billing_type"] = "usage", ["price"] = 0.01m } },
        }));
        var tenant = await Send(op.PostAsJsonAsync("/api/v1/tenants", new { name = "Eval", slug = "eval" }));
        var project = await Send(op.PostAsJsonAsync($"/api/v1/tenants/{Id(tenant)}/projects", new { name = "Eval" }));
        var access = await Send(op.PostAsJsonAsync("/api/v1/accesses", new Dictionary<string, object?>
            { ["project_id"] = Id(project), ["agent_id"] = Id(agent), ["plan_id"] = Id(plan) }));
        var documents = $"/api/v1/accesses/{Id(access)}/documents";
        var watch = Stopwatch.StartNew();
        var ids = new List<string>();
        foreach (var file in cases.Select(c => c.Document).Where(d => d != "*").Distinct())
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(eval, file))), "file", file } };
            ids.Add(Id(await Send(op.PostAsync(documents, form))));
        }
        var deadline = DateTime.UtcNow.AddMinutes(5);
        foreach (var id in ids)
        {
            while (true)
            {
                var doc = await Send(op.GetAsync($"{documents}/{id}"));
                var status = (string?)doc["status"];
                if (status == "ready") break;
                if (status == "failed" || DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"Document {doc["file_name"]} ended {status}: {doc["failure_reason"]}");
                await Task.Delay(100);
            }
        }
        Console.WriteLine($"trained on {ids.Count} documents in {watch.Elapsed.TotalSeconds:F1} s");
        return (Guid.Parse(Id(tenant)), Guid.Parse(Id(access)));
    }

    private static async Task<int> AskAsync(IServiceProvider services, Guid tenantId, Guid accessId, IReadOnlyList<EvalCase> cases, string provider,
        bool verbose, bool explain, bool sweep, string? dumpPath = null)
    {
        if (sweep)
        {
            Console.WriteLine("ranking sweep (answerable questions): depth fusion-k vector-weight keyword-weight pieces -> R@1 R@3 R@5 MRR, R@3 of paraphrases");
            foreach (var k in new[] { 5, 20, 60 })
                foreach (var (v, w) in new[] { (1.0, 1.0), (1.0, 0.5), (1.0, 1.5), (1.0, 2.0) })
                foreach (var pieces in new[] { true, false })
                {
                    var ranking = new RankingOptions(20, k, v, w, pieces);
                    var (found, _) = await SearchAllAsync(services, tenantId, accessId, cases, ranking);
                    var ranks = cases.Select((c, i) => (c, rank: Rank(c, found[i]))).Where(x => x.c.Passage.Length > 0).ToList();
                    var para = ranks.Where(x => x.c.Kind == "paraphrase").ToList();
                    Console.WriteLine($"  {ranking.Depth,3} {k,3} {v,4:F1} {w,4:F1} {(pieces ? "yes" : "no "),3} -> {ranks.Count(x => x.rank is > 0 and <= 1) / (double)ranks.Count:F2} " +
                        $"{ranks.Count(x => x.rank is > 0 and <= 3) / (double)ranks.Count:F2} {ranks.Count(x => x.rank > 0) / (double)ranks.Count:F2} " +
                        $"{ranks.Average(x => x.rank > 0 ? 1.0 / x.rank : 0):F2}  {para.Count(x => x.rank is > 0 and <= 3) / (double)para.Count:F2}");
                }
        }

        var (passages, searchTimes) = await SearchAllAsync(services, tenantId, accessId, cases, RankingOptions.Default);
        var persona = new PersonaSettings("Evaluator", "I don't know.");
        if (sweep)
        {
            Console.WriteLine("answer sweep: min-relevance min-similarity relative-cutoff -> fact (answerable), fallback (unanswerable), fallback (answerable)");
            foreach (var relevance in new[] { 0.1, 0.15, 0.2, 0.25, 0.3 })
                foreach (var similarity in new[] { 0.4, 0.5, 2.0 })
                    foreach (var cutoff in new[] { 0.5, 0.7, 0.85 })
                    {
                        var options = new AnswerComposerOptions { MinRelevance = relevance, MinSimilarity = similarity, RelativeCutoff = cutoff };
                        var sweepComposer = new OfflineAnswerComposer(options);
                        var answers = cases.Select((c, i) => (c, a: sweepComposer.Compose(c.Question, persona, passages[i].Select(p => p.ForAnswer()).ToList()))).ToList();
                        var answerable = answers.Where(x => x.c.Passage.Length > 0).ToList();
                        var unanswerable = answers.Where(x => x.c.Passage.Length == 0).ToList();
                        Console.WriteLine($"  {relevance,4:F2} {similarity,4:F1} {cutoff,4:F2} -> {answerable.Count(x => EvalCase.Contains(x.a.Text, x.c.Fact)) / (double)answerable.Count:F2} " +
                            $"{unanswerable.Count(x => x.a.IsFallback) / (double)unanswerable.Count:F2} {answerable.Count(x => x.a.IsFallback) / (double)answerable.Count:F2}");
                    }
            Console.WriteLine("meaning sweep: min-relevance meaning-weight meaning-floor min-piece-similarity -> fact (answerable), fallback (unanswerable), fallback (answerable)");
            foreach (var relevance in new[] { 0.2, 0.25, 0.3 })
            foreach (var weight in new[] { 0.0, 0.5, 1.0, 2.0 })
                foreach (var floor in new[] { 0.2, 0.3 })
                    foreach (var minPiece in new[] { 0.45, 0.5, 0.55, 2.0 })
                    {
                        var options = new AnswerComposerOptions { MinRelevance = relevance, MeaningWeight = weight, MeaningFloor = floor, MinPieceSimilarity = minPiece };
                        var sweepComposer = new OfflineAnswerComposer(options);
                        var answers = cases.Select((c, i) => (c, a: sweepComposer.Compose(c.Question, persona, passages[i].Select(p => p.ForAnswer()).ToList()))).ToList();
                        var answerable = answers.Where(x => x.c.Passage.Length > 0).ToList();
                        var unanswerable = answers.Where(x => x.c.Passage.Length == 0).ToList();
                        Console.WriteLine($"  {relevance,4:F2} {weight,4:F2} {floor,4:F1} {minPiece,4:F2} -> {answerable.Count(x => EvalCase.Contains(x.a.Text, x.c.Fact)) / (double)answerable.Count:F2} " +
                            $"{unanswerable.Count(x => x.a.IsFallback) / (double)unanswerable.Count:F2} {answerable.Count(x => x.a.IsFallback) / (double)answerable.Count:F2}");
                    }
        }

        var composer = services.GetRequiredService<OfflineAnswerComposer>();
        await using var dump = dumpPath is null ? null : new StreamWriter(dumpPath, append: true);
        var results = new List<EvalResult>();
        var composeTimes = new List<double>();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var found = passages[i];
            var forAnswer = found.Select(p => p.ForAnswer()).ToList();
            composer.Compose(c.Question, persona, forAnswer);
            var t1 = Stopwatch.GetTimestamp();
            var answer = composer.Compose(c.Question, persona, forAnswer);
            composeTimes.Add(Stopwatch.GetElapsedTime(t1).TotalMicroseconds);
            var rank = Rank(c, found);
            var result = new EvalResult(c, rank, answer.Text, answer.IsFallback, c.Fact.Length > 0 && EvalCase.Contains(answer.Text, c.Fact));
            results.Add(result);
            if (verbose && (!result.Good || c.Passage.Length == 0))
                Console.WriteLine($"  {(result.Good ? "OK" : "MISS")} [{c.Kind}] {c.Question}\n     rank {rank}; cosine {found.Select(p => p.VectorScore ?? 0).DefaultIfEmpty().Max():F2}; best piece {found.SelectMany(p => p.PieceSimilarities ?? []).DefaultIfEmpty().Max():F2}; answer: {answer.Text.Replace('\n', ' ')[..Math.Min(240, answer.Text.Length)]}");
            if (explain && (!result.Good || c.Passage.Length == 0)) Explain(composer, c, found);
            dump?.WriteLine($"{c.Question}\t{rank}\t{answer.Text.Replace('\n', ' ')}\n" + string.Concat(found.Select(p =>
                $"    {p.DocumentTitle} > {p.HeadingPath} | {p.Text.Replace('\n', ' ')[..Math.Min(40, p.Text.Replace('\n', ' ').Length)]} | v {p.VectorScore:F6} k {p.KeywordScore:F4} f {p.FusedScore:F6}\n")));
        }

        Console.WriteLine($"retrieval evaluation on {provider}: {cases.Count} questions over {cases.Select(c => c.Document).Distinct().Count(d => d != "*")} documents");
        Console.WriteLine("  kind           n   R@1   R@3   R@5   MRR  fact  fallback");
        foreach (var group in results.GroupBy(r => r.Case.Kind).Append(results.Where(r => r.Case.Passage.Length > 0).GroupBy(_ => "answerable").Single()))
        {
            var answerable = group.Where(r => r.Case.Passage.Length > 0).ToList();
            string Share(Func<EvalResult, bool> f, IReadOnlyCollection<EvalResult> of) => of.Count == 0 ? "    -" : $"{of.Count(f) / (double)of.Count,5:F2}";
            Console.WriteLine($"  {group.Key,-12} {group.Count(),3} {Share(r => r.Rank is > 0 and <= 1, answerable)} {Share(r => r.Rank is > 0 and <= 3, answerable)} " +
                $"{Share(r => r.Rank is > 0 and <= 5, answerable)} {(answerable.Count == 0 ? "    -" : $"{answerable.Average(r => r.Rank > 0 ? 1.0 / r.Rank : 0),5:F2}")} " +
                $"{Share(r => r.ContainsFact, answerable)}    {Share(r => r.IsFallback, group.ToList())}");
        }
        Console.WriteLine($"  search (query embedding + vector + keywords + fusion): p50 {P(searchTimes, 50):F2} ms  p95 {P(searchTimes, 95):F2} ms");
        Console.WriteLine($"  offline answer composition: p50 {P(composeTimes, 50):F0} µs  p95 {P(composeTimes, 95):F0} µs");
        return 0;
    }

    private static async Task<(List<IReadOnlyList<FoundPassage>> Found, List<double> Times)> SearchAllAsync(IServiceProvider services, Guid tenantId,
        Guid accessId, IReadOnlyList<EvalCase> cases, RankingOptions ranking)
    {
        var found = new List<IReadOnlyList<FoundPassage>>();
        var times = new List<double>();
        foreach (var c in cases)
        {
            await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("eval");
            var search = scope.ServiceProvider.GetRequiredService<KnowledgeSearch>();
            var t0 = Stopwatch.GetTimestamp();
            found.Add(await search.SearchAsync(tenantId, accessId, c.Question, 5, ranking, CancellationToken.None));
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return (found, times);
    }

    /// <summary>What was ranked (passage, its scores) and how the composer weighed the pieces, for a question that missed.</summary>
    private static void Explain(OfflineAnswerComposer composer, EvalCase c, IReadOnlyList<FoundPassage> found)
    {
        static string Cut(string text, int n) => text.Replace('\n', ' ').Length <= n ? text.Replace('\n', ' ') : text.Replace('\n', ' ')[..n] + "…";
        for (var i = 0; i < found.Count; i++)
        {
            var p = found[i];
            Console.WriteLine($"       #{i + 1} {(EvalCase.Contains(p.Text, c.Passage) && c.Passage.Length > 0 ? "*" : " ")} fused {p.FusedScore:F4} vector {p.VectorScore?.ToString("F3") ?? "-"} keyword {p.KeywordScore?.ToString("F3") ?? "-"} piece {(p.PieceSimilarities ?? []).DefaultIfEmpty().Max():F3} [{p.DocumentTitle} > {p.HeadingPath}] {Cut(p.Text, 90)}");
        }
        foreach (var x in composer.Explain(c.Question, found.Select(p => p.ForAnswer()).ToList()).Take(6))
            Console.WriteLine($"         {(c.Fact.Length > 0 && EvalCase.Contains(x.Text, c.Fact) ? "*" : " ")} score {x.Score:F3} words {x.Relevance:F3} cosine {x.Similarity:F3} {Cut(x.Text, 100)}");
    }

    /// <summary>
    /// 1-based rank of the first passage holding the expected text under its headings (a heading can state the fact: "Overall
    /// Status: 8/11 Tasks Complete"); 0 when none of the five does.
    /// </summary>
    private static int Rank(EvalCase c, IReadOnlyList<FoundPassage> found)
    {
        if (c.Passage.Length == 0) return 0;
        for (var i = 0; i < found.Count; i++)
            if (EvalCase.Contains(found[i].HeadingPath + "\n" + found[i].Text, c.Passage)) return i + 1;
        return 0;
    }

    private static async Task<string> OperatorTokenAsync(IServiceProvider sp)
    {
        var admin = await sp.GetRequiredService<RegistryDb>().LocalAccounts.AsNoTracking().Where(a => a.Role == Roles.Operator).FirstAsync();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new(ClaimTypes.NameIdentifier, admin.Id.ToString()), new(RegistryClaims.Actor, admin.Email), new(ClaimTypes.Role, admin.Role)], "eval"));
        return (await sp.GetRequiredService<PersonalAccessTokens>().IssueAsync(principal, "eval", [TokenScopes.Write], 1, CancellationToken.None)).Secret;
    }

    private static async Task<JsonNode> Send(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Id(JsonNode node) => (string)node["id"]!;

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <param name="Kind">literal (the question's words are in the text), paraphrase, unseen (its content words are not), unanswerable.</param>
/// <param name="Passage">Text the passage that answers must contain (compared on letters and digits only, a table row cell by
/// cell); empty when unanswerable.</param>
/// <param name="Fact">Text the answer must contain (compared the same way).</param>
internal sealed record EvalCase(string Document, string Kind, string Question, string Passage, string Fact)
{
    public static IReadOnlyList<EvalCase> Load(string path) => File.ReadLines(path).Skip(1).Where(l => l.Length > 0)
        .Select(l => l.Split('\t')).Select(f => new EvalCase(f[0], f[1], f[2], f.ElementAtOrDefault(3) ?? "", f.ElementAtOrDefault(4) ?? "")).ToList();

    /// <summary>Table cells ("| Weight | 180 g |") are looked for one by one: the row may be written in another form.</summary>
    public static bool Contains(string text, string expected)
    {
        var letters = Letters(text);
        return expected.Split('|').Select(Letters).Where(p => p.Length > 0).All(p => letters.Contains(p, StringComparison.Ordinal));
    }

    private static string Letters(string text) => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}

internal sealed record EvalResult(EvalCase Case, int Rank, string Answer, bool IsFallback, bool ContainsFact)
{
    public bool Good => Case.Passage.Length == 0 ? IsFallback : Rank is > 0 and <= 3 && ContainsFact;
}
