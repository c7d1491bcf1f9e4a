using Microsoft.AspNetCore.Http.HttpResults;
using Notifier.Auth;
using Notifier.Data;

namespace Notifier.Stats;

/// <summary>
/// <c>GET /api/stats</c>: the metrics of the case life for API clients (read scope) and signed-in operators. A
/// feature folder of its own, not part of Cases: it reads Cases' and Inbox's rows (replies), and Inbox already
/// uses Cases, so statistics inside Cases would close a folder cycle; nothing uses Stats.
/// </summary>
public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", GetAsync)
            .RequireAuthorization(AuthExtensions.ApiReadOrOperator)
            .WithTags("stats")
            .WithSummary("Case metrics: opened, confirmed, resolved and reopened per ISO week; time to first notice and to fix (count, median, p90 in hours); response, reopen and resolution rates; the same per /24 (/48), RDAP network and MTA (top N); the time-to-fix distribution in buckets from under an hour to over 30 days")
            .WithDescription("from (first day counted) and to (first day not counted) are UTC dates yyyy-MM-dd, by default the 26 ISO weeks ending with the current one, at most 5 years apart; top (1-200, default 20) bounds each per-group list. Weeks count events by when they happened; the totals and groups are about the cases opened in the range. A rate with nothing to divide by is null.");
        return app;
    }

    private static async Task<Results<Ok<StatsDto>, ValidationProblem>> GetAsync(
        string? from, string? to, string? top, NotifierDb db, TimeProvider time, CancellationToken ct)
    {
        var range = StatsRange.TryRead(from, to, top, time.GetUtcNow(), out var errors);
        if (range is null) return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        return TypedResults.Ok(await CaseStats.ComputeAsync(db, range, ct));
    }
}
