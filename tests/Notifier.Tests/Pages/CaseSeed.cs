using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>
/// The queue and case list tests' own service: no Hangfire server (Jobs:RunServer false), so nothing the pages
/// enqueue runs and a seeded case stays as seeded; every seeded address is on 127.0.0.0/8.
/// </summary>
public sealed class QueueNotifierFactory : NotifierFactory
{
    private readonly Lazy<Task<(string Name, HttpClient Client)>> _operator;
    private readonly Lazy<Task<(string Name, HttpClient Client)>> _viewer;

    public QueueNotifierFactory()
        : base(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" })
    {
        _operator = new(() => SignInAsync(this, Notifier.Auth.OperatorRole.Operator));
        _viewer = new(() => SignInAsync(this, Notifier.Auth.OperatorRole.Viewer));
    }

    /// <summary>One signed-in operator per factory (signing in for every test would run into the sign-in rate limit).</summary>
    public Task<(string Name, HttpClient Client)> OperatorAsync() => _operator.Value;

    public Task<(string Name, HttpClient Client)> ViewerAsync() => _viewer.Value;

    private static async Task<(string Name, HttpClient Client)> SignInAsync(QueueNotifierFactory factory, string role)
    {
        var (name, password) = await DashboardSession.AddOperatorAsync(factory, role);
        var client = DashboardSession.Browser(factory);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await DashboardSession.PostSignInAsync(client, name, password)).StatusCode);
        return (name, client);
    }
}

/// <summary>Cases written straight into the database in the shape a test needs (loopback addresses only).</summary>
public static class CaseSeed
{
    private static int _next;

    /// <summary>A fresh loopback address, so every seeded case is its own relay (one open case per relay).</summary>
    public static string Address()
    {
        var n = Interlocked.Increment(ref _next);
        return $"127.{100 + (n / 65536 % 100)}.{n / 256 % 256}.{n % 256}";
    }

    /// <summary>Opens a case with nothing due; <paramref name="shape"/> sets its fields, <paramref name="rows"/> adds rows once it has an id.</summary>
    public static async Task<Case> AddAsync(NotifierFactory factory, string? address = null, string? source = null,
        Action<Case>? shape = null, Action<NotifierDb, Case>? rows = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        address ??= Address();
        var c = CaseWorkflow.Open(address, 25, $"{address}:25", source, null, "test", DateTimeOffset.UtcNow);
        c.NextAction = null;
        c.NextActionAt = null;
        shape?.Invoke(c);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        if (rows is not null)
        {
            rows(db, c);
            await db.SaveChangesAsync();
        }
        return c;
    }

    public static Notice Notice(Case c, string state, string kind = "FirstNotice", string recipient = "abuse@example.net", DateTimeOffset? sentAt = null) => new()
    {
        CaseId = c.Id,
        Recipient = recipient,
        Kind = kind,
        State = state,
        CaseStateAtPlan = c.State,
        CreatedAt = DateTimeOffset.UtcNow,
        SentAt = sentAt,
        LastError = state is NoticeState.Failed ? "451 try later, 5 times" : null,
    };

    public static CaseContact Contact(Case c, string address, string status = "active") => new()
    {
        CaseId = c.Id,
        Address = address,
        Source = "rdap",
        Sources = "rdap",
        Tier = "network",
        Confidence = "high",
        Rank = 1,
        Status = status,
        EvidenceJson = "[]",
        FirstSeenAt = DateTimeOffset.UtcNow,
        LastSeenAt = DateTimeOffset.UtcNow,
        RankedAt = DateTimeOffset.UtcNow,
    };

    public static async Task<T> ReadAsync<T>(NotifierFactory factory, Func<NotifierDb, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }
}
