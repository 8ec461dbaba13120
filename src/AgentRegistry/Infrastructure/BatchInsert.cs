using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// Many rows of one entity type in one multi-row <c>INSERT</c> per chunk, with the EF model's table, columns and value
/// conversions (so the rows read back exactly as if EF had saved them), on the context's connection and transaction.
/// For the group commits of the hot paths (answered messages, webhook deliveries): their rows are appended, never
/// tracked, and no cache watches them, so change tracking would be pure cost. A key the database generates (an
/// integer identity) is left to it.
/// </summary>
public static class BatchInsert
{
    /// <summary>SQLite binds at most 32,766 parameters to a statement; PostgreSQL 65,535.</summary>
    private const int MaxParameters = 30_000;

    /// <summary>
    /// Inserts the rows; with <paramref name="skipConflictOn"/> a row whose value of that (unique) column is already stored
    /// is skipped. Returns, for each inserted row, the values of <paramref name="returning"/> (columns by property name).
    /// </summary>
    public static async Task<List<object?[]>> InsertAsync<T>(RegistryDb db, IReadOnlyList<T> rows, CancellationToken ct,
        string? skipConflictOn = null, params string[] returning) where T : class
    {
        var inserted = new List<object?[]>();
        if (rows.Count == 0) return inserted;
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => !IsGeneratedIdentity(p)).ToArray();
        var returned = returning.Select(name => entity.FindProperty(name) ?? throw new ArgumentException(name)).ToArray();
        var perStatement = Math.Max(1, MaxParameters / columns.Length);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                command.CommandText = Sql(table, columns, returned, count, skipConflictOn is null ? null : entity.FindProperty(skipConflictOn)!);
                for (var r = 0; r < count; r++)
                {
                    var row = rows[start + r];
                    for (var c = 0; c < columns.Length; c++)
                    {
                        var p = columns[c];
                        command.Parameters.Add(p.GetRelationalTypeMapping().CreateParameter(command, $"@p{r}_{c}", p.GetGetter().GetClrValue(row), p.IsNullable));
                    }
                }
                if (returned.Length == 0)
                {
                    await Saving(() => command.ExecuteNonQueryAsync(ct));
                    continue;
                }
                await using var reader = await Saving(() => command.ExecuteReaderAsync(ct));
                while (await reader.ReadAsync(ct))
                {
                    var values = new object?[returned.Length];
                    for (var i = 0; i < returned.Length; i++)
                        values[i] = reader.IsDBNull(i) ? null : Read(returned[i], reader.GetValue(i));
                    inserted.Add(values);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return inserted;
    }

    /// <summary>A refused write fails as EF's saves do (a constraint, a lost connection), whatever the provider threw.</summary>
    private static async Task<TResult> Saving<TResult>(Func<Task<TResult>> write)
    {
        try
        {
            return await write();
        }
        catch (DbException e)
        {
            throw new DbUpdateException($"The database refused the write: {e.Message}", e);
        }
    }

    private static bool IsGeneratedIdentity(IProperty p) =>
        p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never && (p.ClrType == typeof(long) || p.ClrType == typeof(int));

    /// <summary>
    /// Sets one column of many rows, each by its key, in one command (a statement per row), with the model's names and
    /// conversions; on the context's connection and transaction.
    /// </summary>
    public static async Task UpdateAsync<T>(RegistryDb db, IReadOnlyList<T> rows, string key, string column, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var (k, v) = (entity.FindProperty(key)!, entity.FindProperty(column)!);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var sql = new StringBuilder();
            for (var r = 0; r < rows.Count; r++)
            {
                sql.Append("UPDATE ").Append(Quote(table.Name)).Append(" SET ").Append(Quote(v.GetColumnName(table)!)).Append(" = @v").Append(r)
                    .Append(" WHERE ").Append(Quote(k.GetColumnName(table)!)).Append(" = @k").Append(r).Append(";\n");
                command.Parameters.Add(v.GetRelationalTypeMapping().CreateParameter(command, $"@v{r}", v.GetGetter().GetClrValue(rows[r]), v.IsNullable));
                command.Parameters.Add(k.GetRelationalTypeMapping().CreateParameter(command, $"@k{r}", k.GetGetter().GetClrValue(rows[r]), false));
            }
            command.CommandText = sql.ToString();
            await Saving(() => command.ExecuteNonQueryAsync(ct));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static object? Read(IProperty p, object value)
    {
        var mapping = p.GetRelationalTypeMapping();
        var provider = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        var typed = value.GetType() == provider ? value : Convert.ChangeType(value, Nullable.GetUnderlyingType(provider) ?? provider,
            System.Globalization.CultureInfo.InvariantCulture);
        return mapping.Converter is { } converter ? converter.ConvertFromProvider(typed) : typed;
    }

    private static string Sql(StoreObjectIdentifier table, IProperty[] columns, IProperty[] returned, int rows, IProperty? conflict)
    {
        var sql = new StringBuilder("INSERT INTO ").Append(Quote(table.Name)).Append(" (");
        sql.AppendJoin(", ", columns.Select(c => Quote(c.GetColumnName(table)!))).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            if (r > 0) sql.Append(", ");
            sql.Append('(');
            for (var c = 0; c < columns.Length; c++)
            {
                if (c > 0) sql.Append(", ");
                sql.Append("@p").Append(r).Append('_').Append(c);
            }
            sql.Append(')');
        }
        if (conflict is not null) sql.Append(" ON CONFLICT (").Append(Quote(conflict.GetColumnName(table)!)).Append(") DO NOTHING");
        if (returned.Length > 0) sql.Append(" RETURNING ").AppendJoin(", ", returned.Select(c => Quote(c.GetColumnName(table)!)));
        return sql.ToString();
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
