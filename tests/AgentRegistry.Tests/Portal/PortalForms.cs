using System.Net.Http.Headers;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Portal;

/// <summary>Portal pages driven over HTTP as a browser without scripts would: GET the page, post its form with its token.</summary>
public static class PortalForms
{
    public static async Task<string> TokenAsync(this HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var token = RegistryApp.AntiforgeryToken().Match(html).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), $"{page} has no form token");
        return token;
    }

    /// <summary>Posts the form fields (with the page's token unless <paramref name="token"/> is given) to the page's handler.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string page, string? handler,
        IEnumerable<KeyValuePair<string, string>> fields, string? token = null)
    {
        token ??= await client.TokenAsync(page);
        var all = fields.ToList();
        if (token.Length > 0) all.Add(new("__RequestVerificationToken", token));
        return await client.PostAsync(handler is null ? page : $"{page}?handler={handler}", new FormUrlEncodedContent(all));
    }

    /// <summary>A plain form upload of files to the documents page (the token in the form, as without scripts).</summary>
    public static async Task<HttpResponseMessage> UploadFormAsync(this HttpClient client, string documentsPage, params (string Name, byte[] Bytes)[] files)
    {
        var token = await client.TokenAsync(documentsPage);
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "files", name);
        }
        return await client.PostAsync($"{documentsPage}?handler=Upload", form);
    }

    /// <summary>The page's script's upload: one file, the token in a header, JSON (or problem details) back.</summary>
    public static async Task<HttpResponseMessage> UploadScriptedAsync(this HttpClient client, string documentsPage, string name, byte[] bytes)
    {
        var token = await client.TokenAsync(documentsPage);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{documentsPage}?handler=Upload")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } },
        };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Accept.ParseAdd("application/json");
        return await client.SendAsync(request);
    }
}
