using System.Diagnostics;
using AgentRegistry.Knowledge;
using Microsoft.Extensions.AI;

// `dotnet run -c Release -- eval [--postgres "<connection string>"] [--verbose] [--explain] [--sweep]` runs the retrieval evaluation instead.
if (args.FirstOrDefault() == "eval") return await AgentRegistry.Knowledge.Bench.RetrievalEvaluation.RunAsync(args[1..]);
if (args.FirstOrDefault() == "embed") return await AgentRegistry.Knowledge.Bench.QueryEmbeddingCost.RunAsync(args[1..]);

// Prints figures only; nothing here asserts timings. Run: dotnet run -c Release
var words = "refund invoice shipping customer account billing payment order delivery support policy contract plan quota usage agent widget key tenant project report month price discount tax region warehouse return exchange warranty".Split(' ');
var random = new Random(11);
string RandomSentence() =>
    string.Join(' ', Enumerable.Range(0, random.Next(8, 24)).Select(_ => words[random.Next(words.Length)])) + ".";

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");

// 1. MiniLM throughput, with ONNX thread spinning off (serving default) and on (bulk ingestion)
var sentences = Enumerable.Range(0, 512).Select(_ => RandomSentence()).ToArray();
var chunkTexts = Enumerable.Range(0, 64).Select(_ => string.Join(' ', Enumerable.Range(0, 14).Select(_ => RandomSentence()))).ToArray();
var watch = Stopwatch.StartNew();
foreach (var spinning in new[] { false, true })
{
    using var generator = new MiniLmEmbeddingGenerator(spinning);
    watch.Restart();
    await generator.GenerateAsync(["warm up"]);
    Console.WriteLine($"minilm spinning={spinning}: first call (model load) {watch.ElapsedMilliseconds} ms");
    watch.Restart();
    await generator.GenerateAsync(sentences);
    Console.WriteLine($"minilm spinning={spinning}: {sentences.Length / watch.Elapsed.TotalSeconds:F0} sentences/s batched (8-24 words, batch 32)");
    watch.Restart();
    await generator.GenerateAsync(chunkTexts);
    Console.WriteLine($"minilm spinning={spinning}: {chunkTexts.Length / watch.Elapsed.TotalSeconds:F1} chunks/s for ~220-word chunks (ingestion rate)");
    watch.Restart();
    foreach (var sentence in sentences.Take(100))
    {
        await generator.GenerateAsync([sentence]);
    }

    Console.WriteLine($"minilm spinning={spinning}: {100 / watch.Elapsed.TotalSeconds:F0} sentences/s one at a time (query path)");
}

using var miniLm = new MiniLmEmbeddingGenerator();

// 2. Retrieval over 10,000 chunks: index of random unit vectors (same cost as real ones), real query embedding.
var collection = new VectorCollection<int>();
var vector = new float[MiniLmEmbeddingGenerator.Dimensions];
for (var i = 0; i < 10_000; i++)
{
    for (var d = 0; d < vector.Length; d++)
    {
        vector[d] = (float)(random.NextDouble() * 2 - 1);
    }

    collection.Upsert(i, vector);
}

var queries = Enumerable.Range(0, 300).Select(_ => RandomSentence()).ToArray();
var total = new List<double>();
var searchOnly = new List<double>();
foreach (var (query, i) in queries.Select((q, i) => (q, i)))
{
    var t0 = Stopwatch.GetTimestamp();
    var embedding = await miniLm.GenerateVectorAsync(query);
    var t1 = Stopwatch.GetTimestamp();
    collection.Search(embedding.Span, 10);
    var t2 = Stopwatch.GetTimestamp();
    if (i >= 20)
    {
        total.Add(Stopwatch.GetElapsedTime(t0, t2).TotalMilliseconds);
        searchOnly.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
    }
}

Console.WriteLine($"retrieval 10k x 384: query embedding + top-10  p50 {P(total, 50):F2} ms  p95 {P(total, 95):F2} ms  p99 {P(total, 99):F2} ms");
Console.WriteLine($"retrieval 10k x 384: vector top-10 after embed  p50 {P(searchOnly, 50):F3} ms  p95 {P(searchOnly, 95):F3} ms");
var queryVectors = (await miniLm.GenerateAsync(queries)).Select(e => e.Vector).ToArray();
var pure = new List<double>();
for (var i = 0; i < 2000; i++)
{
    var t0 = Stopwatch.GetTimestamp();
    collection.Search(queryVectors[i % queryVectors.Length].Span, 10);
    pure.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
}

Console.WriteLine($"retrieval 10k x 384: vector top-10 back-to-back p50 {P(pure, 50):F3} ms  p95 {P(pure, 95):F3} ms");

// 3. Chunking throughput
var tokens = new TokenCounter();
var chunker = new DocumentChunker(tokens);
var sections = Enumerable.Range(0, 200).Select(s => new DocumentSection(["Handbook", $"Part {s}"],
    string.Join("\n\n", Enumerable.Range(0, 8).Select(_ => string.Join(' ', Enumerable.Range(0, 5).Select(_ => RandomSentence())))))).ToArray();
var document = new ExtractedDocument(DocumentKind.Markdown, sections);
chunker.Chunk(document);
watch.Restart();
var chunks = chunker.Chunk(document);
var seconds = watch.Elapsed.TotalSeconds;
Console.WriteLine($"chunking: {document.CharacterCount / 1e6 / seconds:F2} MB/s, {chunks.Sum(c => c.TokenCount) / seconds / 1000:F0}k tokens/s ({chunks.Count} chunks of avg {chunks.Average(c => c.TokenCount):F0} tokens from {document.CharacterCount / 1e6:F2} MB)");

// 4. Offline answer composition (chat hot path)
var composer = new OfflineAnswerComposer();
var persona = new PersonaSettings("Ada", "I don't know.");
var passages = chunks.Take(5).Select((c, i) => new RetrievedPassage(c.Body, 1 - i * 0.1, $"Doc {i}")).ToArray();
var question = "How do refunds for invoice payments work?";
for (var i = 0; i < 500; i++)
{
    composer.Compose(question, persona, passages);
}

var composeTimes = new List<double>();
for (var i = 0; i < 5000; i++)
{
    var t0 = Stopwatch.GetTimestamp();
    composer.Compose(question, persona, passages);
    composeTimes.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
}

Console.WriteLine($"compose (5 passages of ~300 tokens): p50 {P(composeTimes, 50):F0} µs  p95 {P(composeTimes, 95):F0} µs");

return 0;

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
