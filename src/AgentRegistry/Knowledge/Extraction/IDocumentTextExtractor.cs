namespace AgentRegistry.Knowledge;

public interface IDocumentTextExtractor
{
    DocumentKind Kind { get; }

    /// <summary>Reads the whole document; throws <see cref="DocumentRejectedException"/> for content it cannot use.</summary>
    ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default);
}
