using System.Text.Json.Nodes;

namespace WaldurEmulator.Tests.Support;

public static class Webhooks
{
    /// <summary>Creates a hook to the receiver; by default for the resources, customers and projects groups.</summary>
    public static Task<ApiResponse> Subscribe(EmulatorSession s, WebhookReceiver receiver, JsonObject? extra = null, ContractClient? api = null)
    {
        var body = extra ?? new JsonObject { ["event_groups"] = new JsonArray("resources", "customers", "projects") };
        body["destination_url"] = receiver.Url();
        return (api ?? s.Api).Post("/api/hooks-web/", body);
    }
}
