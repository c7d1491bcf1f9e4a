using Notifier.Data;
using Npgsql;

namespace Notifier.Tests.Data;

/// <summary>
/// The PostgreSQL connection string a node uses: pooled connections are handed back without a DISCARD ALL round trip
/// (nothing keeps session state), unless the operator's connection string asks for the reset.
/// </summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void ConfiguredString_GetsNoResetOnClose_AndKeepsTheRest()
    {
        var csb = new NpgsqlConnectionStringBuilder(DataExtensions.PostgresConnectionString("Host=127.0.0.1;Port=5433;Username=notifier;Database=desk;Maximum Pool Size=40"));

        Assert.True(csb.NoResetOnClose);
        Assert.Equal("127.0.0.1", csb.Host);
        Assert.Equal(5433, csb.Port);
        Assert.Equal("desk", csb.Database);
        Assert.Equal(40, csb.MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;Database=desk;No Reset On Close=false")]
    [InlineData("Host=db;Database=desk;noresetonclose=False")]
    public void OperatorsOwnSetting_IsKept(string configured)
    {
        Assert.False(new NpgsqlConnectionStringBuilder(DataExtensions.PostgresConnectionString(configured)).NoResetOnClose);
    }
}
