using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Data;

/// <summary>The probe mode is a type in the code and the same words as ever in the database: no data migration.</summary>
public sealed class ProbeModeColumnTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    [Theory]
    [InlineData(ProbeMode.Quick, "quick")]
    [InlineData(ProbeMode.Full, "full")]
    public async Task SaveChanges_StoresTheModeAsItsWord_WhenAProbeIsQueued(ProbeMode mode, string stored)
    {
        var now = DateTimeOffset.UtcNow;
        var address = mode == ProbeMode.Quick ? "192.0.2.201" : "192.0.2.202";
        int id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var c = CaseWorkflow.Open(address, 25, $"{address}:25", "test", null, "test", now);
            var probe = CaseWorkflow.QueueProbe(c, mode, now);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
            id = probe.Id;
        }

        await using var read = factory.Services.CreateAsyncScope();
        var readDb = read.ServiceProvider.GetRequiredService<NotifierDb>();
        var column = await readDb.Database.SqlQuery<string>($"SELECT \"Mode\" AS \"Value\" FROM \"Probes\" WHERE \"Id\" = {id}").SingleAsync();
        var loaded = await readDb.Probes.AsNoTracking().SingleAsync(p => p.Id == id);

        Assert.Equal(stored, column);
        Assert.Equal(mode, loaded.Mode);
    }
}
