using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Reads a multipart upload as it streams in (an optional <c>title</c> field, then the <c>file</c>) and hands the
/// file to the <see cref="DocumentService"/>, so an oversized body is refused at the limit, never buffered whole.
/// The documents API and the portal's upload both use it.
/// </summary>
internal static class MultipartUpload
{
    public static async Task<StoredDocument?> StoreAsync(HttpRequest request, Guid accessId, DocumentService documents, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = documents.MaxUploadBytes + 64 * 1024;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            throw new ProblemException(415, "unsupported-media-type", "Send the document as multipart/form-data with a field named file.");
        var multipart = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        string? title = null;
        try
        {
            while (await multipart.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "title" && !disposition.IsFileDisposition())
                {
                    title = (await new StreamReader(section.Body).ReadToEndAsync(ct)).Trim() is { Length: > 0 and <= 300 } t ? t : null;
                    continue;
                }
                if (name != "file") continue;
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                return await documents.AddAsync(accessId, section.Body, fileName ?? "", section.ContentType, title, ct);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413) { throw DocumentService.Rejected(documents.TooLarge()); }
        catch (InvalidDataException e) { throw new ProblemException(400, "malformed-multipart", e.Message); }
        // The multipart reader's own end-of-body error: the body stopped before the closing boundary.
        catch (IOException e) when (e.Source == "Microsoft.AspNetCore.WebUtilities" && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new ProblemException(400, "malformed-multipart", "The multipart body ended before its closing boundary.");
        }
        throw new FieldException("file", "The multipart body has no field named file.");
    }
}
