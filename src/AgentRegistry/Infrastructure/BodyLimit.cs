using Microsoft.AspNetCore.Http.Metadata;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// A route's request body limit as endpoint metadata, applied by endpoint routing before anything reads the body:
/// a larger body is refused (413 problem) instead of being buffered and parsed first.
/// </summary>
public sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata
{
    public static TBuilder On<TBuilder>(TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));
}
