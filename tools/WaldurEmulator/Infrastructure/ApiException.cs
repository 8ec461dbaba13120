using System.Text.Json.Nodes;

namespace WaldurEmulator.Infrastructure;

/// <summary>An error answered the way Django REST framework answers it: a status and a JSON body.</summary>
internal sealed class ApiException(int status, JsonNode body) : Exception(body.ToJsonString())
{
    public int Status { get; } = status;
    public JsonNode Body { get; } = body;

    public static ApiException NotFound() => Detail(404, "Not found.");

    /// <summary>Waldur's StateValidator raises IncorrectStateException, which DRF answers with 409.</summary>
    public static ApiException WrongState(params string[] validStates) =>
        Detail(409, $"Valid states for operation: {string.Join(", ", validStates)}.");

    public static ApiException Detail(int status, string detail) => new(status, new JsonObject { ["detail"] = detail });

    public static ApiException Field(string field, string message) =>
        new(400, new JsonObject { [field] = new JsonArray(message) });

    public static ApiException NonField(string message) => Field("non_field_errors", message);

    public static ApiException Required(string field) => Field(field, "This field is required.");
}
