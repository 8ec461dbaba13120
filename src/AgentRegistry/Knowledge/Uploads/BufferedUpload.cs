namespace AgentRegistry.Knowledge;

/// <summary>An upload held in memory or in a delete-on-close temp file, with its SHA-256 for de-duplication.</summary>
public sealed class BufferedUpload(Stream content, long length, string sha256) : IDisposable, IAsyncDisposable
{
    /// <summary>Seekable; rewound to the start by <see cref="UploadBuffer"/>.</summary>
    public Stream Content { get; } = content;

    public long Length { get; } = length;

    /// <summary>Lower-case hex SHA-256 of the bytes.</summary>
    public string Sha256 { get; } = sha256;

    public bool IsOnDisk => Content is FileStream;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
