namespace AgentRegistry.Knowledge;

/// <summary>
/// Decides a document's kind from its file name, declared content type and first bytes. The bytes have the last word:
/// a ".pdf" that does not start with %PDF, or an executable named ".txt", is refused with a reason.
/// </summary>
public static class DocumentFormatDetector
{
    /// <summary>How many leading bytes <see cref="Detect"/> wants to see.</summary>
    public const int HeadLength = 1024;

    private static readonly Dictionary<string, DocumentKind> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = DocumentKind.PlainText, [".text"] = DocumentKind.PlainText, [".log"] = DocumentKind.PlainText,
        [".md"] = DocumentKind.Markdown, [".markdown"] = DocumentKind.Markdown,
        [".html"] = DocumentKind.Html, [".htm"] = DocumentKind.Html, [".xhtml"] = DocumentKind.Html,
        [".pdf"] = DocumentKind.Pdf,
        [".docx"] = DocumentKind.Docx,
        [".csv"] = DocumentKind.Csv, [".tsv"] = DocumentKind.Csv,
    };

    private static readonly Dictionary<string, DocumentKind> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = DocumentKind.PlainText,
        ["text/markdown"] = DocumentKind.Markdown, ["text/x-markdown"] = DocumentKind.Markdown,
        ["text/html"] = DocumentKind.Html, ["application/xhtml+xml"] = DocumentKind.Html,
        ["application/pdf"] = DocumentKind.Pdf,
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = DocumentKind.Docx,
        ["text/csv"] = DocumentKind.Csv, ["application/csv"] = DocumentKind.Csv, ["text/tab-separated-values"] = DocumentKind.Csv,
    };

    // Short signatures ("MZ") are weak: real text may start with them, so they count only together with binary bytes.
    private static readonly (byte[] Magic, string Name, bool Strong)[] BinarySignatures =
    [
        ("%PDF-"u8.ToArray(), "a PDF document", true),
        ([0x50, 0x4B, 0x03, 0x04], "a zip archive (for example a .docx)", true),
        ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable", true),
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image", true),
        ([0xFF, 0xD8, 0xFF], "a JPEG image", true),
        ([0xD0, 0xCF, 0x11, 0xE0], "a legacy Office file", true),
        ("GIF8"u8.ToArray(), "a GIF image", false),
        ([0x4D, 0x5A], "a Windows executable", false),
        ([0x1F, 0x8B], "a gzip archive", false),
    ];

    public static DocumentKind Detect(string? fileName, string? contentType, ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            throw new DocumentRejectedException(DocumentRejectionReason.Empty, "The file is empty.");
        }

        var declared = Declared(fileName, contentType);
        switch (declared)
        {
            case DocumentKind.Pdf:
                if (!StartsWithin(head, "%PDF-"u8))
                {
                    throw Mismatch(fileName, "PDF", head);
                }

                return declared;
            case DocumentKind.Docx:
                if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
                {
                    throw new DocumentRejectedException(DocumentRejectionReason.Encrypted,
                        "The Word file is password-protected or in the legacy .doc format; save it as an unprotected .docx.");
                }

                if (!head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]))
                {
                    throw Mismatch(fileName, "Word (.docx)", head);
                }

                return declared;
            default:
                CheckIsText(fileName, head);
                return declared;
        }
    }

    private static void CheckIsText(string? fileName, ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return; // UTF-16 text is full of NUL bytes
        }

        var binary = TextDecoder.LooksBinary(head);
        var signature = Signature(head);
        if (signature is { Strong: true } || (signature is not null && binary))
        {
            throw new DocumentRejectedException(DocumentRejectionReason.FormatMismatch,
                $"'{fileName}' is declared as text but its content is {signature.Value.Name}.");
        }

        if (binary)
        {
            throw new DocumentRejectedException(DocumentRejectionReason.BinaryContent,
                $"'{fileName}' is declared as text but contains binary data.");
        }
    }

    private static DocumentKind Declared(string? fileName, string? contentType)
    {
        DocumentKind? byName = Extensions.TryGetValue(Path.GetExtension(fileName ?? string.Empty), out var n) ? n : null;
        var mediaType = contentType?.Split(';', 2)[0].Trim() ?? string.Empty;
        DocumentKind? byType = ContentTypes.TryGetValue(mediaType, out var t) ? t : null;

        if (byName is null && byType is null)
        {
            throw new DocumentRejectedException(DocumentRejectionReason.UnsupportedFormat,
                $"'{fileName}' ({(mediaType.Length == 0 ? "no content type" : mediaType)}) is not a supported format; "
                + "use .txt, .md, .html, .pdf, .docx or .csv.");
        }

        if (byName is { } name && byType is { } type && name != type && (IsBinaryKind(name) || IsBinaryKind(type)))
        {
            throw new DocumentRejectedException(DocumentRejectionReason.FormatMismatch,
                $"'{fileName}' has the extension of {name} but was sent as {mediaType}.");
        }

        // Browsers send text/plain or octet-stream for .md and .csv, so among text kinds the extension is more specific.
        return byName ?? byType!.Value;
    }

    private static bool IsBinaryKind(DocumentKind kind) => kind is DocumentKind.Pdf or DocumentKind.Docx;

    private static bool StartsWithin(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) =>
        head[..Math.Min(head.Length, HeadLength)].IndexOf(magic) >= 0;

    private static (string Name, bool Strong)? Signature(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, name, strong) in BinarySignatures)
        {
            if (head.StartsWith(magic))
            {
                return (name, strong);
            }
        }

        return null;
    }

    private static DocumentRejectedException Mismatch(string? fileName, string expected, ReadOnlySpan<byte> head) =>
        new(DocumentRejectionReason.FormatMismatch, Signature(head) is { } actual
            ? $"'{fileName}' is declared as {expected} but its content is {actual.Name}."
            : $"'{fileName}' is declared as {expected} but its content is not a {expected} file.");
}
