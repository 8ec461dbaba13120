using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AgentRegistry.Metering;

/// <summary>Whose usage a batch is: the same for every event of a batch.</summary>
public sealed record UsageOwner(Guid TenantId, Guid AccessId, Guid AgentId, Guid? ApiKeyId);

/// <summary>One validated event, ready to store as a <see cref="UsageRecord"/>.</summary>
public sealed record UsageRow(string Metric, long Quantity, DateTime OccurredAt, string IdempotencyKey);

/// <summary>
/// Stores a batch of usage records in one statement, <c>INSERT ... ON CONFLICT (IdempotencyKey) DO NOTHING RETURNING</c>,
/// so a duplicate is known from what the database inserted, not from an exception, and the whole batch commits or not
/// at all. PostgreSQL gets the batch as four arrays (<c>unnest</c>), SQLite as one JSON array (<c>json_each</c>), so the
/// statement text and its parameter count do not grow with the batch. Table and column names are the EF model's
/// (see the migrations), values in the formats EF stores.
/// </summary>
internal static class UsageRecordWriter
{
    private const string Columns = "\"TenantId\", \"AccessId\", \"AgentId\", \"ApiKeyId\", \"Metric\", \"Quantity\", \"OccurredAt\", \"RecordedAt\", \"IdempotencyKey\"";

    private const string Postgres = $"""
        INSERT INTO "UsageRecords" ({Columns})
        SELECT @tenant, @access, @agent, @key, e.metric, e.quantity, e.occurred, @now, e.idempotency
        FROM unnest(@metrics, @quantities, @occurred, @keys) AS e(metric, quantity, occurred, idempotency)
        ON CONFLICT ("IdempotencyKey") DO NOTHING
        RETURNING "IdempotencyKey"
        """;

    // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
    private const string Sqlite = $"""
        INSERT INTO "UsageRecords" ({Columns})
        SELECT @tenant, @access, @agent, @key, e.value ->> 0, e.value ->> 1, e.value ->> 2, @now, e.value ->> 3
        FROM json_each(@events) AS e WHERE true
        ON CONFLICT ("IdempotencyKey") DO NOTHING
        RETURNING "IdempotencyKey"
        """;

    /// <summary>Inserts the rows whose idempotency key is not stored yet; returns the keys it inserted.</summary>
    public static async Task<HashSet<string>> InsertNewAsync(RegistryDb db, UsageOwner owner, IReadOnlyList<UsageRow> rows, DateTime now, CancellationToken ct)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.IsNpgsql() ? PostgresCommand(db, owner, rows, now) : SqliteCommand(db, owner, rows, now);
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) inserted.Add(reader.GetString(0));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return inserted;
    }

    private static DbCommand PostgresCommand(RegistryDb db, UsageOwner owner, IReadOnlyList<UsageRow> rows, DateTime now)
    {
        var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = Postgres;
        command.Parameters.Add(new NpgsqlParameter<Guid>("tenant", owner.TenantId));
        command.Parameters.Add(new NpgsqlParameter<Guid>("access", owner.AccessId));
        command.Parameters.Add(new NpgsqlParameter<Guid>("agent", owner.AgentId));
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Uuid) { Value = owner.ApiKeyId is { } k ? k : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", NpgsqlDbType.TimestampTz) { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<string[]>("metrics", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. rows.Select(r => r.Metric)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("quantities", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.Quantity)] });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("occurred", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. rows.Select(r => r.OccurredAt)] });
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. rows.Select(r => r.IdempotencyKey)] });
        return command;
    }

    private static DbCommand SqliteCommand(RegistryDb db, UsageOwner owner, IReadOnlyList<UsageRow> rows, DateTime now)
    {
        var json = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartArray();
            foreach (var r in rows)
            {
                w.WriteStartArray();
                w.WriteStringValue(r.Metric);
                w.WriteNumberValue(r.Quantity);
                w.WriteStringValue(SqliteTime(r.OccurredAt));
                w.WriteStringValue(r.IdempotencyKey);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = Sqlite;
        command.Parameters.AddWithValue("@tenant", SqliteGuid(owner.TenantId));
        command.Parameters.AddWithValue("@access", SqliteGuid(owner.AccessId));
        command.Parameters.AddWithValue("@agent", SqliteGuid(owner.AgentId));
        command.Parameters.AddWithValue("@key", owner.ApiKeyId is { } k ? SqliteGuid(k) : DBNull.Value);
        command.Parameters.AddWithValue("@now", SqliteTime(now));
        command.Parameters.AddWithValue("@events", Encoding.UTF8.GetString(json.WrittenSpan));
        return command;
    }

    /// <summary>EF Core stores a Guid on SQLite as upper-case text.</summary>
    internal static string SqliteGuid(Guid id) => id.ToString("D").ToUpperInvariant();

    /// <summary>EF Core stores a DateTime on SQLite as sortable text with trailing zero fractions trimmed.</summary>
    internal static string SqliteTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
}
