using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Notifier.Data;

namespace Notifier.Bench;

/// <summary>
/// Writes entities as rows with one prepared INSERT per table, reusing its parameters: what lets the seeder write a
/// million cases in minutes where EF Core's change tracking (a SaveChanges per batch) takes most of an hour. The
/// columns and how each value is stored (the model's value converters: probe results compressed, probe modes as
/// words) come from the model, so a row is exactly what the service would have written. Ids are the caller's.
/// </summary>
public sealed class BulkRows(NotifierDb db, DbConnection connection, DbTransaction transaction) : IDisposable
{
    private readonly Dictionary<Type, (DbCommand Command, IReadOnlyList<(IProperty Property, DbParameter Parameter)> Columns)> _inserts = [];

    public void Insert<T>(T entity) where T : class
    {
        if (!_inserts.TryGetValue(typeof(T), out var insert)) _inserts[typeof(T)] = insert = Prepare(typeof(T));
        foreach (var (property, parameter) in insert.Columns)
        {
            var value = property.PropertyInfo!.GetValue(entity);
            var converter = property.GetTypeMapping().Converter;
            if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
            parameter.Value = value ?? DBNull.Value;
        }
        insert.Command.ExecuteNonQuery();
    }

    private (DbCommand, IReadOnlyList<(IProperty, DbParameter)>) Prepare(Type type)
    {
        var entityType = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var properties = entityType.GetProperties().Where(p => p.PropertyInfo is not null).ToList();
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var columns = new List<(IProperty, DbParameter)>();
        foreach (var (property, i) in properties.Select((p, i) => (p, i)))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"$p{i}";
            command.Parameters.Add(parameter);
            columns.Add((property, parameter));
        }
        command.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select(c => c.Item2.ParameterName))})";
        command.Prepare();
        return (command, columns);
    }

    public void Dispose()
    {
        foreach (var (command, _) in _inserts.Values) command.Dispose();
    }
}
