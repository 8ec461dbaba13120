using System.Collections.Concurrent;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Knowledge;

/// <summary>The embedding model, failing on purpose for texts that carry a marker (a fault injection; the rest is the real model).</summary>
internal sealed class FlakyEmbeddings(IEmbeddingGenerator<string, Embedding<float>> model) : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string AlwaysFails = "unembeddable";
    public const string FailsOnce = "embeddable-on-retry";
    private readonly ConcurrentDictionary<string, bool> _failedOnce = new();

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        if (texts.Any(t => t.Contains(AlwaysFails, StringComparison.Ordinal)))
            throw new IOException("The embedding model is unavailable (injected fault).");
        // Once per marked document (the marker and the word after it), whichever of its texts (chunk or piece) comes first.
        if (texts.FirstOrDefault(t => t.Contains(FailsOnce, StringComparison.Ordinal)) is { } once
            && _failedOnce.TryAdd(string.Join(' ', once[once.IndexOf(FailsOnce, StringComparison.Ordinal)..].Split(' ').Take(2)).TrimEnd('.'), true))
            throw new IOException("The embedding model is unavailable this once (injected fault).");
        return model.GenerateAsync(texts, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => model.GetService(serviceType, serviceKey);

    public void Dispose() { }
}

public sealed class FlakyEmbeddingsRegistry : RegistryApp<Sqlite>
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Knowledge:MaxAttempts"] = "3";
        settings["Knowledge:RetryDelay"] = "00:00:10";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new FlakyEmbeddings(KnowledgeModels.MiniLm)));
    }
}

/// <summary>
/// A document whose processing fails is queued again after 10 s, then 20 s (by the registry's clock, not before), and
/// fails for good after the last attempt with the reason in words; one that fails once is ready on the retry.
/// </summary>
public sealed class DocumentRetryTests(FlakyEmbeddingsRegistry app) : RegistryTest(app), IClassFixture<FlakyEmbeddingsRegistry>
{
    private async Task<TrainingDocument> StoredAsync(string id)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await db.TrainingDocuments.AsNoTracking().SingleAsync(d => d.Id == Guid.Parse(id), TestContext.Current.CancellationToken);
    }

    /// <summary>Waits (60 s at most) until the pipeline has made <paramref name="attempts"/> attempts and put the document down again.</summary>
    private async Task<TrainingDocument> AfterAttemptAsync(string id, int attempts)
    {
        var until = Deadline.InSeconds(60);
        while (true)
        {
            var d = await StoredAsync(id);
            if (d.Attempts == attempts && d.Status != DocumentStatus.Processing) return d;
            Assert.True(d.Attempts <= attempts, $"Attempt {d.Attempts} came before its time (expected {attempts}).");
            Assert.True(until.Open, $"Attempt {attempts} did not finish in 60 s (now {d.Status}, attempt {d.Attempts}).");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task ProcessingThatKeepsFailingIsRetriedWithGrowingDelaysThenFailsForGood()
    {
        var t = await App.TenantAsync(await Op());
        try
        {
            var doc = await t.Member.UploadAsync(t.Documents, System.Text.Encoding.UTF8.GetBytes($"Refunds take five days. {FlakyEmbeddings.AlwaysFails} {Guid.NewGuid():N}."), "faq.txt", "text/plain").Created();
            var id = doc.Id();

            var first = await AfterAttemptAsync(id, 1);
            Assert.Equal(DocumentStatus.Queued, first.Status);
            Assert.InRange((first.NotBefore!.Value - first.UpdatedAt).TotalSeconds, 9.9, 10.1);
            // Not before its time: the pipeline polls every 250 ms and leaves it alone.
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            Assert.Equal(1, (await StoredAsync(id)).Attempts);

            App.Clock.Advance(TimeSpan.FromSeconds(11));
            var second = await AfterAttemptAsync(id, 2);
            Assert.Equal(DocumentStatus.Queued, second.Status);
            Assert.InRange((second.NotBefore!.Value - second.UpdatedAt).TotalSeconds, 19.9, 20.1);

            App.Clock.Advance(TimeSpan.FromSeconds(21));
            var last = await AfterAttemptAsync(id, 3);
            Assert.Equal((DocumentStatus.Failed, "processing-failed", (DateTime?)null), (last.Status, last.FailureCode, last.NotBefore));
            var shown = await t.Member.GetAsync($"{t.Documents}/{id}").Json200();
            Assert.Equal(("failed", "Processing failed repeatedly; reindex to try again.", 0), ((string)shown["status"]!, (string)shown["failure_reason"]!, (int)shown["chunk_count"]!));
        }
        finally { App.Clock.Resume(); }
    }

    [Fact]
    public async Task ProcessingThatFailsOnceIsReadyOnTheRetry()
    {
        var t = await App.TenantAsync(await Op());
        try
        {
            var doc = await t.Member.UploadAsync(t.Documents, System.Text.Encoding.UTF8.GetBytes($"Shipping is free. {FlakyEmbeddings.FailsOnce} {Guid.NewGuid():N}."), "ship.txt", "text/plain").Created();
            Assert.Equal(DocumentStatus.Queued, (await AfterAttemptAsync(doc.Id(), 1)).Status);
            App.Clock.Advance(TimeSpan.FromSeconds(11));
            var ready = await t.WaitAsync(doc.Id());
            Assert.Equal(2, (int)ready["attempts"]!);
            Assert.True((int)ready["chunk_count"]! > 0);
            Assert.Null(ready["failure_code"]);
        }
        finally { App.Clock.Resume(); }
    }
}
