namespace AgentRegistry.Waldur.Client;

/// <summary>
/// Waldur's LinkHeaderPagination. The next page is requested by number rather than by following the Link URL,
/// so the token is only ever sent to the configured ApiUrl even when a proxy rewrites hosts in links.
/// </summary>
internal static class WaldurPaging
{
    public static bool HasNext(HttpResponseMessage response, int fetched, int lastPageCount, int pageSize)
    {
        if (response.Headers.TryGetValues("Link", out var links))
            return links.SelectMany(l => l.Split(',')).Any(l => l.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase));
        if (response.Headers.TryGetValues("X-Result-Count", out var counts) && int.TryParse(counts.FirstOrDefault(), out var total))
            return fetched < total;
        return lastPageCount >= pageSize;
    }
}
