using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Turns queued documents into searchable chunks: extract, chunk, embed in batches, store. Safe across replicas: a
/// document is claimed with a conditional UPDATE that only one worker can win, and a claim expires, so a document left
/// in processing by a crashed worker is taken up again.
/// </summary>
internal sealed class DocumentProcessor(
    IServiceScopeFactory scopes, DocumentQueue queue, DocumentTextReader reader, DocumentChunker chunker,
    IEmbeddingGenerator<string, Embedding<float>> embeddings, IOptions<KnowledgeOptions> options,
    TimeProvider clock, ILogger<DocumentProcessor> log) : BackgroundService
{
    private const int EmbeddingBatch = 32;
    private KnowledgeOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var claimed = await ClaimAsync(stop);
                if (claimed.Count > 0)
                {
                    await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Options.Concurrency, CancellationToken = stop },
                        async (id, ct) => await ProcessAsync(id, ct));
                    continue;
                }
                await queue.WaitAsync(Options.PollInterval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception e)
            {
                log.LogError(e, "Document pipeline pass failed; retrying after the poll interval");
                await Task.Delay(Options.PollInterval, clock, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Claims up to <see cref="KnowledgeOptions.Concurrency"/> documents; each claim is one atomic conditional UPDATE.</summary>
    private async Task<List<Guid>> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("document-pipeline");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.TrainingDocuments.AsNoTracking()
            .Where(d => (d.Status == DocumentStatus.Queued && (d.NotBefore == null || d.NotBefore <= now))
                        || (d.Status == DocumentStatus.Processing && d.LockedUntil < now))
            .OrderBy(d => d.CreatedAt).Select(d => d.Id).Take(Options.Concurrency * 2).ToListAsync(ct);
        var claimed = new List<Guid>();
        foreach (var id in candidates)
        {
            var until = now + Options.LockDuration;
            var won = await db.TrainingDocuments
                .Where(d => d.Id == id && ((d.Status == DocumentStatus.Queued && (d.NotBefore == null || d.NotBefore <= now))
                                           || (d.Status == DocumentStatus.Processing && d.LockedUntil < now)))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DocumentStatus.Processing)
                    .SetProperty(d => d.LockedUntil, until).SetProperty(d => d.Attempts, d => d.Attempts + 1)
                    .SetProperty(d => d.UpdatedAt, now), ct);
            if (won == 1) claimed.Add(id);
            if (claimed.Count == Options.Concurrency) break;
        }
        return claimed;
    }

    private async Task ProcessAsync(Guid id, CancellationToken stop)
    {
        await using var scope = scopes.CreateSystemScope("document-pipeline");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var document = await db.TrainingDocuments.FirstOrDefaultAsync(d => d.Id == id, stop);
        if (document is null) return;
        // The budget cancels what can be cancelled (extraction, embedding) and is checked between the steps that cannot.
        var budget = Options.ProcessingBudget;
        var started = clock.GetTimestamp();
        using var overBudget = new CancellationTokenSource(budget, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, overBudget.Token);
        var ct = linked.Token;
        void WithinBudget()
        {
            if (clock.GetElapsedTime(started) > budget) overBudget.Cancel();
            ct.ThrowIfCancellationRequested();
        }
        try
        {
            var bytes = await db.DocumentContents.Where(c => c.DocumentId == id).Select(c => c.Bytes).FirstOrDefaultAsync(ct)
                ?? throw new DocumentRejectedException(DocumentRejectionReason.Empty, "The document's content is missing.");
            var extracted = reader.Read(new MemoryStream(bytes, writable: false), document.FileName, document.ContentType, ct);
            WithinBudget();
            var pieces = chunker.Chunk(extracted);
            WithinBudget();
            if (pieces.Count == 0) throw new DocumentRejectedException(DocumentRejectionReason.Empty, "The document has no text.");

            var chunks = new List<DocumentChunk>(pieces.Count);
            for (var start = 0; start < pieces.Count; start += EmbeddingBatch)
            {
                var batch = pieces.Skip(start).Take(EmbeddingBatch).ToList();
                var vectorsOut = await embeddings.GenerateAsync(batch.Select(p => p.Text), cancellationToken: ct);
                WithinBudget();
                chunks.AddRange(batch.Select((p, i) => new DocumentChunk
                {
                    TenantId = document.TenantId, AccessId = document.AccessId, DocumentId = id, Ordinal = p.Ordinal,
                    HeadingPath = Truncate(string.Join(" > ", p.HeadingPath), 1000), Text = p.Text, Body = p.Body,
                    TokenCount = p.TokenCount, Embedding = KnowledgeModels.ToBytes(vectorsOut[i].Vector.Span),
                }));
            }
            await EmbedPiecesAsync(chunks, WithinBudget, ct);
            await StoreAsync(db, document, chunks, stop);
            KnowledgeMetrics.Processed("ready", clock.GetElapsedTime(started));
            log.LogInformation("Document {DocumentId} ready with {Chunks} chunks", id, chunks.Count);
            await RunTestQuestionsAsync(scope.ServiceProvider, document.AccessId, stop);
        }
        catch (DocumentRejectedException e)
        {
            await FinishAsync(db, document, DocumentStatus.Failed, e.Code, e.Message, null, stop);
            KnowledgeMetrics.Processed("rejected", clock.GetElapsedTime(started));
            log.LogInformation("Document {DocumentId} rejected: {Code}", id, e.Code);
        }
        catch (OperationCanceledException) when (overBudget.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // Trying again would take as long: the document fails for good, with the reason in words.
            await FinishAsync(db, document, DocumentStatus.Failed, "processing-over-budget",
                $"Processing took longer than the budget of {Describe(budget)}; split the document into smaller files, or ask an operator to raise Knowledge:ProcessingBudget.",
                null, stop);
            KnowledgeMetrics.Processed("failed", clock.GetElapsedTime(started));
            log.LogWarning("Document {DocumentId} failed: processing took longer than {Budget}", id, budget);
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            var last = document.Attempts >= Options.MaxAttempts;
            var delay = Options.RetryDelay * Math.Pow(2, Math.Max(0, document.Attempts - 1));
            await FinishAsync(db, document, last ? DocumentStatus.Failed : DocumentStatus.Queued,
                last ? "processing-failed" : null, last ? "Processing failed repeatedly; reindex to try again." : null,
                last ? null : clock.GetUtcNow().UtcDateTime + delay, stop);
            KnowledgeMetrics.Processed(last ? "failed" : "retry", clock.GetElapsedTime(started));
            log.LogWarning(e, "Document {DocumentId} failed on attempt {Attempt}", id, document.Attempts);
        }
    }

    /// <summary>A document change reruns the access's test questions, so a worse answer shows at once; a failure here is only logged.</summary>
    private async Task RunTestQuestionsAsync(IServiceProvider services, Guid accessId, CancellationToken stop)
    {
        try
        {
            await services.GetRequiredService<TestQuestions>().RunAsync(accessId, stop);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            log.LogWarning(e, "Test questions of access {AccessId} did not run after a document change", accessId);
        }
    }

    private static string Describe(TimeSpan t) =>
        t >= TimeSpan.FromMinutes(1) ? $"{t.TotalMinutes:0.#} minute(s)" : t >= TimeSpan.FromSeconds(1) ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0.###} ms";

    /// <summary>Embeds every chunk's answer pieces (sentences, list items, table rows), batched across chunks.</summary>
    private async Task EmbedPiecesAsync(List<DocumentChunk> chunks, Action withinBudget, CancellationToken ct)
    {
        var texts = chunks.Select(c => AnswerText.ForEmbedding(c.Body, c.HeadingPath)).ToList();
        var all = texts.SelectMany(t => t).OfType<string>().ToList();
        var vectorsOut = new List<ReadOnlyMemory<float>>(all.Count);
        for (var start = 0; start < all.Count; start += EmbeddingBatch)
        {
            var batch = await embeddings.GenerateAsync(all.Skip(start).Take(EmbeddingBatch), cancellationToken: ct);
            vectorsOut.AddRange(batch.Select(e => e.Vector));
            withinBudget();
        }
        var next = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var bytes = new byte[texts[i].Count * MiniLmEmbeddingGenerator.Dimensions * sizeof(float)];
            // A fragment keeps a zero vector: its place stays aligned with the pieces, and it is close to nothing.
            for (var j = 0; j < texts[i].Count; j++)
                if (texts[i][j] is not null)
                    System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectorsOut[next++].Span)
                        .CopyTo(bytes.AsSpan(j * MiniLmEmbeddingGenerator.Dimensions * sizeof(float)));
            chunks[i].PieceEmbeddings = bytes;
        }
    }

    private async Task StoreAsync(RegistryDb db, TrainingDocument document, List<DocumentChunk> chunks, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.DocumentChunks.Where(c => c.DocumentId == document.Id).ExecuteDeleteAsync(ct);
            db.DocumentChunks.AddRange(chunks);
            document.Status = DocumentStatus.Ready;
            document.ChunkCount = chunks.Count;
            document.FailureCode = document.FailureReason = null;
            document.LockedUntil = document.NotBefore = null;
            document.ProcessedAt = document.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
    }

    private async Task FinishAsync(RegistryDb db, TrainingDocument document, DocumentStatus status, string? code, string? reason,
        DateTime? notBefore, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await db.TrainingDocuments.Where(d => d.Id == document.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status).SetProperty(d => d.FailureCode, code).SetProperty(d => d.FailureReason, reason)
            .SetProperty(d => d.LockedUntil, (DateTime?)null).SetProperty(d => d.NotBefore, notBefore)
            .SetProperty(d => d.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
